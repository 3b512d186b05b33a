/**
 * @module app/bytes
 * Small, allocation-conscious helpers shared by the application decoders: text of a bounded byte
 * range (Latin-1 or UTF-8, decoded once per field), hex, IP addresses, and `Gather`, which collects
 * exactly the bytes a header or message needs across arbitrary chunk boundaries, within a bound.
 */

/** Characters kept per decoded text field; longer fields are cut (a hostile peer cannot inflate events). */
export const MAX_FIELD_CHARS = 256;

const CHUNK = 4096;

/** Latin-1 text of `bytes[start, end)`, at most `max` characters. */
export function latin1Of(bytes: Uint8Array, start: number, end: number, max = MAX_FIELD_CHARS): string {
  const stop = Math.min(end, start + max, bytes.length);
  if (stop <= start) return '';
  if (stop - start <= CHUNK) return String.fromCharCode(...bytes.subarray(start, stop));
  let out = '';
  for (let i = start; i < stop; i += CHUNK) out += String.fromCharCode(...bytes.subarray(i, Math.min(stop, i + CHUNK)));
  return out;
}

/** UTF-8 text of `bytes[start, end)` (invalid sequences become U+FFFD), at most `max` bytes read. */
export function utf8Of(bytes: Uint8Array, start: number, end: number, max = MAX_FIELD_CHARS): string {
  const stop = Math.min(end, start + max, bytes.length);
  let ascii = true;
  for (let i = start; i < stop; i++) {
    if ((bytes[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return latin1Of(bytes, start, stop, max);
  const codes: number[] = [];
  let i = start;
  while (i < stop) {
    const b0 = bytes[i] ?? 0;
    if (b0 < 0x80) {
      codes.push(b0);
      i += 1;
      continue;
    }
    const need = b0 >= 0xf0 && b0 < 0xf8 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc2 && b0 < 0xe0 ? 1 : -1;
    if (need < 0 || i + need >= stop) {
      codes.push(0xfffd);
      i += 1;
      continue;
    }
    let cp = need === 1 ? b0 & 0x1f : need === 2 ? b0 & 0x0f : b0 & 0x07;
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k] ?? 0;
      if ((b & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (b & 0x3f);
    }
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      codes.push(0xfffd);
      i += 1;
      continue;
    }
    codes.push(cp);
    i += need + 1;
  }
  return String.fromCodePoint(...codes);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes[start, end)`, at most `maxBytes` bytes. */
export function hexOf(bytes: Uint8Array, start = 0, end = bytes.length, maxBytes = MAX_FIELD_CHARS): string {
  const stop = Math.min(end, start + maxBytes, bytes.length);
  let out = '';
  for (let i = start; i < stop; i++) out += HEX[bytes[i] ?? 0] ?? '';
  return out;
}

/** `aa:bb:cc:dd:ee:ff` form of `length` bytes at `at`. */
export function macOf(bytes: Uint8Array, at: number, length = 6): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i++) parts.push(HEX[bytes[at + i] ?? 0] ?? '00');
  return parts.join(':');
}

export function ipv4Of(bytes: Uint8Array, at: number): string {
  return `${String(bytes[at] ?? 0)}.${String(bytes[at + 1] ?? 0)}.${String(bytes[at + 2] ?? 0)}.${String(bytes[at + 3] ?? 0)}`;
}

/** RFC 5952 text of the IPv6 address at `at` (longest zero run of two or more compressed). */
export function ipv6Of(bytes: Uint8Array, at: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[at + 2 * i] ?? 0) << 8) | (bytes[at + 2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (w: number): string => w.toString(16);
  if (bestStart < 0) return words.map(hex).join(':');
  const head = words.slice(0, bestStart).map(hex).join(':');
  const tail = words
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}

export function u16be(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

export function u32be(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}

export function u16le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

export function u32le(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
}

/**
 * Collects exactly `want` bytes across chunk boundaries. When a chunk holds the whole of them, no
 * copy is made (`bytes()` is a view of the chunk, valid until the next `feed`). `want` is checked
 * against `limit` by the caller before `expect`.
 */
export class Gather {
  private buffer: Uint8Array;
  private have = 0;
  private want = 0;
  private view: Uint8Array | null = null;

  constructor(initial = 256) {
    this.buffer = new Uint8Array(initial);
  }

  /** Starts collecting `want` bytes (drops anything collected before). */
  expect(want: number): void {
    this.want = want;
    this.have = 0;
    this.view = null;
    if (want > this.buffer.length) this.buffer = new Uint8Array(Math.max(want, this.buffer.length * 2));
  }

  /** Takes what it still needs from `data[offset..]`; returns the number of bytes taken. */
  feed(data: Uint8Array, offset: number): number {
    const missing = this.want - this.have;
    const available = data.length - offset;
    if (this.have === 0 && available >= missing) {
      this.view = data.subarray(offset, offset + missing);
      this.have = missing;
      return missing;
    }
    const n = Math.min(missing, available);
    this.buffer.set(data.subarray(offset, offset + n), this.have);
    this.have += n;
    return n;
  }

  get complete(): boolean {
    return this.have >= this.want;
  }

  /** The collected bytes (only meaningful once `complete`). */
  bytes(): Uint8Array {
    return this.view ?? this.buffer.subarray(0, this.have);
  }

  /** Lets go of a large buffer after an unusual message so one big PDU does not pin memory. */
  shrink(initial = 256): void {
    if (this.buffer.length > 65536) this.buffer = new Uint8Array(initial);
    this.view = null;
  }

  /** Bytes currently held (for bound checks in tests). */
  get capacity(): number {
    return this.buffer.length;
  }
}
