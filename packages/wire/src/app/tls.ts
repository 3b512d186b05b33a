/**
 * @module app/tls
 * TLS ClientHello and ServerHello, reassembled across records and TCP segments: SNI, ALPN, offered
 * and chosen versions, and the client's JA4 fingerprint (FoxIO spec: GREASE ignored everywhere,
 * ciphers and extensions sorted, SNI and ALPN left out of the extension hash, signature algorithms
 * appended in order, SHA-256 truncated to 12 hex digits). Each direction stops after its hello;
 * nothing after it (certificates, application data) is read.
 */
import type { AppContext, AppDecoderFactory, Direction, Micros, TcpAppDecoder } from '../events.js';
import { Gather, latin1Of, u16be } from './bytes.js';
import { sha256HexOfAscii } from './sha256.js';

/** Largest handshake message gathered (a ClientHello with post-quantum key shares is ~2 KB). */
export const TLS_MAX_HANDSHAKE = 64 * 1024;
const MAX_RECORD = 16384 + 2048;

export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

export function tlsVersionName(v: number): string {
  switch (v) {
    case 0x0304:
      return 'TLS 1.3';
    case 0x0303:
      return 'TLS 1.2';
    case 0x0302:
      return 'TLS 1.1';
    case 0x0301:
      return 'TLS 1.0';
    case 0x0300:
      return 'SSL 3.0';
    case 0x0002:
      return 'SSL 2.0';
    default:
      return `0x${v.toString(16).padStart(4, '0')}`;
  }
}

function ja4Version(v: number): string {
  const table: Record<number, string> = {
    0x0304: '13',
    0x0303: '12',
    0x0302: '11',
    0x0301: '10',
    0x0300: 's3',
    0x0002: 's2',
    0xfeff: 'd1',
    0xfefd: 'd2',
    0xfefc: 'd3',
  };
  return table[v] ?? '00';
}

const hex4 = (v: number): string => v.toString(16).padStart(4, '0');
const two = (n: number): string => String(Math.min(n, 99)).padStart(2, '0');
const isAlnum = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** The two ALPN characters of JA4_a for the first ALPN value's bytes. */
export function ja4Alpn(first: Uint8Array | undefined): string {
  if (first === undefined || first.length === 0) return '00';
  const a = first[0] ?? 0;
  const z = first[first.length - 1] ?? 0;
  if (isAlnum(a) && isAlnum(z)) return String.fromCharCode(a, z);
  return (a >> 4).toString(16) + (z & 0x0f).toString(16);
}

/** What JA4 is computed from (GREASE not yet removed). */
export interface Ja4Input {
  readonly transport: 't' | 'q' | 'd';
  readonly version: number;
  readonly ciphers: readonly number[];
  readonly extensions: readonly number[];
  readonly hasSni: boolean;
  readonly firstAlpn: Uint8Array | undefined;
  readonly signatureAlgorithms: readonly number[];
}

export function computeJa4(input: Ja4Input): string {
  const ciphers = input.ciphers.filter((c) => !isGrease(c));
  const extensions = input.extensions.filter((e) => !isGrease(e));
  const sigs = input.signatureAlgorithms.filter((s) => !isGrease(s));
  const a = `${input.transport}${ja4Version(input.version)}${input.hasSni ? 'd' : 'i'}${two(ciphers.length)}${two(extensions.length)}${ja4Alpn(input.firstAlpn)}`;
  const sortedCiphers = ciphers.map(hex4).sort();
  const b = sortedCiphers.length === 0 ? '000000000000' : sha256HexOfAscii(sortedCiphers.join(',')).slice(0, 12);
  const sortedExtensions = extensions
    .filter((e) => e !== 0x0000 && e !== 0x0010)
    .map(hex4)
    .sort();
  const cText = sortedExtensions.join(',') + (sigs.length === 0 ? '' : `_${sigs.map(hex4).join(',')}`);
  const c = sortedExtensions.length === 0 ? '000000000000' : sha256HexOfAscii(cText).slice(0, 12);
  return `${a}_${b}_${c}`;
}

export interface ClientHello {
  readonly sni?: string;
  readonly alpn: readonly string[];
  readonly versions: readonly string[];
  readonly ja4: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; offset: number; detail: string };

/** Parses a ClientHello body (after the 4-byte handshake header). */
export function parseClientHello(b: Uint8Array): Parsed<ClientHello> {
  if (b.length < 38) return { ok: false, offset: 0, detail: 'ClientHello too short' };
  const legacy = u16be(b, 0);
  let at = 34;
  at += 1 + (b[at] ?? 0);
  if (at + 2 > b.length) return { ok: false, offset: at, detail: 'session id runs past the ClientHello' };
  const cipherBytes = u16be(b, at);
  at += 2;
  if (at + cipherBytes > b.length || cipherBytes % 2 !== 0) return { ok: false, offset: at, detail: 'bad cipher list' };
  const ciphers: number[] = [];
  for (let i = 0; i < cipherBytes; i += 2) ciphers.push(u16be(b, at + i));
  at += cipherBytes;
  if (at + 1 > b.length) return { ok: false, offset: at, detail: 'compression methods missing' };
  at += 1 + (b[at] ?? 0);
  if (at > b.length) return { ok: false, offset: at, detail: 'compression methods run past the ClientHello' };
  const extensions: number[] = [];
  let sni: string | undefined;
  let hasSni = false;
  const alpn: string[] = [];
  let firstAlpn: Uint8Array | undefined;
  let supported: number[] | undefined;
  let sigs: number[] = [];
  if (at + 2 <= b.length) {
    const end = at + 2 + u16be(b, at);
    if (end > b.length) return { ok: false, offset: at, detail: 'extensions run past the ClientHello' };
    at += 2;
    while (at + 4 <= end) {
      const type = u16be(b, at);
      const len = u16be(b, at + 2);
      const start = at + 4;
      const stop = start + len;
      if (stop > end) return { ok: false, offset: at, detail: 'extension runs past the extension list' };
      extensions.push(type);
      if (type === 0x0000) {
        hasSni = true;
        for (let p = start + 2; p + 3 <= stop;) {
          const nameLength = u16be(b, p + 1);
          if (p + 3 + nameLength > stop) break;
          if (b[p] === 0 && sni === undefined) sni = latin1Of(b, p + 3, p + 3 + nameLength);
          p += 3 + nameLength;
        }
      } else if (type === 0x0010) {
        for (let p = start + 2; p < stop && alpn.length < 16;) {
          const l = b[p] ?? 0;
          if (p + 1 + l > stop) break;
          if (firstAlpn === undefined) firstAlpn = b.subarray(p + 1, p + 1 + l);
          alpn.push(latin1Of(b, p + 1, p + 1 + l, 64));
          p += 1 + l;
        }
      } else if (type === 0x002b) {
        supported = [];
        const l = b[start] ?? 0;
        for (let p = start + 1; p + 2 <= Math.min(stop, start + 1 + l); p += 2) supported.push(u16be(b, p));
      } else if (type === 0x000d) {
        sigs = [];
        const l = u16be(b, start);
        for (let p = start + 2; p + 2 <= Math.min(stop, start + 2 + l); p += 2) sigs.push(u16be(b, p));
      }
      at = stop;
    }
  }
  const offered = (supported ?? [legacy]).filter((v) => !isGrease(v));
  const highest = supported === undefined ? legacy : offered.reduce((m, v) => Math.max(m, v), 0);
  return {
    ok: true,
    value: {
      ...(sni === undefined ? {} : { sni }),
      alpn,
      versions: offered.map(tlsVersionName),
      ja4: computeJa4({
        transport: 't',
        version: highest,
        ciphers,
        extensions,
        hasSni,
        firstAlpn,
        signatureAlgorithms: sigs,
      }),
    },
  };
}

export interface ServerHello {
  readonly version: string;
  readonly cipherSuite: number;
  readonly alpn?: string;
}

/** Parses a ServerHello body (after the 4-byte handshake header). */
export function parseServerHello(b: Uint8Array): Parsed<ServerHello> {
  if (b.length < 38) return { ok: false, offset: 0, detail: 'ServerHello too short' };
  let version = u16be(b, 0);
  let at = 34;
  at += 1 + (b[at] ?? 0);
  if (at + 3 > b.length) return { ok: false, offset: at, detail: 'session id runs past the ServerHello' };
  const cipherSuite = u16be(b, at);
  at += 3;
  let alpn: string | undefined;
  if (at + 2 <= b.length) {
    const end = Math.min(b.length, at + 2 + u16be(b, at));
    at += 2;
    while (at + 4 <= end) {
      const type = u16be(b, at);
      const len = u16be(b, at + 2);
      const start = at + 4;
      if (start + len > end) return { ok: false, offset: at, detail: 'extension runs past the ServerHello' };
      if (type === 0x002b && len === 2) version = u16be(b, start);
      else if (type === 0x0010 && len >= 3)
        alpn = latin1Of(b, start + 3, Math.min(start + len, start + 3 + (b[start + 2] ?? 0)), 64);
      at = start + len;
    }
  }
  return {
    ok: true,
    value: { version: tlsVersionName(version), cipherSuite, ...(alpn === undefined ? {} : { alpn }) },
  };
}

const RECORD_HEADER = 0;
const RECORD_BODY = 1;
const DONE = 2;

class TlsSide {
  private state = RECORD_HEADER;
  private readonly gather = new Gather(512);
  private recordType = 0;
  private handshake = new Uint8Array(0);
  private handshakeLength = 0;
  private position = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly direction: Direction,
  ) {
    this.gather.expect(5);
  }

  onData(data: Uint8Array, ts: Micros): void {
    let i = 0;
    while (i < data.length && this.state !== DONE) {
      i += this.gather.feed(data, i);
      if (!this.gather.complete) break;
      const bytes = this.gather.bytes();
      if (this.state === RECORD_HEADER) {
        const type = bytes[0] ?? 0;
        const length = u16be(bytes, 3);
        if (type < 20 || type > 24 || bytes[1] !== 3 || length > MAX_RECORD) {
          this.giveUp(this.position + i - 5, 'not a TLS record header', ts);
          break;
        }
        this.recordType = type;
        this.state = RECORD_BODY;
        this.gather.expect(length);
        if (length === 0) {
          this.state = RECORD_HEADER;
          this.gather.expect(5);
        }
      } else {
        if (this.recordType === 22) this.onHandshakeBytes(bytes, ts, this.position + i);
        else if (this.recordType === 23 || this.recordType === 21) this.state = DONE; // encrypted from here on
        if (this.state !== DONE) {
          this.state = RECORD_HEADER;
          this.gather.expect(5);
        }
      }
    }
    this.position += data.length;
  }

  onGap(): void {
    this.state = DONE;
  }

  private giveUp(
    offset: number,
    detail: string,
    ts: Micros,
    code: 'WIRE_TLS_MALFORMED' | 'WIRE_APP_LIMIT' = 'WIRE_TLS_MALFORMED',
  ): void {
    this.ctx.error(code, offset, detail, ts);
    this.state = DONE;
    this.handshake = new Uint8Array(0);
  }

  private onHandshakeBytes(fragment: Uint8Array, ts: Micros, offset: number): void {
    const needed = this.handshakeLength + fragment.length;
    if (needed > TLS_MAX_HANDSHAKE) {
      this.giveUp(offset, 'handshake message over the bound', ts, 'WIRE_APP_LIMIT');
      return;
    }
    if (needed > this.handshake.length) {
      const bigger = new Uint8Array(Math.min(TLS_MAX_HANDSHAKE, Math.max(needed, this.handshake.length * 2, 1024)));
      bigger.set(this.handshake.subarray(0, this.handshakeLength));
      this.handshake = bigger;
    }
    this.handshake.set(fragment, this.handshakeLength);
    this.handshakeLength = needed;
    // read every complete handshake message gathered so far
    let at = 0;
    while (this.state !== DONE && at + 4 <= this.handshakeLength) {
      const type = this.handshake[at] ?? 0;
      const length = ((this.handshake[at + 1] ?? 0) << 16) | u16be(this.handshake, at + 2);
      if (length > TLS_MAX_HANDSHAKE) {
        this.giveUp(offset, 'handshake message over the bound', ts, 'WIRE_APP_LIMIT');
        return;
      }
      if (at + 4 + length > this.handshakeLength) break;
      this.onHandshakeMessage(type, this.handshake.subarray(at + 4, at + 4 + length), ts, offset);
      at += 4 + length;
    }
    if (at > 0 && this.state !== DONE) {
      this.handshake.copyWithin(0, at, this.handshakeLength);
      this.handshakeLength -= at;
    }
  }

  private onHandshakeMessage(type: number, body: Uint8Array, ts: Micros, offset: number): void {
    const base = { ts, flow: this.ctx.flow, direction: this.direction };
    if (type === 1) {
      const r = parseClientHello(body);
      if (r.ok) this.ctx.emit({ ...base, kind: 'tls-client-hello', ...r.value });
      else this.ctx.error('WIRE_TLS_MALFORMED', offset, r.detail, ts);
      this.state = DONE;
    } else if (type === 2) {
      const r = parseServerHello(body);
      if (r.ok) this.ctx.emit({ ...base, kind: 'tls-server-hello', ...r.value });
      else this.ctx.error('WIRE_TLS_MALFORMED', offset, r.detail, ts);
      this.state = DONE;
    }
  }
}

class TlsDecoder implements TcpAppDecoder {
  private readonly sides: Record<Direction, TlsSide>;
  constructor(ctx: AppContext) {
    this.sides = { toServer: new TlsSide(ctx, 'toServer'), toClient: new TlsSide(ctx, 'toClient') };
  }
  onData(direction: Direction, data: Uint8Array, ts: Micros): void {
    this.sides[direction].onData(data, ts);
  }
  onGap(direction: Direction): void {
    this.sides[direction].onGap();
  }
  onEnd(): void {
    // a hello cut short by the end of the capture is dropped
  }
}

/** A handshake record (TLS 1.0–1.3 record version) starting with a ClientHello. */
export function detectTls(first: Uint8Array): boolean {
  return first[0] === 0x16 && first[1] === 0x03 && (first[2] ?? 9) <= 0x04 && first[5] === 0x01;
}

export const tlsDecoder: AppDecoderFactory = {
  protocol: 'tls',
  tcpPorts: [443, 8443, 465, 636, 993, 995, 2762, 5061, 6514],
  detect: detectTls,
  createTcp: (ctx) => new TlsDecoder(ctx),
};
