/**
 * @module versions/rpm
 * RPM version order: `rpmvercmp` from rpm's `rpmio/rpmvercmp.c` (alphanumeric segments, digits
 * beat letters, `~` sorts before everything including the end, `^` after the end but before any
 * further segment), applied to `[epoch:]version[-release]` in that order.
 */
import { compareDigits } from './generic.js';

const isAlnum = (c: string): boolean => /[A-Za-z0-9]/.test(c);
const isDigitChar = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => /[A-Za-z]/.test(c);

/** rpmvercmp(a, b): -1, 0 or 1. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a.charAt(i)) && a.charAt(i) !== '~' && a.charAt(i) !== '^') i++;
    while (j < b.length && !isAlnum(b.charAt(j)) && b.charAt(j) !== '~' && b.charAt(j) !== '^') j++;
    const ca = a.charAt(i);
    const cb = b.charAt(j);
    // Tilde: sorts before everything else.
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // Caret: like the end of the string, but above it if the other has ended.
    if (ca === '^' || cb === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const si = i;
    const sj = j;
    const numeric = isDigitChar(ca);
    const take = numeric ? isDigitChar : isAlpha;
    while (i < a.length && take(a.charAt(i))) i++;
    while (j < b.length && take(b.charAt(j))) j++;
    const sa = a.slice(si, i);
    const sb = b.slice(sj, j);
    // The segments are of different types: numeric beats alpha.
    if (sb.length === 0) return numeric ? 1 : -1;
    const c = numeric ? compareDigits(sa, sb) : sa < sb ? -1 : sa > sb ? 1 : 0;
    if (c !== 0) return c;
  }
  const restA = i < a.length;
  const restB = j < b.length;
  if (!restA && !restB) return 0;
  return restA ? 1 : -1;
}

export interface RpmEvr {
  readonly epoch: string;
  readonly version: string;
  readonly release: string | null;
}

export function parseRpm(evr: string): RpmEvr {
  const v = evr.trim();
  const colon = v.indexOf(':');
  const hasEpoch = colon > 0 && /^\d+$/.test(v.slice(0, colon));
  const rest = hasEpoch ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return {
    epoch: hasEpoch ? v.slice(0, colon) : '0',
    version: dash === -1 ? rest : rest.slice(0, dash),
    release: dash === -1 ? null : rest.slice(dash + 1),
  };
}

export function isValidRpm(version: string): boolean {
  return /^(\d+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?$/.test(version.trim());
}

export function compareRpm(a: string, b: string): number {
  const x = parseRpm(a);
  const y = parseRpm(b);
  const e = compareDigits(x.epoch, y.epoch);
  if (e !== 0) return e;
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0) return v;
  // A missing release sorts below any release, so the order stays total (rpm treats it as "any").
  if (x.release === null || y.release === null) return x.release === y.release ? 0 : x.release === null ? -1 : 1;
  return rpmvercmp(x.release, y.release);
}
