/**
 * @module net-layer
 * IPv4 (options, fragments), IPv6 (hop-by-hop, routing, fragment, destination options, AH), ARP,
 * tunnels (IP-in-IP, 6in4, GRE with ERSPAN I/II/III, VXLAN),
 * ICMP and ICMPv6 neighbour discovery, TCP and UDP headers; TCP and UDP packets go on to the flow
 * table. Checksums are not verified (offloading makes captured checksums unreliable).
 */
import { formatIpv4, formatIpv6, formatMac } from '../bytes.js';
import type { WireEvent } from '../events.js';
import type { FlowTable } from '../flow/flow-table.js';
import { decodeEthernet } from '../link/ethernet.js';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_PPPOE_SESSION,
  LinkResult,
} from '../link/link-types.js';
import { FragmentReassembler, type FragmentLimits } from './ip-fragments.js';
import { HostTable } from './host-table.js';
import type { PacketState } from './packet-state.js';

const TCP = 6;
const UDP = 17;
const ICMPV6 = 58;
const IPIP = 4;
const IPV6_IN_IP = 41;
const GRE = 47;
const VXLAN_PORT = 4789;
const MAX_TUNNELS = 3;
const MAX_EXTENSION_HEADERS = 16;

export interface NetCounters {
  ipv4: number;
  ipv6: number;
  arp: number;
  icmp: number;
  otherNetwork: number;
  fragments: number;
}

export class NetLayer {
  readonly hosts: HostTable;
  readonly fragments: FragmentReassembler;
  /** The last (MAC, IP) pair checked for a packet outside any flow. */
  private readonly last = new Float64Array(6).fill(-1);
  readonly counters: NetCounters = { ipv4: 0, ipv6: 0, arp: 0, icmp: 0, otherNetwork: 0, fragments: 0 };

  constructor(
    private readonly emit: (event: WireEvent) => void,
    private readonly flows: FlowTable,
    fragmentLimits: FragmentLimits,
    maxHosts: number,
  ) {
    this.hosts = new HostTable(emit, maxHosts);
    this.fragments = new FragmentReassembler(fragmentLimits);
  }

  private malformed(s: PacketState, layer: string, offset: number, detail: string): void {
    this.emit({ kind: 'decode-error', ts: s.ts, code: 'WIRE_PACKET_MALFORMED', layer, offset, detail });
  }

  /** Decodes the network layer the link layer found. */
  network(s: PacketState): void {
    switch (s.etherType) {
      case ETHERTYPE_IPV4:
        this.ipv4(s);
        return;
      case ETHERTYPE_IPV6:
        this.ipv6(s);
        return;
      case ETHERTYPE_ARP:
        this.arp(s);
        return;
      case ETHERTYPE_PPPOE_SESSION:
        this.pppoe(s);
        return;
      default:
        this.counters.otherNetwork++;
    }
  }

  /** PPPoE session: 6-byte header, then the PPP protocol (IPv4 0x0021, IPv6 0x0057). */
  private pppoe(s: PacketState): void {
    const b = s.data;
    const o = s.l3Off;
    if (o + 8 > b.length) {
      this.malformed(s, 'pppoe', o, 'PPPoE header cut short');
      return;
    }
    const ppp = ((b[o + 6] ?? 0) << 8) | (b[o + 7] ?? 0);
    s.l3Off = o + 8;
    if (ppp === 0x0021) this.ipv4(s);
    else if (ppp === 0x0057) this.ipv6(s);
    else this.counters.otherNetwork++;
  }

  private arp(s: PacketState): void {
    this.counters.arp++;
    const b = s.data;
    const o = s.l3Off;
    if (o + 28 > b.length) {
      this.malformed(s, 'arp', o, 'ARP packet shorter than 28 bytes');
      return;
    }
    // IPv4 over 48-bit MACs only: htype 1 (Ethernet) or 6 (IEEE 802), ptype 0x0800, hlen 6, plen 4.
    const htype = b[o + 1];
    if (
      b[o] !== 0 ||
      (htype !== 1 && htype !== 6) ||
      b[o + 2] !== 8 ||
      b[o + 3] !== 0 ||
      b[o + 4] !== 6 ||
      b[o + 5] !== 4
    )
      return;
    const op = ((b[o + 6] ?? 0) << 8) | (b[o + 7] ?? 0);
    const vlans = s.vlanList();
    const spa = u32(b, o + 14);
    if (spa !== 0) this.hosts.observe(formatMac(b, o + 8), formatIpv4(spa), 'arp', s.ts, vlans);
    if (op === 2) {
      const tpa = u32(b, o + 24);
      if (tpa !== 0) this.hosts.observe(formatMac(b, o + 18), formatIpv4(tpa), 'arp', s.ts, vlans);
    }
  }

  private ipv4(s: PacketState): void {
    const b = s.data;
    const o = s.l3Off;
    if (o + 20 > b.length) {
      this.malformed(s, 'ipv4', o, 'IPv4 header cut short');
      return;
    }
    const vihl = b[o] ?? 0;
    const ihl = (vihl & 0x0f) * 4;
    if (vihl >> 4 !== 4 || ihl < 20) {
      this.malformed(s, 'ipv4', o, 'bad IPv4 version or header length');
      return;
    }
    if (o + ihl > b.length) {
      this.malformed(s, 'ipv4', o, 'IPv4 options cut short');
      return;
    }
    this.counters.ipv4++;
    let total = ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0);
    // Segmentation offload writes 0: take what was captured.
    if (total === 0) total = b.length - o;
    if (total < ihl) {
      this.malformed(s, 'ipv4', o + 2, 'IPv4 total length shorter than its header');
      return;
    }
    const frag = ((b[o + 6] ?? 0) << 8) | (b[o + 7] ?? 0);
    const proto = b[o + 9] ?? 0;
    s.ipVersion = 4;
    s.s0 = s.s1 = s.s2 = 0;
    s.d0 = s.d1 = s.d2 = 0;
    s.s3 = u32(b, o + 12);
    s.d3 = u32(b, o + 16);
    s.ipBytes = total;
    s.proto = proto;
    const declaredEnd = o + total;
    const end = Math.min(declaredEnd, b.length);
    const more = (frag & 0x2000) !== 0;
    const fragOffset = (frag & 0x1fff) * 8;
    if (more || fragOffset > 0) {
      this.counters.fragments++;
      if (end < declaredEnd) return; // a cut fragment cannot be reassembled
      const id = ((b[o + 4] ?? 0) << 8) | (b[o + 5] ?? 0);
      const key = `4:${String(s.s3)}:${String(s.d3)}:${String(id)}:${String(proto)}`;
      const r = this.fragments.add(key, fragOffset, b.subarray(o + ihl, end), more, s.ts);
      if (r.kind === 'dropped') {
        this.emit({
          kind: 'decode-error',
          ts: s.ts,
          code: 'WIRE_FRAGMENT_LIMIT',
          layer: 'ipv4',
          offset: o + 6,
          detail: r.reason,
        });
        return;
      }
      if (r.kind === 'held') return;
      s.ipBytes = ihl + r.payload.length;
      this.transport(s, proto, r.payload, 0, r.payload.length, r.payload.length);
      return;
    }
    this.transport(s, proto, b, o + ihl, end, declaredEnd);
  }

  private ipv6(s: PacketState): void {
    const b = s.data;
    const o = s.l3Off;
    if (o + 40 > b.length) {
      this.malformed(s, 'ipv6', o, 'IPv6 header cut short');
      return;
    }
    if ((b[o] ?? 0) >> 4 !== 6) {
      this.malformed(s, 'ipv6', o, 'bad IPv6 version');
      return;
    }
    this.counters.ipv6++;
    const plen = ((b[o + 4] ?? 0) << 8) | (b[o + 5] ?? 0);
    s.ipVersion = 6;
    s.s0 = u32(b, o + 8);
    s.s1 = u32(b, o + 12);
    s.s2 = u32(b, o + 16);
    s.s3 = u32(b, o + 20);
    s.d0 = u32(b, o + 24);
    s.d1 = u32(b, o + 28);
    s.d2 = u32(b, o + 32);
    s.d3 = u32(b, o + 36);
    const declaredEnd = o + 40 + (plen === 0 ? b.length - o - 40 : plen);
    s.ipBytes = declaredEnd - o;
    this.extensions(s, b[o + 6] ?? 0, b, o + 40, Math.min(declaredEnd, b.length), declaredEnd, o);
  }

  /** Walks IPv6 extension headers from `off`; `nh` is the next-header value that points at it. */
  private extensions(
    s: PacketState,
    nh: number,
    b: Uint8Array,
    off: number,
    end: number,
    declaredEnd: number,
    ipOff: number,
  ): void {
    for (let n = 0; n < MAX_EXTENSION_HEADERS; n++) {
      switch (nh) {
        case 0: // hop-by-hop
        case 43: // routing
        case 60: {
          // destination options
          if (off + 8 > end) {
            this.malformed(s, 'ipv6', off, 'IPv6 extension header cut short');
            return;
          }
          const len = ((b[off + 1] ?? 0) + 1) * 8;
          nh = b[off] ?? 0;
          off += len;
          continue;
        }
        case 51: {
          // AH
          if (off + 8 > end) {
            this.malformed(s, 'ipv6', off, 'IPv6 AH cut short');
            return;
          }
          const len = ((b[off + 1] ?? 0) + 2) * 4;
          nh = b[off] ?? 0;
          off += len;
          continue;
        }
        case 44: {
          if (off + 8 > end) {
            this.malformed(s, 'ipv6', off, 'IPv6 fragment header cut short');
            return;
          }
          this.counters.fragments++;
          const next = b[off] ?? 0;
          const fo = ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0);
          const fragOffset = fo & 0xfff8;
          const more = (fo & 1) !== 0;
          const id = u32(b, off + 4);
          if (!more && fragOffset === 0) {
            // Atomic fragment.
            nh = next;
            off += 8;
            continue;
          }
          if (end < declaredEnd) return;
          const key = `6:${String(s.s0)}:${String(s.s1)}:${String(s.s2)}:${String(s.s3)}:${String(s.d0)}:${String(s.d1)}:${String(s.d2)}:${String(s.d3)}:${String(id)}`;
          const r = this.fragments.add(key, fragOffset, b.subarray(off + 8, end), more, s.ts);
          if (r.kind === 'dropped') {
            this.emit({
              kind: 'decode-error',
              ts: s.ts,
              code: 'WIRE_FRAGMENT_LIMIT',
              layer: 'ipv6',
              offset: off,
              detail: r.reason,
            });
            return;
          }
          if (r.kind === 'held') return;
          s.ipBytes = off + 8 - ipOff + r.payload.length;
          this.extensions(s, next, r.payload, 0, r.payload.length, r.payload.length, 0);
          return;
        }
        default:
          if (off > end) {
            this.malformed(s, 'ipv6', off, 'IPv6 extension headers run past the packet');
            return;
          }
          s.proto = nh;
          this.transport(s, nh, b, off, end, declaredEnd);
          return;
      }
    }
    this.malformed(s, 'ipv6', off, 'too many IPv6 extension headers');
  }

  /** Transport header at `off` in `b`; `end` is the captured end, `declaredEnd` the end the IP header declares. */
  private transport(s: PacketState, proto: number, b: Uint8Array, off: number, end: number, declaredEnd: number): void {
    s.proto = proto;
    if (proto === TCP) {
      if (off + 20 > end) {
        this.malformed(s, 'tcp', off, 'TCP header cut short');
        return;
      }
      const doff = ((b[off + 12] ?? 0) >> 4) * 4;
      if (doff < 20) {
        this.malformed(s, 'tcp', off + 12, 'TCP data offset below 20');
        return;
      }
      if (off + doff > end) {
        this.malformed(s, 'tcp', off, 'TCP options cut short');
        return;
      }
      s.sport = ((b[off] ?? 0) << 8) | (b[off + 1] ?? 0);
      s.dport = ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0);
      s.seq = u32(b, off + 4);
      s.tcpFlags = b[off + 13] ?? 0;
      s.payloadBuf = b;
      s.payloadOff = off + doff;
      s.payloadEnd = end;
      s.payloadDeclared = Math.max(0, declaredEnd - off - doff);
      this.flowPacket(s);
      return;
    }
    if (proto === UDP) {
      if (off + 8 > end) {
        this.malformed(s, 'udp', off, 'UDP header cut short');
        return;
      }
      s.sport = ((b[off] ?? 0) << 8) | (b[off + 1] ?? 0);
      s.dport = ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0);
      const ulen = ((b[off + 4] ?? 0) << 8) | (b[off + 5] ?? 0);
      const uend = ulen >= 8 ? Math.min(end, off + ulen) : end;
      s.tcpFlags = 0;
      s.seq = 0;
      s.payloadBuf = b;
      s.payloadOff = off + 8;
      s.payloadEnd = Math.max(off + 8, uend);
      s.payloadDeclared = ulen >= 8 ? ulen - 8 : s.payloadEnd - s.payloadOff;
      if (
        s.dport === VXLAN_PORT &&
        s.tunnelDepth < MAX_TUNNELS &&
        off + 16 <= uend &&
        ((b[off + 8] ?? 0) & 0x08) !== 0
      ) {
        // VXLAN: an Ethernet frame after the 8-byte VXLAN header.
        this.innerEthernet(s, b, off + 16, uend);
        return;
      }
      this.flowPacket(s);
      return;
    }
    if ((proto === IPIP || proto === IPV6_IN_IP) && s.tunnelDepth < MAX_TUNNELS) {
      // IP in IP / 6in4: decode the inner packet; the link's MACs belong to the tunnel, not to it.
      this.tunnelTo(s, b, off, end);
      if (proto === IPIP) this.ipv4(s);
      else this.ipv6(s);
      return;
    }
    if (proto === GRE && s.tunnelDepth < MAX_TUNNELS) {
      this.gre(s, b, off, end);
      return;
    }
    this.counters.icmp += proto === 1 || proto === ICMPV6 ? 1 : 0;
    if (proto === ICMPV6) this.ndp(s, b, off, end);
    this.ipHost(s, null);
  }

  private flowPacket(s: PacketState): void {
    const f = this.flows.packet(s);
    if (s.srcMacOff < 0 || f === null) return;
    const toServer = this.flows.lastToServer;
    if (toServer ? f.hostClient : f.hostServer) return;
    if (toServer) f.hostClient = true;
    else f.hostServer = true;
    this.ipHost(s, toServer ? f.info.client.ip : f.info.server.ip);
  }

  /** A host event for the packet's source MAC and source IP. */
  private ipHost(s: PacketState, srcIp: string | null): void {
    if (s.srcMacOff < 0) return;
    const v6 = s.ipVersion === 6;
    if (v6 ? (s.s0 | s.s1 | s.s2 | s.s3) === 0 : s.s3 === 0) return;
    if (srcIp === null) {
      // Packets outside flows (ICMP, ESP, GRE…): skip the text work when the pair repeats the last one.
      const b = s.data;
      const m = s.srcMacOff;
      const macHi = ((b[m] ?? 0) << 8) | (b[m + 1] ?? 0);
      const macLo =
        (((b[m + 2] ?? 0) << 24) | ((b[m + 3] ?? 0) << 16) | ((b[m + 4] ?? 0) << 8) | (b[m + 5] ?? 0)) >>> 0;
      const l = this.last;
      if (l[0] === macHi && l[1] === macLo && l[2] === s.s0 && l[3] === s.s1 && l[4] === s.s2 && l[5] === s.s3) return;
      l[0] = macHi;
      l[1] = macLo;
      l[2] = s.s0;
      l[3] = s.s1;
      l[4] = s.s2;
      l[5] = s.s3;
    }
    const ip = srcIp ?? (v6 ? formatIpv6(s.s0, s.s1, s.s2, s.s3) : formatIpv4(s.s3));
    this.hosts.observe(formatMac(s.data, s.srcMacOff), ip, 'ip', s.ts, s.vlanList());
  }

  /**
   * GRE (RFC 2784/2890): IPv4, IPv6, transparent Ethernet bridging, and ERSPAN types I, II and III
   * (how switches mirror traffic to a remote sensor).
   */
  private gre(s: PacketState, b: Uint8Array, off: number, end: number): void {
    if (off + 4 > end) {
      this.malformed(s, 'gre', off, 'GRE header cut short');
      return;
    }
    const flags = b[off] ?? 0;
    if (((b[off + 1] ?? 0) & 0x07) !== 0 || flags & 0x40) {
      this.counters.otherNetwork++; // enhanced GRE (PPTP) or source routing
      return;
    }
    const type = ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0);
    const seq = (flags & 0x10) !== 0;
    let p = off + 4 + (flags & 0x80 ? 4 : 0) + (flags & 0x20 ? 4 : 0) + (seq ? 4 : 0);
    if (p > end) {
      this.malformed(s, 'gre', off, 'GRE options cut short');
      return;
    }
    switch (type) {
      case ETHERTYPE_IPV4:
      case ETHERTYPE_IPV6:
        this.tunnelTo(s, b, p, end);
        if (type === ETHERTYPE_IPV4) this.ipv4(s);
        else this.ipv6(s);
        return;
      case 0x6558: // transparent Ethernet bridging
        this.innerEthernet(s, b, p, end);
        return;
      case 0x88be: // ERSPAN type II (8-byte header), or type I without a sequence number (none)
        this.innerEthernet(s, b, seq ? p + 8 : p, end);
        return;
      case 0x22eb: {
        // ERSPAN type III: 12 bytes, 8 more with the optional platform sub-header (O bit)
        if (p + 12 > end) return;
        p += 12 + ((b[p + 11] ?? 0) & 0x01 ? 8 : 0);
        this.innerEthernet(s, b, p, end);
        return;
      }
      default:
        this.counters.otherNetwork++;
    }
  }

  /** Continues with a tunnelled network packet at `off`: the outer link's MACs and VLANs are not its own. */
  private tunnelTo(s: PacketState, b: Uint8Array, off: number, end: number): void {
    s.tunnelDepth++;
    s.srcMacOff = -1;
    s.dstMacOff = -1;
    s.vlanCount = 0;
    s.data = b.subarray(0, end);
    s.l3Off = off;
  }

  /** A tunnelled Ethernet frame at `off` (VXLAN, GRE bridging, ERSPAN). */
  private innerEthernet(s: PacketState, b: Uint8Array, off: number, end: number): void {
    if (off >= end) return;
    s.tunnelDepth++;
    s.vlanCount = 0;
    s.etherType = 0;
    s.data = b.subarray(off, end);
    if (decodeEthernet(s) === LinkResult.Network) this.network(s);
    else this.counters.otherNetwork++;
  }

  /** ICMPv6 neighbour discovery: solicitations and router adverts name the sender's MAC, adverts the target's. */
  private ndp(s: PacketState, b: Uint8Array, off: number, end: number): void {
    const type = b[off] ?? 0;
    let optOff: number;
    let ipText: string;
    let wanted: number;
    if (type === 135 || type === 136) {
      if (off + 24 > end) return;
      optOff = off + 24;
      if (type === 135) {
        if ((s.s0 | s.s1 | s.s2 | s.s3) === 0) return; // DAD probe
        ipText = formatIpv6(s.s0, s.s1, s.s2, s.s3);
        wanted = 1;
      } else {
        ipText = formatIpv6(u32(b, off + 8), u32(b, off + 12), u32(b, off + 16), u32(b, off + 20));
        wanted = 2;
      }
    } else if (type === 134) {
      if (off + 16 > end) return;
      optOff = off + 16;
      ipText = formatIpv6(s.s0, s.s1, s.s2, s.s3);
      wanted = 1;
    } else return;
    for (let p = optOff, n = 0; p + 2 <= end && n < 32; n++) {
      const t = b[p] ?? 0;
      const len = (b[p + 1] ?? 0) * 8;
      if (len === 0 || p + len > end) return;
      if (t === wanted && len >= 8) {
        this.hosts.observe(formatMac(b, p + 2), ipText, 'ndp', s.ts, s.vlanList());
        return;
      }
      p += len;
    }
  }
}

function u32(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}
