/**
 * @module versions/generic
 * The generic version order: a natural sort that splits a version into runs of digits and runs of
 * other characters, compares digit runs numerically and the rest case-insensitively. It is the
 * fallback for schemes Ward does not know, for NVD version bounds, and for the free-text versions
 * of CSAF product trees. A leading `v` is ignored ("v2.1" = "2.1").
 */

/** One token of a version: a digit run (compared numerically) or a text run. */
type Token = { readonly kind: 'num'; readonly digits: string } | { readonly kind: 'text'; readonly text: string };

const SEPARATORS = /[.\-_+~:\s]/;

function tokenize(version: string): Token[] {
  const v = version
    .trim()
    .toLowerCase()
    .replace(/^v(?=\d)/, '');
  const tokens: Token[] = [];
  let i = 0;
  while (i < v.length) {
    const c = v.charAt(i);
    if (SEPARATORS.test(c)) {
      i++;
      continue;
    }
    let j = i;
    if (c >= '0' && c <= '9') {
      while (j < v.length && v.charAt(j) >= '0' && v.charAt(j) <= '9') j++;
      tokens.push({ kind: 'num', digits: v.slice(i, j).replace(/^0+(?=\d)/, '') });
    } else {
      while (j < v.length && !(v.charAt(j) >= '0' && v.charAt(j) <= '9') && !SEPARATORS.test(v.charAt(j))) j++;
      tokens.push({ kind: 'text', text: v.slice(i, j) });
    }
    i = j;
  }
  return tokens;
}

/** Compares two digit strings without leading zeros as unbounded integers. */
export function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Total order on arbitrary strings: numbers sort above text at the same position, a missing token
 * sorts below a number and above text ("1.0" < "1.0.1", "1.0rc1" < "1.0").
 */
export function compareGeneric(a: string, b: string): number {
  const x = tokenize(a);
  const y = tokenize(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined || q === undefined) {
      const present = p ?? q;
      if (present === undefined) return 0;
      const sign = p === undefined ? -1 : 1; // sign of (a - b) when a has the extra token
      // An extra number makes the version greater; extra text (a pre-release tag) makes it smaller.
      return present.kind === 'num' ? sign : -sign;
    }
    if (p.kind !== q.kind) return p.kind === 'num' ? 1 : -1;
    const c =
      p.kind === 'num'
        ? compareDigits(p.digits, (q as { digits: string }).digits)
        : compareText(p.text, (q as { text: string }).text);
    if (c !== 0) return c;
  }
  // Same tokens: fall back to the exact text so the order stays antisymmetric on distinct strings
  // that only differ in separators ("1.0" vs "1-0") — they compare equal as versions.
  return 0;
}

export function isValidGeneric(version: string): boolean {
  return version.trim().length > 0;
}
