/**
 * @module versions/debian
 * Debian version order (Debian Policy §5.6.12): `[epoch:]upstream[-revision]`, compared part by
 * part; within a part, alternating non-digit and digit runs, where `~` sorts before everything
 * (even the end of the string), then the end, then letters, then other characters. Strings that
 * are not valid Debian versions are still ordered (the algorithm is total on any string).
 */
import { compareDigits } from './generic.js';

export interface DebianVersion {
  readonly epoch: string;
  readonly upstream: string;
  readonly revision: string;
}

export function parseDebian(version: string): DebianVersion {
  const v = version.trim();
  const colon = v.indexOf(':');
  const hasEpoch = colon > 0 && /^\d+$/.test(v.slice(0, colon));
  const epoch = hasEpoch ? v.slice(0, colon) : '0';
  const rest = hasEpoch ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return dash === -1
    ? { epoch, upstream: rest, revision: '' }
    : { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) };
}

export function isValidDebian(version: string): boolean {
  const { upstream, revision } = parseDebian(version);
  return /^[0-9][A-Za-z0-9.+~:-]*$/.test(upstream) && /^[A-Za-z0-9.+~]*$/.test(revision);
}

/** dpkg's `order()`: ~ < end < letters < everything else. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  if (c >= '0' && c <= '9') return 0;
  return c.charCodeAt(0) + 256;
}

/** dpkg's `verrevcmp`. */
export function compareDebianPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const digit = (s: string, k: number): boolean => k < s.length && s.charAt(k) >= '0' && s.charAt(k) <= '9';
  while (i < a.length || j < b.length) {
    while ((i < a.length && !digit(a, i)) || (j < b.length && !digit(b, j))) {
      const ac = order(i < a.length && !digit(a, i) ? a.charAt(i) : undefined);
      const bc = order(j < b.length && !digit(b, j) ? b.charAt(j) : undefined);
      if (ac !== bc) return ac < bc ? -1 : 1;
      if (i < a.length && !digit(a, i)) i++;
      if (j < b.length && !digit(b, j)) j++;
    }
    const si = i;
    while (digit(a, i)) i++;
    const sj = j;
    while (digit(b, j)) j++;
    const c = compareDigits(a.slice(si, i) || '0', b.slice(sj, j) || '0');
    if (c !== 0) return c;
  }
  return 0;
}

export function compareDebian(a: string, b: string): number {
  const x = parseDebian(a);
  const y = parseDebian(b);
  return (
    compareDigits(x.epoch, y.epoch) ||
    compareDebianPart(x.upstream, y.upstream) ||
    compareDebianPart(x.revision, y.revision)
  );
}
