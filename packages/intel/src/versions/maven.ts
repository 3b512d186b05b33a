/**
 * @module versions/maven
 * Maven version order, a port of `org.apache.maven.artifact.versioning.ComparableVersion`
 * (the "Version Order Specification" of the POM reference): versions split into items on `.`,
 * `-` and digit/letter transitions; `-` (and a letter after `.`) opens a sub-list; known
 * qualifiers order alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp,
 * unknown qualifiers after them alphabetically; trailing "null" items (0, "", ga, final) are
 * dropped from every list. Every string parses, so the comparator is total. Unlike Maven, a string item after `.`
 * anywhere (not only at the end) opens a sub-list, as after `-`; Maven's own order is not transitive
 * there ("3.b.alpha" < "3.alpha" < "3" < "3.b.alpha"). Maven 3.9's
 * "combination items" (`ga-1` read as one item) are not ported: "1-ga-1" sorts below "1-1" here.
 */
import { compareDigits } from './generic.js';

type Item =
  | { readonly kind: 'int'; readonly digits: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) {
    if (v === 'a') v = 'alpha';
    else if (v === 'b') v = 'beta';
    else if (v === 'm') v = 'milestone';
  }
  return { kind: 'string', value: ALIASES[v] ?? v };
}

function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${String(QUALIFIERS.length)}-${q}` : String(i);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'int':
      return /^0+$/.test(item.digits);
    case 'string':
      return comparableQualifier(item.value) === RELEASE_INDEX;
    case 'list':
      return item.items.length === 0;
  }
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i];
    if (last === undefined) break;
    if (isNull(last)) list.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: 'int', digits: buf.replace(/^0+(?=\d)/, '') } : stringItem(buf, false);
}

const isDigitChar = (c: string): boolean => c >= '0' && c <= '9';

export function parseMaven(version: string): Item {
  const v = version.toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let start = 0;
  const openList = (): void => {
    const next: Item[] = [];
    list.push({ kind: 'list', items: next });
    list = next;
    stack.push(next);
  };
  // Maven treats a trailing ".X" as "-X"; we apply that everywhere: a string item never follows
  // another item in the same list but opens a sub-list, which keeps the order transitive.
  const push = (item: Item): void => {
    if (item.kind === 'string' && list.length > 0) openList();
    list.push(item);
  };
  for (let i = 0; i < v.length; i++) {
    const c = v.charAt(i);
    if (c === '.') {
      if (i === start) list.push({ kind: 'int', digits: '0' });
      else push(parseItem(isDigit, v.slice(start, i)));
      start = i + 1;
    } else if (c === '-') {
      if (i === start) list.push({ kind: 'int', digits: '0' });
      else push(parseItem(isDigit, v.slice(start, i)));
      start = i + 1;
      openList();
    } else if (isDigitChar(c)) {
      if (!isDigit && i > start) {
        push(stringItem(v.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, v.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (v.length > start) {
    push(parseItem(isDigit, v.slice(start)));
  }
  for (let i = stack.length - 1; i >= 0; i--) {
    const l = stack[i];
    if (l !== undefined) normalize(l);
  }
  return { kind: 'list', items: root };
}

/** item.compareTo(other) of ComparableVersion, with `null` for a missing item. */
function compareItem(item: Item, other: Item | null): number {
  switch (item.kind) {
    case 'int':
      if (other === null) return isNull(item) ? 0 : 1;
      if (other.kind === 'int') return compareDigits(item.digits, other.digits);
      return 1; // 1.1 > 1-sp, 1.1 > 1-1
    case 'string': {
      if (other === null) {
        const q = comparableQualifier(item.value);
        return q < RELEASE_INDEX ? -1 : q > RELEASE_INDEX ? 1 : 0;
      }
      if (other.kind === 'int' || other.kind === 'list') return -1;
      const a = comparableQualifier(item.value);
      const b = comparableQualifier(other.value);
      return a < b ? -1 : a > b ? 1 : 0;
    }
    case 'list': {
      if (other === null) {
        const first = item.items[0];
        return first === undefined ? 0 : compareItem(first, null);
      }
      if (other.kind === 'int') return -1;
      if (other.kind === 'string') return 1;
      const n = Math.max(item.items.length, other.items.length);
      for (let i = 0; i < n; i++) {
        const l = item.items[i] ?? null;
        const r = other.items[i] ?? null;
        const result = l === null ? (r === null ? 0 : -compareItem(r, l)) : compareItem(l, r);
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

export function compareMaven(a: string, b: string): number {
  return compareItem(parseMaven(a), parseMaven(b));
}

export function isValidMaven(version: string): boolean {
  return version.trim().length > 0 && !/\s/.test(version);
}
