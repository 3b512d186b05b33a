/**
 * @module sbom-identity
 * Normalises the CPE names SBOMs give components (CPE 2.3 formatted strings per NISTIR 7695; CPE
 * 2.2 URIs are converted to 2.3); package URLs are normalised by `normalizePurl` in `purl.ts`.
 * Results are values: `{ ok: true, value }` or `{ ok: false, reason }`.
 */
import { splitCpe23 } from './cpe/cpe.js';

export type Normalised =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

// CPE 2.3 formatted string, from the CPE 2.3 Naming Specification (NISTIR 7695) §6.2 schema pattern.
const AVSTRING = String.raw`(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!"#$%&'\(\)\+,/:;<=>@\[\]\^\x60\{\|\}~]))+(\?*|\*?))|[\*\-])`;
const LANG = String.raw`(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[\*\-])`;
const CPE23 = new RegExp(String.raw`^cpe:2\.3:[aho\*\-](:${AVSTRING}){5}(:${LANG})(:${AVSTRING}){4}$`);

const CPE23_FIELDS = 11;

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
