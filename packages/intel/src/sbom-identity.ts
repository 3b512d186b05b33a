/**
 * @module sbom-identity
 * Normalises the identifiers SBOMs give components: package URLs (purl-spec, through
 * packageurl-js) and CPE names (CPE 2.3 formatted strings per NISTIR 7695; CPE 2.2 URIs are
 * converted to 2.3). Results are values: `{ ok: true, value }` or `{ ok: false, reason }`.
 */
import { PackageURL } from 'packageurl-js';

export type Normalised =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

/** Parses a package URL and returns its canonical form (type lower-cased, qualifiers sorted…). */
export function normalizePurl(raw: string): Normalised {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty package URL' };
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(text);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'unparseable package URL' };
  }
  // packageurl-js reads `pkg:apk/alpine/@1.2` as a name "@1.2": the name is in fact missing.
  if (parsed.name === '' || (parsed.name.startsWith('@') && /\/@[^/]*$/.test(text.split(/[?#]/)[0] ?? ''))) {
    return { ok: false, reason: 'the package URL has no name' };
  }
  try {
    return { ok: true, value: parsed.toString() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'unprintable package URL' };
  }
}

// CPE 2.3 formatted string, from the CPE 2.3 Naming Specification (NISTIR 7695) §6.2 schema pattern.
const AVSTRING = String.raw`(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!"#$%&'\(\)\+,/:;<=>@\[\]\^\x60\{\|\}~]))+(\?*|\*?))|[\*\-])`;
const LANG = String.raw`(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[\*\-])`;
const CPE23 = new RegExp(String.raw`^cpe:2\.3:[aho\*\-](:${AVSTRING}){5}(:${LANG})(:${AVSTRING}){4}$`);

const CPE23_FIELDS = 11;

/** Splits a CPE 2.3 formatted string on its unescaped colons (after `cpe:2.3:`). */
export function splitCpe23(cpe: string): string[] {
  const body = cpe.slice('cpe:2.3:'.length);
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === '\\') {
      current += c + (body[i + 1] ?? '');
      i++;
    } else if (c === ':') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** Quotes one decoded URI character for a formatted string (NISTIR 7695 §6.2.2). */
function quoteFs(c: string): string {
  return /[a-zA-Z0-9\-._]/.test(c) ? c : `\\${c}`;
}

/** Converts one CPE 2.2 URI component (percent-encoded) to a CPE 2.3 formatted-string value. */
function uriComponentToFs(value: string): string | null {
  if (value === '') return '*';
  if (value === '-') return '-';
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (c === '%') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      i += 2;
      if (hex === '01') out += '?';
      else if (hex === '02') out += '*';
      else out += quoteFs(String.fromCharCode(parseInt(hex, 16)));
    } else if (/[a-zA-Z0-9\-._~]/.test(c)) {
      out += c === '~' ? '\\~' : c;
    } else {
      return null;
    }
  }
  return out.toLowerCase();
}

/** Converts a CPE 2.2 URI (`cpe:/a:vendor:product:version…`) to a CPE 2.3 formatted string. */
function cpe22ToCpe23(uri: string): string | null {
  const parts = uri.slice('cpe:/'.length).split(':');
  if (parts.length > 7) return null;
  const [part = '', vendor = '', product = '', version = '', update = '', edition = '', language = ''] = parts;
  if (!/^[aho]?$/i.test(part)) return null;
  let ed = edition;
  let extra = ['', '', '', ''];
  if (edition.startsWith('~')) {
    const packed = edition.slice(1).split('~');
    if (packed.length !== 5) return null;
    ed = packed[0] ?? '';
    extra = packed.slice(1);
  }
  const fields = [vendor, product, version, update, ed, language, ...extra].map(uriComponentToFs);
  if (fields.some((f) => f === null)) return null;
  return `cpe:2.3:${part === '' ? '*' : part.toLowerCase()}:${fields.join(':')}`;
}

/** Validates a CPE 2.3 formatted string, or converts a 2.2 URI; returns the 2.3 string. */
export function normalizeCpe(raw: string): Normalised {
  const text = raw.trim();
  if (text.startsWith('cpe:/')) {
    const converted = cpe22ToCpe23(text);
    if (converted === null || !CPE23.test(converted)) return { ok: false, reason: 'not a well-formed CPE 2.2 URI' };
    return { ok: true, value: converted };
  }
  if (!text.startsWith('cpe:2.3:')) return { ok: false, reason: 'a CPE starts with cpe:2.3: or cpe:/' };
  const fields = splitCpe23(text);
  if (fields.length !== CPE23_FIELDS) {
    return { ok: false, reason: `a CPE 2.3 name has 11 fields after cpe:2.3:, found ${String(fields.length)}` };
  }
  if (!CPE23.test(text)) return { ok: false, reason: 'a CPE 2.3 field has characters the specification forbids' };
  return { ok: true, value: text };
}
