/**
 * @module versions/semver
 * Semantic Versioning 2.0.0 order (npm, Go, Cargo, OSV `SEMVER` ranges) through the `semver`
 * package. Go's `v` prefix and OSV's bare "0" are accepted; strings that are not semantic versions
 * fall back to the generic order so the comparator stays total.
 */
import semver from 'semver';
import { compareGeneric } from './generic.js';

function coerceSemver(version: string): string | null {
  const v = version.trim().replace(/^v/, '');
  if (semver.valid(v) !== null) return v;
  // "1" and "1.2" (OSV's "0", Go's short forms) are 1.0.0 and 1.2.0.
  const short = /^(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/.exec(v);
  if (short !== null) return `${short[1] ?? '0'}.${short[2] ?? '0'}.0`;
  return null;
}

export function isValidSemver(version: string): boolean {
  return coerceSemver(version) !== null;
}

export function compareSemver(a: string, b: string): number {
  const x = coerceSemver(a);
  const y = coerceSemver(b);
  if (x !== null && y !== null) return semver.compare(x, y);
  if (x !== null) return 1; // valid versions sort above garbage
  if (y !== null) return -1;
  return compareGeneric(a, b);
}
