/**
 * @module versions/pep440
 * PEP 440 version order (PyPI): epoch, release, pre-release (a/b/rc and their spellings),
 * post-release, development release and local version label, with PEP 440's normalisation
 * ("1.0-alpha.1" = "1.0a1", "1.0-1" = "1.0.post1", "1.0.dev" = "1.0.dev0"). Invalid versions sort
 * below every valid one (legacy versions, as pip did) and compare generically among themselves.
 */
import { compareDigits, compareGeneric } from './generic.js';

export interface Pep440Version {
  readonly epoch: string;
  readonly release: readonly string[];
  readonly pre: { readonly label: 'a' | 'b' | 'rc'; readonly n: string } | null;
  readonly post: string | null;
  readonly dev: string | null;
  readonly local: readonly string[] | null;
}

// The regular expression published in PEP 440, Appendix B.
const PEP440 =
  /^\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)(?<pre>[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?)(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

export function parsePep440(version: string): Pep440Version | null {
  const m = PEP440.exec(version);
  const g = m?.groups;
  if (g === undefined) return null;
  const preLabel = g['pre_l']?.toLowerCase();
  const pre =
    preLabel === undefined
      ? null
      : {
          label: preLabel === 'alpha' || preLabel === 'a' ? 'a' : preLabel === 'beta' || preLabel === 'b' ? 'b' : 'rc',
          n: g['pre_n'] ?? '0',
        };
  const post = g['post_n1'] ?? (g['post_l'] === undefined ? null : (g['post_n2'] ?? '0'));
  const dev = g['dev_l'] === undefined ? null : (g['dev_n'] ?? '0');
  return {
    epoch: g['epoch'] ?? '0',
    release: (g['release'] ?? '0').split('.'),
    pre: pre as Pep440Version['pre'],
    post,
    dev,
    local: g['local'] === undefined ? null : g['local'].toLowerCase().split(/[-_.]/),
  };
}

export function isValidPep440(version: string): boolean {
  return parsePep440(version) !== null;
}

function compareRelease(a: readonly string[], b: readonly string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

const PRE_RANK = { a: 0, b: 1, rc: 2 } as const;

/** The pre-release part of the sort key: dev-only releases first, then a < b < rc, then finals. */
function comparePre(x: Pep440Version, y: Pep440Version): number {
  const rank = (v: Pep440Version): [number, number, string] => {
    if (v.pre === null && v.post === null && v.dev !== null) return [0, 0, '0'];
    if (v.pre === null) return [2, 0, '0'];
    return [1, PRE_RANK[v.pre.label], v.pre.n];
  };
  const [p, q] = [rank(x), rank(y)];
  return p[0] - q[0] || p[1] - q[1] || compareDigits(p[2], q[2]);
}

function compareOptionalNumber(a: string | null, b: string | null, absent: -1 | 1): number {
  if (a === null && b === null) return 0;
  if (a === null) return absent;
  if (b === null) return -absent;
  return compareDigits(a, b);
}

function compareLocal(a: readonly string[] | null, b: readonly string[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const p = a[i];
    const q = b[i];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn !== qn) return pn ? 1 : -1; // numeric segments sort above alphanumeric ones
    const c = pn ? compareDigits(p, q) : p < q ? -1 : p > q ? 1 : 0;
    if (c !== 0) return c;
  }
  return 0;
}

export function comparePep440Versions(x: Pep440Version, y: Pep440Version): number {
  return (
    compareDigits(x.epoch, y.epoch) ||
    compareRelease(x.release, y.release) ||
    comparePre(x, y) ||
    compareOptionalNumber(x.post, y.post, -1) ||
    compareOptionalNumber(x.dev, y.dev, 1) ||
    compareLocal(x.local, y.local)
  );
}

export function comparePep440(a: string, b: string): number {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (x !== null && y !== null) return comparePep440Versions(x, y);
  if (x !== null) return 1;
  if (y !== null) return -1;
  return compareGeneric(a, b);
}
