/**
 * @module packet-state
 * The one mutable record a packet's layers fill in as it is decoded, reused for every packet so the
 * hot path allocates nothing of its own. Addresses are kept as numbers (IPv4 in `s3`/`d3`, IPv6 as
 * four big-endian words); text is built only when a flow or host is new.
 */
import type { Micros } from '../events.js';

const EMPTY = new Uint8Array(0);
export const MAX_VLANS = 8;

export class PacketState {
  ts: Micros = 0;
  data: Uint8Array = EMPTY;
  /** Offset of the source and destination MAC in `data`, -1 when the link carries none. */
  srcMacOff = -1;
  dstMacOff = -1;
  vlanCount = 0;
  readonly vlans: number[] = new Array<number>(MAX_VLANS).fill(0);
  /** Ethertype of the network layer (0x0800, 0x86dd, 0x0806…), 0 when none. */
  etherType = 0;
  /** IP-in-IP nesting of the packet decoded so far. */
  tunnelDepth = 0;
  l3Off = 0;
  l3End = 0;
  ipVersion = 0;
  s0 = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;
  d0 = 0;
  d1 = 0;
  d2 = 0;
  d3 = 0;
  /** Network-layer bytes of the datagram (its declared length). */
  ipBytes = 0;
  proto = 0;
  sport = 0;
  dport = 0;
  tcpFlags = 0;
  seq = 0;
  /**
   * Transport payload as captured: `payloadBuf[payloadOff, payloadEnd)` (a view is made only when a
   * decoder needs one), and its declared length (more when the snap length cut it).
   */
  payloadBuf: Uint8Array = EMPTY;
  payloadOff = 0;
  payloadEnd = 0;
  payloadDeclared = 0;

  payload(): Uint8Array {
    return this.payloadBuf.subarray(this.payloadOff, this.payloadEnd);
  }

  reset(data: Uint8Array, ts: Micros): void {
    this.data = data;
    this.ts = ts;
    this.srcMacOff = -1;
    this.dstMacOff = -1;
    this.vlanCount = 0;
    this.etherType = 0;
    this.tunnelDepth = 0;
    this.l3Off = 0;
    this.l3End = data.length;
  }

  /** The VLAN ids outermost first, or undefined when untagged (allocates; for new flows/hosts only). */
  vlanList(): number[] | undefined {
    return this.vlanCount === 0 ? undefined : this.vlans.slice(0, this.vlanCount);
  }

  /** VLAN stack folded into one number for flow keys. */
  vlanKey(): number {
    let k = 0;
    for (let i = 0; i < this.vlanCount; i++) k = k * 4096 + (this.vlans[i] ?? 0) + 1;
    return k;
  }
}
