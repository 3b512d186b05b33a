/**
 * @module cpe/cpe
 * CPE 2.3 names (NISTIR 7695): parsing the formatted-string binding (`cpe:2.3:…`, with `\`
 * escapes and the unquoted wildcards `*` and `?` at the start or end of a value), converting the
 * CPE 2.2 URI binding (`cpe:/a:vendor:product…`, percent-encoding, packed edition), and binding a
 * name back to a formatted string. Values are kept unquoted and lower-case (CPE comparison is
 * case-insensitive).
 */
import { IntelMatchError } from '../match-errors.js';

export type CpeValue =
  | { readonly kind: 'any' }
  | { readonly kind: 'na' }
  | {
      readonly kind: 'value';
      /** The literal text, unquoted and lower-case, without leading/trailing wildcards. */
      readonly text: string;
      /** '' (none), '*' or a run of '?' before the text. */
      readonly before: string;
      readonly after: string;
    };

export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'swEdition',
  'targetSw',
  'targetHw',
  'other',
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

export type Cpe = { readonly [A in CpeAttribute]: CpeValue };

const ANY: CpeValue = { kind: 'any' };
const NA: CpeValue = { kind: 'na' };

function invalid(input: string, message: string, attribute?: string): IntelMatchError {
  return new IntelMatchError('INTEL_CPE_INVALID', `${input}: ${message}`, {
    details: { cpe: input, ...(attribute === undefined ? {} : { attribute }) },
  });
}

/**
 * Splits a CPE 2.3 formatted string into its components: on each ':' after `cpe:2.3:` that is not
 * escaped by a backslash (an escape keeps its backslash). The prefix is not checked.
 */
export function splitCpe23(cpe: string): string[] {
  const text = cpe.slice('cpe:2.3:'.length);
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\' && i + 1 < text.length) {
      current += c + text.charAt(i + 1);
      i++;
    } else if (c === ':') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function isWildcardRun(s: string): boolean {
  return s === '*' || /^\?+$/.test(s);
}

/** One formatted-string component → a value. */
function parseFsValue(raw: string, input: string, attribute: CpeAttribute): CpeValue {
  if (raw === '*') return ANY;
  if (raw === '-') return NA;
  if (raw === '') throw invalid(input, `empty ${attribute}`, attribute);
  // Tokenise into literal characters and unquoted specials.
  const tokens: { readonly ch: string; readonly special: boolean }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '\\') {
      const next = raw.charAt(i + 1);
      if (next === '') throw invalid(input, `${attribute} ends with a lone backslash`, attribute);
      tokens.push({ ch: next, special: false });
      i++;
    } else if (c === '*' || c === '?') tokens.push({ ch: c, special: true });
    else if (/\s/.test(c) || c.charCodeAt(0) < 0x20)
      throw invalid(input, `${attribute} has whitespace or a control character`, attribute);
    else tokens.push({ ch: c, special: false });
  }
  let start = 0;
  let end = tokens.length;
  while (start < end && tokens[start]?.special === true) start++;
  while (end > start && tokens[end - 1]?.special === true) end--;
  const before = tokens
    .slice(0, start)
    .map((t) => t.ch)
    .join('');
  const after = tokens
    .slice(end)
    .map((t) => t.ch)
    .join('');
  const middle = tokens.slice(start, end);
  if (middle.some((t) => t.special)) throw invalid(input, `${attribute} has a wildcard inside its value`, attribute);
  if ((before !== '' && !isWildcardRun(before)) || (after !== '' && !isWildcardRun(after))) {
    throw invalid(input, `${attribute} mixes * and ?`, attribute);
  }
  const text = middle
    .map((t) => t.ch)
    .join('')
    .toLowerCase();
  if (text === '' && before === '' && after === '') throw invalid(input, `empty ${attribute}`, attribute);
  return { kind: 'value', text, before, after };
}

/** Parses a CPE 2.3 formatted string; throws INTEL_CPE_INVALID. */
export function parseCpe23(input: string): Cpe {
  const text = input.trim();
  if (!/^cpe:2\.3:/i.test(text)) throw invalid(input, 'expected cpe:2.3:…');
  const parts = splitCpe23(text);
  if (parts.length !== 11) throw invalid(input, `expected 11 components after cpe:2.3:, found ${String(parts.length)}`);
  const values = CPE_ATTRIBUTES.map((a, i) => parseFsValue(parts[i] ?? '', input, a));
  const cpe = Object.fromEntries(CPE_ATTRIBUTES.map((a, i) => [a, values[i] ?? ANY])) as Cpe;
  if (cpe.part.kind === 'value' && !['a', 'o', 'h'].includes(cpe.part.text))
    throw invalid(input, 'part must be a, o or h', 'part');
  return cpe;
}

function decodeUriValue(raw: string, input: string, attribute: CpeAttribute): CpeValue {
  if (raw === '' || raw === '*') return ANY;
  if (raw === '-') return NA;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/i.test(hex)) throw invalid(input, `bad percent-encoding in ${attribute}`, attribute);
      const code = parseInt(hex, 16);
      // %01 and %02 are the URI binding's wildcards ? and *.
      out += code === 1 ? '?' : code === 2 ? '*' : `\\${String.fromCharCode(code)}`;
      i += 2;
    } else if (/[A-Za-z0-9_.~-]/.test(c)) out += /[A-Za-z0-9_]/.test(c) ? c : `\\${c}`;
    else throw invalid(input, `character ${JSON.stringify(c)} not allowed in a CPE 2.2 URI`, attribute);
  }
  return parseFsValue(out, input, attribute);
}

/** Converts a CPE 2.2 URI (`cpe:/a:vendor:product:version:update:edition:language`) to a name. */
export function parseCpe22Uri(input: string): Cpe {
  const text = input.trim();
  if (!/^cpe:\//i.test(text)) throw invalid(input, 'expected cpe:/…');
  const parts = text.slice('cpe:/'.length).split(':');
  if (parts.length > 7) throw invalid(input, `expected at most 7 components, found ${String(parts.length)}`);
  const get = (i: number): string => parts[i] ?? '';
  const values: Partial<Record<CpeAttribute, CpeValue>> = {};
  const simple: CpeAttribute[] = ['part', 'vendor', 'product', 'version', 'update'];
  simple.forEach((a, i) => (values[a] = decodeUriValue(get(i), input, a)));
  const edition = get(5);
  if (edition.startsWith('~')) {
    const packed = edition.split('~');
    if (packed.length !== 6) throw invalid(input, 'a packed edition has five ~-separated fields', 'edition');
    const names: CpeAttribute[] = ['edition', 'swEdition', 'targetSw', 'targetHw', 'other'];
    names.forEach((a, i) => (values[a] = decodeUriValue(packed[i + 1] ?? '', input, a)));
  } else {
    values.edition = decodeUriValue(edition, input, 'edition');
  }
  values.language = decodeUriValue(get(6), input, 'language');
  const cpe = Object.fromEntries(CPE_ATTRIBUTES.map((a) => [a, values[a] ?? ANY])) as Cpe;
  if (cpe.part.kind === 'value' && !['a', 'o', 'h'].includes(cpe.part.text))
    throw invalid(input, 'part must be a, o or h', 'part');
  return cpe;
}

/** Parses either binding. */
export function parseCpe(input: string): Cpe {
  return /^cpe:\//i.test(input.trim()) ? parseCpe22Uri(input) : parseCpe23(input);
}

/** Like parseCpe, but null instead of an error. */
export function tryParseCpe(input: string): Cpe | null {
  try {
    return parseCpe(input);
  } catch {
    return null;
  }
}

function bindValue(value: CpeValue): string {
  switch (value.kind) {
    case 'any':
      return '*';
    case 'na':
      return '-';
    case 'value':
      return value.before + value.text.replace(/[^A-Za-z0-9_.-]/g, (c) => `\\${c}`) + value.after;
  }
}

/** Binds a name to its CPE 2.3 formatted string. */
export function formatCpe23(cpe: Cpe): string {
  return `cpe:2.3:${CPE_ATTRIBUTES.map((a) => bindValue(cpe[a])).join(':')}`;
}

/** The literal text of an attribute, or null for ANY, NA and wildcard values. */
export function literalOf(value: CpeValue): string | null {
  return value.kind === 'value' && value.before === '' && value.after === '' ? value.text : null;
}
