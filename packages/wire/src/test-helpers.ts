/**
 * @module test-helpers
 * Builders for the small captures and packets wire's tests make themselves: pcap (either byte order,
 * micro/nano, the 24-byte record variant), pcapng (either byte order, several interfaces, unknown
 * blocks), Ethernet/IPv4/IPv6/TCP/UDP frames. Test-only (excluded from the build).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Micros, WireEvent } from './events.js';
import { createDecoder, type Decoder, type DecoderOptions } from './decoder.js';

export interface TestPacket {
  readonly data: Uint8Array;
  readonly ts: Micros;
  readonly originalLength?: number;
  readonly iface?: number;
}

class Writer {
  private readonly parts: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4 !== 0) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface PcapOptions {
  readonly le?: boolean;
  readonly nano?: boolean;
  readonly linkType?: number;
  /** 24-byte record headers behind the standard magic (Red Hat 6.1 style), or with the 0xa1b2cd34 magic. */
  readonly variant?: 'rh61' | 'modified-magic';
  readonly snaplen?: number;
}

export function pcapFile(packets: readonly TestPacket[], o: PcapOptions = {}): Uint8Array {
  const w = new Writer(o.le ?? true);
  const magic = o.variant === 'modified-magic' ? 0xa1b2cd34 : o.nano === true ? 0xa1b23c4d : 0xa1b2c3d4;
  w.u32(magic)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(o.snaplen ?? 262144)
    .u32(o.linkType ?? 1);
  for (const p of packets) {
    const sec = Math.floor(p.ts / 1e6);
    const frac = o.nano === true ? Math.round((p.ts - sec * 1e6) * 1000) : Math.round(p.ts - sec * 1e6);
    w.u32(sec)
      .u32(frac)
      .u32(p.data.length)
      .u32(p.originalLength ?? p.data.length);
    if (o.variant !== undefined)
      w.u32(p.iface ?? 0)
        .u16(0x0800)
        .u8(0)
        .u8(0);
    w.bytes(p.data);
  }
  return w.done();
}

export interface PcapngInterface {
  readonly linkType: number;
  /** if_tsresol byte (6 = microseconds, 9 = nanoseconds, 0x80|n = 2^-n). */
  readonly tsresol?: number;
  readonly snaplen?: number;
}

export interface PcapngOptions {
  readonly le?: boolean;
  readonly interfaces: readonly PcapngInterface[];
  /** Insert an unknown block (and a name resolution block) before each packet. */
  readonly noise?: boolean;
  /** Write packets as Simple Packet Blocks (interface 0, no time). */
  readonly simple?: boolean;
}

function block(le: boolean, type: number, body: Uint8Array): Uint8Array {
  const w = new Writer(le);
  const padded = (body.length + 3) & ~3;
  const len = 12 + padded;
  w.u32(type).u32(len).bytes(body).pad4().u32(len);
  return w.done();
}

export function pcapngFile(packets: readonly TestPacket[], o: PcapngOptions): Uint8Array {
  const le = o.le ?? true;
  const blocks: Uint8Array[] = [];
  blocks.push(
    block(le, 0x0a0d0d0a, new Writer(le).u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff).done()),
  );
  for (const i of o.interfaces) {
    const w = new Writer(le)
      .u16(i.linkType)
      .u16(0)
      .u32(i.snaplen ?? 0);
    if (i.tsresol !== undefined) w.u16(9).u16(1).u8(i.tsresol).pad4();
    w.u16(0).u16(0);
    blocks.push(block(le, 1, w.done()));
  }
  for (const p of packets) {
    if (o.noise === true) {
      blocks.push(
        block(
          le,
          0x0bad0bad,
          Uint8Array.from({ length: 37 }, (_, k) => k),
        ),
      );
      blocks.push(block(le, 4, new Writer(le).u16(0).u16(0).done()));
    }
    if (o.simple === true) {
      blocks.push(
        block(
          le,
          3,
          new Writer(le)
            .u32(p.originalLength ?? p.data.length)
            .bytes(p.data)
            .done(),
        ),
      );
      continue;
    }
    const iface = o.interfaces[p.iface ?? 0];
    const r = iface?.tsresol ?? 6;
    const unitsPerSec = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
    const units = BigInt(Math.round((p.ts / 1e6) * unitsPerSec));
    const hi = Number(units >> 32n);
    const lo = Number(units & 0xffffffffn);
    const w = new Writer(le)
      .u32(p.iface ?? 0)
      .u32(hi)
      .u32(lo)
      .u32(p.data.length)
      .u32(p.originalLength ?? p.data.length)
      .bytes(p.data);
    blocks.push(block(le, 6, w.done()));
  }
  return concat(blocks);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

export function macBytes(text: string): number[] {
  return text.split(':').map((h) => parseInt(h, 16));
}

export interface TcpSpec {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly flags: number;
  readonly payload?: Uint8Array;
}

export const FIN = 0x01;
export const SYN = 0x02;
export const PSH = 0x08;
export const ACK = 0x10;

function be16(v: number): number[] {
  return [(v >>> 8) & 0xff, v & 0xff];
}
function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** An IPv4 header + body (checksum left 0). */
export function ipv4(
  src: string,
  dst: string,
  proto: number,
  body: Uint8Array,
  frag?: { id: number; offset: number; more: boolean },
): Uint8Array {
  const total = 20 + body.length;
  const flagsOff = frag === undefined ? 0x4000 : (frag.more ? 0x2000 : 0) | (frag.offset >>> 3);
  return Uint8Array.from([
    0x45,
    0,
    ...be16(total),
    ...be16(frag?.id ?? 1),
    ...be16(flagsOff),
    64,
    proto,
    0,
    0,
    ...ipv4Bytes(src),
    ...ipv4Bytes(dst),
    ...body,
  ]);
}

export function tcpSegment(t: TcpSpec): Uint8Array {
  const payload = t.payload ?? new Uint8Array(0);
  return Uint8Array.from([
    ...be16(t.sport),
    ...be16(t.dport),
    ...be32(t.seq),
    ...be32(0),
    0x50,
    t.flags,
    ...be16(65535),
    0,
    0,
    0,
    0,
    ...payload,
  ]);
}

export function udpDatagram(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return Uint8Array.from([...be16(sport), ...be16(dport), ...be16(8 + payload.length), 0, 0, ...payload]);
}

export function ethernet(
  src: string,
  dst: string,
  etherType: number,
  body: Uint8Array,
  vlans: readonly number[] = [],
): Uint8Array {
  const tags: number[] = [];
  vlans.forEach((v, i) => tags.push(...be16(i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100), ...be16(v)));
  return Uint8Array.from([...macBytes(dst), ...macBytes(src), ...tags, ...be16(etherType), ...body]);
}

export function tcpFrame(
  t: TcpSpec,
  macs: { src: string; dst: string } = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' },
  vlans: readonly number[] = [],
): Uint8Array {
  return ethernet(macs.src, macs.dst, 0x0800, ipv4(t.src, t.dst, 6, tcpSegment(t)), vlans);
}

/** Decodes a whole buffer, pushing it in chunks of `chunk` bytes, and collects the events. */
export function decodeAll(
  bytes: Uint8Array,
  options: Omit<DecoderOptions, 'sink'> = {},
  chunk = 65536,
): { events: WireEvent[]; decoder: Decoder } {
  const events: WireEvent[] = [];
  const decoder = createDecoder({ ...options, sink: (e) => events.push(e) });
  for (let i = 0; i < bytes.length; i += chunk) decoder.push(bytes.subarray(i, i + chunk));
  decoder.end();
  return { events, decoder };
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * `../shared/data/pcap` next to the repository root (the lead's checkout), or two levels up from a
 * helper's worktree (`/work/wt/<name>`); the first that exists, else the former (absent).
 */
export function sharedPcapDir(): string {
  const candidates = [resolve(repoRoot, '../shared/data/pcap'), resolve(repoRoot, '../../shared/data/pcap')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0] ?? '';
}
