/**
 * @module app/dns
 * DNS (UDP and TCP 53, RFC 1035) and multicast DNS (UDP 5353, RFC 6762): questions, and the records
 * of the answer and additional sections (mDNS announces a host's address records there); authority
 * records and EDNS OPT are left out. Names are followed through compression pointers with loop
 * protection (a pointer must go backwards, at most 64 hops, 255 bytes per name).
 */
import type {
  AppContext,
  AppDecoderFactory,
  Direction,
  DnsEvent,
  DnsRecord,
  Micros,
  TcpAppDecoder,
} from '../events.js';
import { Gather, ipv4Of, ipv6Of, u16be, utf8Of } from './bytes.js';

/** Records kept per section; the rest are counted past. */
export const DNS_MAX_RECORDS = 64;
const MAX_HOPS = 64;
const MAX_NAME = 255;

class DnsError {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {}
}

/** Reads the name at `at`; returns it and the offset just after it in the message (not after a jump). */
function readName(b: Uint8Array, at: number): { name: string; next: number } | DnsError {
  const labels: string[] = [];
  let pos = at;
  let next = -1;
  let hops = 0;
  let length = 0;
  for (;;) {
    if (pos >= b.length) return new DnsError(pos, 'name runs past the end of the message');
    const len = b[pos] ?? 0;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= b.length) return new DnsError(pos, 'compression pointer cut short');
      const target = ((len & 0x3f) << 8) | (b[pos + 1] ?? 0);
      if (target >= pos || ++hops > MAX_HOPS) return new DnsError(pos, 'compression pointer loops or points forward');
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) return new DnsError(pos, 'unsupported label type');
    if (pos + 1 + len > b.length) return new DnsError(pos, 'label runs past the end of the message');
    length += len + 1;
    if (length > MAX_NAME) return new DnsError(pos, 'name longer than 255 bytes');
    labels.push(utf8Of(b, pos + 1, pos + 1 + len, 63));
    pos += 1 + len;
  }
  return { name: labels.join('.'), next };
}

type DnsFields = Omit<DnsEvent, 'ts' | 'flow' | 'direction' | 'mdns'>;

/** Decodes one DNS message. */
export function parseDns(
  b: Uint8Array,
): { ok: true; value: DnsFields } | { ok: false; offset: number; detail: string } {
  if (b.length < 12) return { ok: false, offset: b.length, detail: 'shorter than a DNS header' };
  const flags = u16be(b, 2);
  const counts = [u16be(b, 4), u16be(b, 6), u16be(b, 8), u16be(b, 10)];
  const queries: DnsRecord[] = [];
  const answers: DnsRecord[] = [];
  let at = 12;
  for (let i = 0; i < (counts[0] ?? 0); i++) {
    const n = readName(b, at);
    if (n instanceof DnsError) return { ok: false, offset: n.offset, detail: n.detail };
    if (n.next + 4 > b.length) return { ok: false, offset: n.next, detail: 'question cut short' };
    if (queries.length < DNS_MAX_RECORDS) queries.push({ name: n.name, type: u16be(b, n.next) });
    at = n.next + 4;
  }
  for (let section = 1; section <= 3; section++) {
    let kept = 0;
    for (let i = 0; i < (counts[section] ?? 0); i++) {
      const n = readName(b, at);
      if (n instanceof DnsError) return { ok: false, offset: n.offset, detail: n.detail };
      if (n.next + 10 > b.length) return { ok: false, offset: n.next, detail: 'resource record cut short' };
      const type = u16be(b, n.next);
      const rdlength = u16be(b, n.next + 8);
      const rdata = n.next + 10;
      if (rdata + rdlength > b.length)
        return { ok: false, offset: n.next + 8, detail: 'record data runs past the end' };
      at = rdata + rdlength;
      if (section === 2 || type === 41 || kept >= DNS_MAX_RECORDS) continue;
      kept++;
      let data: string | undefined;
      if (type === 1 && rdlength === 4) data = ipv4Of(b, rdata);
      else if (type === 28 && rdlength === 16) data = ipv6Of(b, rdata);
      else if (type === 5 || type === 12 || (type === 33 && rdlength > 6)) {
        const target = readName(b, type === 33 ? rdata + 6 : rdata);
        if (target instanceof DnsError) return { ok: false, offset: target.offset, detail: target.detail };
        data = target.name;
      }
      answers.push({ name: n.name, type, ...(data === undefined ? {} : { data }) });
    }
  }
  return {
    ok: true,
    value: { kind: 'dns', response: (flags & 0x8000) !== 0, rcode: flags & 0x000f, queries, answers },
  };
}

function emitDns(
  ctx: AppContext,
  direction: Direction,
  data: Uint8Array,
  ts: Micros,
  mdns: boolean,
  base: number,
): void {
  const r = parseDns(data);
  if (r.ok) ctx.emit({ ts, flow: ctx.flow, direction, mdns, ...r.value });
  else ctx.error('WIRE_DNS_MALFORMED', base + r.offset, r.detail, ts);
}

/** DNS over TCP: each message behind a two-byte length. */
class DnsTcpSide {
  private readonly gather = new Gather(512);
  private readingLength = true;
  private position = 0;
  private messageStart = 0;
  private lost = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly direction: Direction,
  ) {
    this.gather.expect(2);
  }

  onData(data: Uint8Array, ts: Micros): void {
    if (this.lost) return;
    let i = 0;
    while (i < data.length) {
      i += this.gather.feed(data, i);
      if (!this.gather.complete) break;
      if (this.readingLength) {
        const length = u16be(this.gather.bytes(), 0);
        this.messageStart = this.position + i;
        if (length === 0) {
          this.gather.expect(2);
          continue;
        }
        this.readingLength = false;
        this.gather.expect(length);
      } else {
        emitDns(this.ctx, this.direction, this.gather.bytes(), ts, false, this.messageStart);
        this.readingLength = true;
        this.gather.expect(2);
      }
    }
    this.position += data.length;
  }

  onGap(): void {
    // message boundaries are lost; the next bytes are unlikely to be a length, so stop
    this.lost = true;
  }
}

class DnsTcpDecoder implements TcpAppDecoder {
  private readonly sides: Record<Direction, DnsTcpSide>;
  constructor(ctx: AppContext) {
    this.sides = { toServer: new DnsTcpSide(ctx, 'toServer'), toClient: new DnsTcpSide(ctx, 'toClient') };
  }
  onData(direction: Direction, data: Uint8Array, ts: Micros): void {
    this.sides[direction].onData(data, ts);
  }
  onGap(direction: Direction): void {
    this.sides[direction].onGap();
  }
  onEnd(): void {
    // a message cut short by the end of the capture is dropped
  }
}

export const dnsDecoder: AppDecoderFactory = {
  protocol: 'dns',
  tcpPorts: [53],
  udpPorts: [53],
  createTcp: (ctx) => new DnsTcpDecoder(ctx),
  decodeUdp: (ctx, direction, data, ts) => {
    emitDns(ctx, direction, data, ts, false, 0);
  },
};

export const mdnsDecoder: AppDecoderFactory = {
  protocol: 'mdns',
  udpPorts: [5353],
  decodeUdp: (ctx, direction, data, ts) => {
    emitDns(ctx, direction, data, ts, true, 0);
  },
};
