/**
 * @module versions/vers
 * `vers:` version range specifiers (purl-spec VERSION-RANGE-SPEC): parsing
 * `vers:<scheme>/<constraint>|<constraint>…` with comparators `=`, `!=`, `<`, `<=`, `>`, `>=` and
 * the lone `*`, and the spec's containment algorithm. Constraints are sorted by the scheme's order
 * on parsing (the spec requires it; we accept unsorted input rather than reject it).
 */
import { IntelMatchError } from '../match-errors.js';
import { versionScheme, type VersionScheme } from './scheme.js';

export type VersComparator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface VersConstraint {
  readonly comparator: VersComparator;
  readonly version: string;
}

export interface VersRange {
  /** The `vers:` scheme as written ('npm', 'pypi', 'all'…). */
  readonly scheme: string;
  /** True for `vers:<scheme>/*`: every version. */
  readonly all: boolean;
  readonly constraints: readonly VersConstraint[];
}

const COMPARATORS: readonly VersComparator[] = ['>=', '<=', '!=', '<', '>', '='];

function decode(text: string, input: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new IntelMatchError('INTEL_VERS_INVALID', `${input}: bad percent-encoding`, {
      cause,
      details: { vers: input },
    });
  }
}

/** Parses a `vers:` string; throws INTEL_VERS_INVALID when it is not one. */
export function parseVers(input: string): VersRange {
  const text = input.replace(/\s+/g, '');
  const m = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(text);
  if (m === null)
    throw new IntelMatchError('INTEL_VERS_INVALID', `${input}: expected vers:<scheme>/<constraints>`, {
      details: { vers: input },
    });
  const scheme = (m[1] ?? '').toLowerCase();
  const body = m[2] ?? '';
  if (body === '*') return { scheme, all: true, constraints: [] };
  if (body === '')
    throw new IntelMatchError('INTEL_VERS_INVALID', `${input}: no constraints`, { details: { vers: input } });
  const constraints: VersConstraint[] = [];
  for (const part of body.split('|')) {
    const comparator = COMPARATORS.find((c) => part.startsWith(c)) ?? '=';
    const version = decode(part.slice(comparator === '=' && !part.startsWith('=') ? 0 : comparator.length), input);
    if (version === '' || version === '*') {
      throw new IntelMatchError('INTEL_VERS_INVALID', `${input}: constraint "${part}" has no version`, {
        details: { vers: input },
      });
    }
    constraints.push({ comparator, version });
  }
  const scheme_ = versionScheme(scheme);
  constraints.sort((a, b) => scheme_.compare(a.version, b.version));
  return { scheme, all: false, constraints };
}

function holds(c: VersConstraint, version: string, scheme: VersionScheme): boolean {
  const d = scheme.compare(version, c.version);
  switch (c.comparator) {
    case '=':
      return d === 0;
    case '!=':
      return d !== 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
  }
}

const isLower = (c: VersComparator): boolean => c === '>' || c === '>=';
const isUpper = (c: VersComparator): boolean => c === '<' || c === '<=';

/**
 * Whether `version` is in the range, by the spec's algorithm: equalities first, then the sorted
 * interval constraints pairwise. `scheme` overrides the range's own scheme (for `vers:all/…` or
 * free-text ranges compared in a product's scheme).
 */
export function versContains(
  range: VersRange,
  version: string,
  scheme: VersionScheme = versionScheme(range.scheme),
): boolean {
  if (range.all) return true;
  let onlyNotEqual = true;
  for (const c of range.constraints) {
    if (c.comparator === '=' && holds(c, version, scheme)) return true;
    if (c.comparator === '!=' && !holds(c, version, scheme)) return false;
    if (c.comparator !== '!=') onlyNotEqual = false;
  }
  const intervals = range.constraints.filter((c) => c.comparator !== '=' && c.comparator !== '!=');
  if (intervals.length === 0) return onlyNotEqual;
  const first = intervals[0];
  const last = intervals[intervals.length - 1];
  if (first !== undefined && isUpper(first.comparator) && holds(first, version, scheme)) return true;
  if (last !== undefined && isLower(last.comparator) && holds(last, version, scheme)) return true;
  for (let i = 0; i + 1 < intervals.length; i++) {
    const cur = intervals[i];
    const next = intervals[i + 1];
    if (cur === undefined || next === undefined) continue;
    if (
      isLower(cur.comparator) &&
      isUpper(next.comparator) &&
      holds(cur, version, scheme) &&
      holds(next, version, scheme)
    ) {
      return true;
    }
  }
  return false;
}

/** Renders a range back to its canonical `vers:` text. */
export function formatVers(range: VersRange): string {
  if (range.all) return `vers:${range.scheme}/*`;
  return `vers:${range.scheme}/${range.constraints.map((c) => `${c.comparator === '=' ? '' : c.comparator}${encodeURIComponent(c.version)}`).join('|')}`;
}
