/**
 * @module bytes
 * Byte helpers for the hot path: address formatting (done once per flow or host, never per packet)
 * and the first-seen-wins range list shared by TCP reassembly and IP fragment reassembly.
 */

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(byte: number | undefined): string {
  return HEX[(byte ?? 0) & 0xff] ?? '00';
}

/** `aa:bb:cc:dd:ee:ff` from six bytes at `off`. */
export function formatMac(b: Uint8Array, off: number): string {
  return `${hex(b[off])}:${hex(b[off + 1])}:${hex(b[off + 2])}:${hex(b[off + 3])}:${hex(b[off + 4])}:${hex(b[off + 5])}`;
}

/** Dotted quad of an unsigned 32-bit address. */
export function formatIpv4(addr: number): string {
  return `${String(addr >>> 24)}.${String((addr >>> 16) & 0xff)}.${String((addr >>> 8) & 0xff)}.${String(addr & 0xff)}`;
}

/** RFC 5952 text of an IPv6 address given as four big-endian 32-bit words. */
export function formatIpv6(w0: number, w1: number, w2: number, w3: number): string {
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  // Longest run of zero groups (length ≥ 2), first one on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const part = (from: number, to: number): string =>
    g
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(':');
  if (bestStart < 0) return part(0, 8);
  const head = part(0, bestStart);
  const tail = part(bestStart + bestLen, 8);
  // IPv4-mapped addresses keep their dotted tail (as tshark prints them).
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${formatIpv4(w3)}`;
  return `${head}::${tail}`;
}

/** A byte range held for reassembly: `data` covers stream offsets [start, start + data.length). */
export interface HeldRange {
  start: number;
  data: Uint8Array;
}

/**
 * Inserts `data` at `start` into `list` (sorted by start, non-overlapping), keeping only the bytes no
 * earlier range covers: the first-seen bytes win, as in Snort's and Suricata's "first" policy.
 * `data` must already be a private copy. Returns the number of bytes actually added.
 */
export function insertFirstWins(list: HeldRange[], start: number, data: Uint8Array): number {
  const end = start + data.length;
  if (data.length === 0) return 0;
  // Fast path: after everything held (the usual case behind a hole).
  const last = list[list.length - 1];
  if (last === undefined || last.start + last.data.length <= start) {
    list.push({ start, data });
    return data.length;
  }
  // Binary search: first range that ends after `start`.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = list[mid];
    if (r !== undefined && r.start + r.data.length <= start) lo = mid + 1;
    else hi = mid;
  }
  let i = lo;
  let added = 0;
  let s = start;
  while (s < end) {
    const r = list[i];
    if (r === undefined || r.start >= end) {
      list.splice(i, 0, { start: s, data: data.subarray(s - start, end - start) });
      added += end - s;
      break;
    }
    if (r.start > s) {
      list.splice(i, 0, { start: s, data: data.subarray(s - start, r.start - start) });
      added += r.start - s;
      i++;
    }
    s = Math.max(s, r.start + r.data.length);
    i++;
  }
  return added;
}
