/**
 * @module versions/apk
 * Alpine apk version order (apk-tools `version.c`): `number(.number)*[letter](_suffix[number])*[-rN]`,
 * where the pre-release suffixes _alpha < _beta < _pre < _rc sort below the bare version and
 * _cvs < _svn < _git < _hg < _p above it; components after the first with a leading zero compare
 * as decimal fractions. Invalid strings sort below valid ones and compare generically.
 */
import { compareDigits, compareGeneric } from './generic.js';

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const NONE = SUFFIXES.indexOf('');
const APK = /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:-r(\d+))?$/;

export interface ApkVersion {
  readonly numbers: readonly string[];
  readonly letter: string;
  readonly suffixes: readonly { readonly rank: number; readonly n: string }[];
  readonly revision: string;
}

export function parseApk(version: string): ApkVersion | null {
  const m = APK.exec(version.trim());
  if (m === null) return null;
  const suffixes = [...(m[3] ?? '').matchAll(/_([a-z]+)(\d*)/g)].map((s) => ({
    rank: SUFFIXES.indexOf(s[1] ?? ''),
    n: s[2] === undefined || s[2] === '' ? '0' : s[2],
  }));
  return { numbers: (m[1] ?? '0').split('.'), letter: m[2] ?? '', suffixes, revision: m[4] ?? '0' };
}

export function isValidApk(version: string): boolean {
  return parseApk(version) !== null;
}

function compareComponent(a: string, b: string, first: boolean): number {
  if (!first && (a.startsWith('0') || b.startsWith('0'))) {
    // Fractional comparison: "1.02" < "1.1" because .02 < .1.
    const x = a.replace(/0+$/, '');
    const y = b.replace(/0+$/, '');
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareDigits(a, b);
}

export function compareApkVersions(x: ApkVersion, y: ApkVersion): number {
  const n = Math.max(x.numbers.length, y.numbers.length);
  for (let i = 0; i < n; i++) {
    const p = x.numbers[i];
    const q = y.numbers[i];
    if (p === undefined || q === undefined) {
      // More version components is newer, unless the longer one goes on into a pre-release suffix
      // — not possible here, since suffixes follow all components.
      return p === undefined ? -1 : 1;
    }
    const c = compareComponent(p, q, i === 0);
    if (c !== 0) return c;
  }
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  const m = Math.max(x.suffixes.length, y.suffixes.length);
  for (let i = 0; i < m; i++) {
    const p = x.suffixes[i] ?? { rank: NONE, n: '0' };
    const q = y.suffixes[i] ?? { rank: NONE, n: '0' };
    if (p.rank !== q.rank) return p.rank < q.rank ? -1 : 1;
    const c = compareDigits(p.n, q.n);
    if (c !== 0) return c;
  }
  return compareDigits(x.revision, y.revision);
}

export function compareApk(a: string, b: string): number {
  const x = parseApk(a);
  const y = parseApk(b);
  if (x !== null && y !== null) return compareApkVersions(x, y);
  if (x !== null) return 1;
  if (y !== null) return -1;
  return compareGeneric(a, b);
}
