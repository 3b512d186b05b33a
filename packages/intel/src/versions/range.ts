/**
 * @module versions/range
 * Whether a version lies in a VersionRange of the shared model: OSV events (introduced / fixed /
 * last_affected, one interval per range), NVD bounds (versionStart/End Including/Excluding), exact
 * version lists and `vers:` strings, each compared in the range's scheme. Also a one-line
 * description of a range for a finding's explanation.
 */
import type { VersionRange } from '@ward/core';
import { schemeOfRange, type VersionScheme } from './scheme.js';
import { parseVers, versContains } from './vers.js';

const present = (v: string | null | undefined): v is string => v !== null && v !== undefined && v !== '';

function hasBounds(r: VersionRange): boolean {
  return [
    r.introduced,
    r.fixed,
    r.lastAffected,
    r.startIncluding,
    r.startExcluding,
    r.endIncluding,
    r.endExcluding,
  ].some(present);
}

/** True when `version` is inside `range`. Never throws: a malformed `vers` counts as not containing. */
export function rangeContains(
  range: VersionRange,
  version: string,
  scheme: VersionScheme = schemeOfRange(range.scheme),
): boolean {
  if (range.versions?.some((v) => scheme.compare(v, version) === 0) === true) return true;
  if (range.vers !== undefined) {
    try {
      if (versContains(parseVers(range.vers), version, scheme)) return true;
    } catch {
      // a malformed vers was reported when the feed was parsed
    }
  }
  if (!hasBounds(range)) return false;
  const cmp = (bound: string): number => scheme.compare(version, bound);
  if (present(range.introduced) && range.introduced !== '0' && cmp(range.introduced) < 0) return false;
  if (present(range.startIncluding) && cmp(range.startIncluding) < 0) return false;
  if (present(range.startExcluding) && cmp(range.startExcluding) <= 0) return false;
  if (present(range.fixed) && cmp(range.fixed) >= 0) return false;
  if (present(range.endExcluding) && cmp(range.endExcluding) >= 0) return false;
  if (present(range.lastAffected) && cmp(range.lastAffected) > 0) return false;
  if (present(range.endIncluding) && cmp(range.endIncluding) > 0) return false;
  return true;
}

/** "≥ 2.1.1-0, < 3.0.0 (semver)" — for explanations. */
export function describeRange(range: VersionRange): string {
  const parts: string[] = [];
  if (present(range.introduced)) parts.push(range.introduced === '0' ? 'all before' : `>= ${range.introduced}`);
  if (present(range.startIncluding)) parts.push(`>= ${range.startIncluding}`);
  if (present(range.startExcluding)) parts.push(`> ${range.startExcluding}`);
  if (present(range.fixed)) parts.push(`< ${range.fixed}`);
  if (present(range.endExcluding)) parts.push(`< ${range.endExcluding}`);
  if (present(range.lastAffected)) parts.push(`<= ${range.lastAffected}`);
  if (present(range.endIncluding)) parts.push(`<= ${range.endIncluding}`);
  if (range.versions !== undefined && range.versions.length > 0)
    parts.push(`one of ${range.versions.slice(0, 5).join(', ')}${range.versions.length > 5 ? '…' : ''}`);
  if (range.vers !== undefined) parts.push(range.vers);
  const text =
    parts.length === 1 && parts[0] === 'all before' ? 'all versions' : parts.join(', ').replace(/^all before, /, '');
  return `${text} (${range.scheme})`;
}
