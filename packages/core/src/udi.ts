/**
 * @module udi
 * Unique Device Identifier parsing (21 CFR 830): a GS1 or HIBCC carrier, as printed (human readable
 * form) or as scanned (element string with FNC1 group separators, optional symbology identifier),
 * into the device identifier (DI) and the production identifiers (lot, serial, dates). Bad input is
 * a value (a `Result` whose `UdiProblem` gives the offset of the problem), never an exception.
 */
import { problem as problemOf, type Problem, type Result } from './problem.js';

export interface Udi {
  readonly kind: 'gs1' | 'hibcc';
  /** The carrier text as given, trimmed. */
  readonly carrier: string;
  /** GS1: the GTIN of AI (01). HIBCC: labeler code + product number + unit of measure. */
  readonly deviceIdentifier: string;
  readonly lot: string | null;
  readonly serial: string | null;
  /** ISO 8601 date `YYYY-MM-DD`, or `YYYY-MM` when the carrier gives no day. */
  readonly manufacturingDate: string | null;
  readonly expirationDate: string | null;
  /** HIBCC: labeler identification code (LIC). */
  readonly labeler: string | null;
  /** HIBCC: product or catalogue number (PCN). */
  readonly product: string | null;
  /** HIBCC: unit of measure digit (0 = unit of use). */
  readonly unitOfMeasure: number | null;
  readonly quantity: number | null;
}

/** Why a carrier does not parse: core's `Problem`, plus the character offset in the carrier. */
export interface UdiProblem extends Problem<'CORE_INVALID_ARGUMENT'> {
  /** Character offset in the carrier where the problem is. */
  readonly offset: number;
}

/** A parse failure inside this module, before it becomes a `UdiProblem`. */
interface Invalid {
  readonly kind: 'invalid';
  readonly reason: string;
  readonly offset: number;
}

export interface ParseUdiOptions {
  /** The year two-digit GS1 years are read around (GS1 General Specifications 7.12). Default: this year. */
  readonly referenceYear?: number;
}

const GS = '\u001d';
const MAX_CARRIER = 512;

function problem(reason: string, offset: number): Invalid {
  return { kind: 'invalid', reason, offset };
}

function blank(kind: 'gs1' | 'hibcc', carrier: string, deviceIdentifier: string): Udi {
  return {
    kind,
    carrier,
    deviceIdentifier,
    lot: null,
    serial: null,
    manufacturingDate: null,
    expirationDate: null,
    labeler: null,
    product: null,
    unitOfMeasure: null,
    quantity: null,
  };
}

/** GS1 mod-10 check digit of all digits but the last. */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  const body = digits.slice(0, -1);
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

const HIBCC_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';

/** The HIBCC mod-43 check character of `data`, or undefined when `data` has a character outside the set. */
export function hibccCheckCharacter(data: string): string | undefined {
  let sum = 0;
  for (const ch of data) {
    const v = HIBCC_CHARS.indexOf(ch);
    if (v < 0) return undefined;
    sum += v;
  }
  return HIBCC_CHARS[sum % 43];
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A calendar date, or undefined when it does not exist. Day 0 means "no day given". */
function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return undefined;
  if (day === 0) return `${String(year)}-${pad2(month)}`;
  if (day > daysIn(year, month)) return undefined;
  return `${String(year)}-${pad2(month)}-${pad2(day)}`;
}

/** GS1 General Specifications 7.12: a two-digit year within -49…+50 years of the reference. */
function gs1Year(yy: number, referenceYear: number): number {
  const current = referenceYear % 100;
  const century = referenceYear - current;
  const diff = yy - current;
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

const DIGITS = /^\d+$/;
const GS1_CHARSET = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

interface AiSpec {
  readonly fixed?: number;
  readonly max?: number;
}

/** The application identifiers a medical-device UDI carries (GS1 AIs are prefix-free). */
const GS1_AIS: Readonly<Record<string, AiSpec>> = {
  '01': { fixed: 14 },
  '10': { max: 20 },
  '11': { fixed: 6 },
  '17': { fixed: 6 },
  '21': { max: 20 },
  '22': { max: 20 },
  '30': { max: 8 },
  '240': { max: 30 },
  '7003': { fixed: 10 },
};

function readAi(text: string, at: number): string | undefined {
  for (const len of [2, 3, 4]) {
    const ai = text.slice(at, at + len);
    if (ai in GS1_AIS) return ai;
  }
  return undefined;
}

function parseGs1(carrier: string, referenceYear: number): Udi | Invalid {
  let text = carrier;
  let base = 0;
  const symbology = /^\](?:d2|C1|Q3|e0|J1)/.exec(text);
  if (symbology !== null) {
    text = text.slice(3);
    base = 3;
  }
  const fields: { ai: string; value: string; offset: number }[] = [];
  if (text.startsWith('(')) {
    const re = /\((\d{2,4})\)/g;
    const marks: { ai: string; at: number; end: number }[] = [];
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const ai = m[1] ?? '';
      if (!(ai in GS1_AIS)) return problem(`unknown or unsupported GS1 application identifier (${ai})`, base + m.index);
      marks.push({ ai, at: m.index, end: m.index + m[0].length });
    }
    if (marks[0]?.at !== 0) return problem('expected a GS1 application identifier in parentheses', base);
    for (let i = 0; i < marks.length; i++) {
      const mark = marks[i];
      if (mark === undefined) continue;
      const next = marks[i + 1]?.at ?? text.length;
      fields.push({ ai: mark.ai, value: text.slice(mark.end, next).replaceAll(GS, ''), offset: base + mark.end });
    }
  } else {
    let at = 0;
    while (at < text.length) {
      if (text[at] === GS) {
        at++;
        continue;
      }
      const ai = readAi(text, at);
      if (ai === undefined) return problem('unknown or unsupported GS1 application identifier', base + at);
      const spec = GS1_AIS[ai] ?? {};
      const start = at + ai.length;
      let end: number;
      if (spec.fixed !== undefined) {
        end = start + spec.fixed;
        if (end > text.length) return problem(`AI (${ai}) needs ${String(spec.fixed)} characters`, base + start);
      } else {
        const gs = text.indexOf(GS, start);
        end = gs < 0 ? text.length : gs;
      }
      fields.push({ ai, value: text.slice(start, end), offset: base + start });
      at = end;
    }
  }
  let udi: Udi | undefined;
  const seen = new Set<string>();
  const rest: { ai: string; value: string; offset: number }[] = [];
  for (const field of fields) {
    if (seen.has(field.ai)) return problem(`AI (${field.ai}) appears twice`, field.offset);
    seen.add(field.ai);
    const spec = GS1_AIS[field.ai] ?? {};
    if (field.value === '') return problem(`AI (${field.ai}) has no value`, field.offset);
    if (spec.fixed !== undefined && field.value.length !== spec.fixed)
      return problem(`AI (${field.ai}) needs ${String(spec.fixed)} characters`, field.offset);
    if (spec.max !== undefined && field.value.length > spec.max)
      return problem(`AI (${field.ai}) allows at most ${String(spec.max)} characters`, field.offset);
    if (!GS1_CHARSET.test(field.value))
      return problem(`AI (${field.ai}) has a character GS1 does not allow`, field.offset);
    if (field.ai === '01') {
      if (!DIGITS.test(field.value)) return problem('the GTIN of AI (01) must be 14 digits', field.offset);
      if (gs1CheckDigit(field.value) !== Number(field.value.slice(-1)))
        return problem('the GTIN check digit is wrong', field.offset + 13);
      udi = blank('gs1', carrier, field.value);
    } else {
      rest.push(field);
    }
  }
  if (udi === undefined) return problem('a GS1 UDI needs the device identifier, AI (01)', base);
  let out: Udi = udi;
  for (const field of rest) {
    switch (field.ai) {
      case '10':
        out = { ...out, lot: field.value };
        break;
      case '21':
        out = { ...out, serial: field.value };
        break;
      case '11':
      case '17':
      case '7003': {
        if (!DIGITS.test(field.value)) return problem(`AI (${field.ai}) must be digits`, field.offset);
        const yy = Number(field.value.slice(0, 2));
        const date = isoDate(
          gs1Year(yy, referenceYear),
          Number(field.value.slice(2, 4)),
          Number(field.value.slice(4, 6)),
        );
        if (date === undefined) return problem(`AI (${field.ai}) is not a calendar date`, field.offset);
        out = field.ai === '11' ? { ...out, manufacturingDate: date } : { ...out, expirationDate: date };
        break;
      }
      case '30':
        if (!DIGITS.test(field.value)) return problem('AI (30) must be digits', field.offset);
        out = { ...out, quantity: Number(field.value) };
        break;
      default:
        // (22), (240): additional identification, kept only in the carrier.
        break;
    }
  }
  return out;
}

const HIBCC_DATE_LENGTHS: Readonly<Record<string, number>> = { '2': 6, '3': 6, '4': 8, '5': 5, '6': 7, '7': 0 };

function julian(year: number, day: number): string | undefined {
  if (day < 1 || day > (daysIn(year, 2) === 29 ? 366 : 365)) return undefined;
  const d = new Date(Date.UTC(year, 0, day));
  return `${String(year)}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** A HIBCC secondary date in the given format character, or undefined. */
function hibccDate(format: string, v: string): string | undefined {
  const n = (a: number, b: number): number => Number(v.slice(a, b));
  switch (format) {
    case 'MMYY':
      return isoDate(2000 + n(2, 4), n(0, 2), 0);
    case '2':
      return isoDate(2000 + n(4, 6), n(0, 2), n(2, 4));
    case '3':
    case '4':
      return format === '4' && n(6, 8) > 23 ? undefined : isoDate(2000 + n(0, 2), n(2, 4), n(4, 6));
    case '5':
    case '6':
      return format === '6' && n(5, 7) > 23 ? undefined : julian(2000 + n(0, 2), n(2, 5));
    default:
      return undefined;
  }
}

/** Reads the secondary data structure (after the flag) into lot or serial, expiry and quantity. */
function parseHibccSecondary(udi: Udi, segment: string, offset: number): Udi | Invalid {
  let s = segment;
  let at = offset;
  let out = udi;
  let serial = false;
  if (s.startsWith('$$')) {
    s = s.slice(2);
    at += 2;
    if (s.startsWith('+')) {
      serial = true;
      s = s.slice(1);
      at += 1;
    }
    let format = s[0] ?? '';
    if (format === '8' || format === '9') {
      const qlen = format === '8' ? 2 : 5;
      const q = s.slice(1, 1 + qlen);
      if (q.length !== qlen || !DIGITS.test(q)) return problem('the HIBCC quantity must be digits', at + 1);
      out = { ...out, quantity: Number(q) };
      s = s.slice(1 + qlen);
      at += 1 + qlen;
      format = s[0] ?? '';
    }
    let dateLen: number;
    let dateStart: number;
    if (format === '0' || format === '1') {
      format = 'MMYY';
      dateLen = 4;
      dateStart = 0;
    } else {
      const len = HIBCC_DATE_LENGTHS[format];
      if (len === undefined) return problem('unknown HIBCC date format', at);
      dateLen = len;
      dateStart = 1;
    }
    if (dateLen > 0) {
      const v = s.slice(dateStart, dateStart + dateLen);
      const date = v.length === dateLen && DIGITS.test(v) ? hibccDate(format, v) : undefined;
      if (date === undefined) return problem('the HIBCC expiry date is not a date', at + dateStart);
      out = { ...out, expirationDate: date };
    }
    s = s.slice(dateStart + dateLen);
    at += dateStart + dateLen;
  } else if (s.startsWith('$+')) {
    serial = true;
    s = s.slice(2);
    at += 2;
  } else if (s.startsWith('$')) {
    s = s.slice(1);
    at += 1;
  } else if (/^\d{5}/.test(s)) {
    // Legacy: a Julian expiry date YYJJJ, then the lot.
    const date = hibccDate('5', s.slice(0, 5));
    if (date === undefined) return problem('the HIBCC Julian date is not a date', at);
    out = { ...out, expirationDate: date };
    s = s.slice(5);
    at += 5;
  } else {
    return problem('unknown HIBCC secondary data', at);
  }
  if (s.length > 18) return problem('a HIBCC lot or serial number has at most 18 characters', at);
  if (s !== '') out = serial ? { ...out, serial: s } : { ...out, lot: s };
  return out;
}

function parseHibccSupplement(udi: Udi, segment: string, offset: number): Udi | Invalid {
  const dated = /^(14D|16D)(\d{8})$/.exec(segment);
  if (dated !== null) {
    const v = dated[2] ?? '';
    const date = isoDate(Number(v.slice(0, 4)), Number(v.slice(4, 6)), Number(v.slice(6, 8)));
    if (date === undefined || v.slice(6, 8) === '00') return problem('the HIBCC date is not a date', offset + 3);
    return dated[1] === '14D' ? { ...udi, expirationDate: date } : { ...udi, manufacturingDate: date };
  }
  if (segment.startsWith('S') && segment.length > 1 && segment.length <= 19)
    return { ...udi, serial: segment.slice(1) };
  if (/^Q\d{1,5}$/.test(segment)) return { ...udi, quantity: Number(segment.slice(1)) };
  return problem('unknown HIBCC supplemental data', offset);
}

function parseHibcc(carrier: string): Udi | Invalid {
  const text = carrier.startsWith('*') && carrier.endsWith('*') && carrier.length > 2 ? carrier.slice(1, -1) : carrier;
  const base = text === carrier ? 0 : 1;
  for (let i = 0; i < text.length; i++) {
    if (!HIBCC_CHARS.includes(text[i] ?? '')) return problem('a character outside the HIBCC set', base + i);
  }
  if (text.length < 3) return problem('too short for a HIBCC UDI', base);
  const body = text.slice(0, -1);
  if (hibccCheckCharacter(body) !== text.slice(-1))
    return problem('the HIBCC check character is wrong', base + text.length - 1);
  if (body.startsWith('+$'))
    return problem('a HIBCC secondary data structure without the primary (no device identifier)', base);
  const segments = body.slice(1).split('/');
  const primary = segments[0] ?? '';
  if (!/^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$/.test(primary))
    return problem('the HIBCC primary data must be a labeler code, a product number and a unit of measure', base + 1);
  let udi: Udi = {
    ...blank('hibcc', carrier, primary),
    labeler: primary.slice(0, 4),
    product: primary.slice(4, -1),
    unitOfMeasure: Number(primary.slice(-1)),
  };
  let at = base + 1 + primary.length + 1;
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const next = i === 1 ? parseHibccSecondary(udi, segment, at) : parseHibccSupplement(udi, segment, at);
    if (next.kind === 'invalid') return next;
    udi = next;
    at += segment.length + 1;
  }
  return udi;
}

/**
 * Parses a GS1 or HIBCC UDI carrier. Never throws: a carrier that does not parse gives one
 * `CORE_INVALID_ARGUMENT` problem with its offset (`field: 'carrier'`).
 */
export function parseUdi(text: string, options: ParseUdiOptions = {}): Result<Udi, UdiProblem> {
  const r = readCarrier(text, options);
  if (r.kind !== 'invalid') return { ok: true, value: r, problems: [] };
  return {
    ok: false,
    problems: [{ ...problemOf('CORE_INVALID_ARGUMENT', r.reason, { field: 'carrier' }), offset: r.offset }],
  };
}

function readCarrier(text: string, options: ParseUdiOptions): Udi | Invalid {
  // Trailing spaces are kept: a space is a valid HIBCC check character.
  const carrier = text.replace(/^\s+/, '').replace(/[\r\n\t]+$/, '');
  if (carrier === '') return problem('empty', 0);
  if (carrier.length > MAX_CARRIER) return problem(`longer than ${String(MAX_CARRIER)} characters`, MAX_CARRIER);
  if (carrier.startsWith('+') || carrier.startsWith('*+')) return parseHibcc(carrier);
  if (/^(?:\(|\]|\d)/.test(carrier)) return parseGs1(carrier, options.referenceYear ?? new Date().getUTCFullYear());
  return problem('neither a GS1 nor a HIBCC carrier', 0);
}
