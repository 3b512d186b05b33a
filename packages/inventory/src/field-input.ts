/**
 * @module field-input
 * Reads one field's value as a person or a file gives it (a CSV cell, a JSON edit) into the value
 * claims hold, or says why it cannot. Shared by CSV import, `ward devices edit` and the API.
 */
import { parseUdi } from '@ward/core';
import { isScalarField, isSeenField, isSetField, type FieldName, type Json } from './fields.js';
import {
  normaliseBoolean,
  normaliseCriticality,
  normaliseDate,
  normaliseIp,
  normaliseLifecycle,
  normaliseMac,
  normaliseSupportStatus,
  normaliseType,
} from './normalise.js';

export type FieldInput =
  { readonly kind: 'value'; readonly value: Json } | { readonly kind: 'problem'; readonly reason: string };

const MAX_TEXT = 200;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const value = (v: Json): FieldInput => ({ kind: 'value', value: v });
const problem = (reason: string): FieldInput => ({ kind: 'problem', reason });

function text(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return typeof raw === 'string' ? raw.trim() : undefined;
}

/** List members from an array or a string separated by `;`, `,`, `|` or blanks. */
function members(raw: unknown): string[] | undefined {
  if (Array.isArray(raw))
    return raw.every((m) => typeof m === 'string')
      ? raw.map((m: string) => m.trim()).filter((m) => m !== '')
      : undefined;
  const t = text(raw);
  return t === undefined ? undefined : t.split(/[;,|\s]+/).filter((m) => m !== '');
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/;

type MemberReader = (m: string) => string | FieldInput;

function otherMember(m: string): string | FieldInput {
  return m.length > MAX_TEXT || CONTROL.test(m) ? problem('a list member is too long or has control characters') : m;
}

const LIST_MEMBERS: Partial<Record<FieldName, MemberReader>> = {
  macs: (m) => normaliseMac(m) ?? problem(`${JSON.stringify(m)} is not a MAC address`),
  ips: (m) => normaliseIp(m) ?? problem(`${JSON.stringify(m)} is not an IP address`),
  hostnames: (m) =>
    HOSTNAME.test(m.toLowerCase()) ? m.toLowerCase() : problem(`${JSON.stringify(m)} is not a host name`),
  dicomAeTitles: (m) =>
    m.length > 16 || m.includes('\\') || CONTROL.test(m)
      ? problem(`${JSON.stringify(m)} is not a DICOM AE title (at most 16 characters)`)
      : m,
};

function readList(field: FieldName, raw: unknown): FieldInput {
  if (field === 'documents') {
    const list = Array.isArray(raw) ? (raw as unknown[]) : members(raw);
    if (list === undefined) return problem('expected a list of links');
    const out: Json[] = [];
    for (const item of list) {
      const url =
        typeof item === 'string'
          ? item
          : typeof item === 'object' && item !== null
            ? (item as Record<string, unknown>).url
            : undefined;
      const title = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).title : undefined;
      if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url) || url.length > 2000)
        return problem('a document link must be an http(s) URL');
      out.push({
        title: typeof title === 'string' && title.trim() !== '' ? title.trim().slice(0, MAX_TEXT) : url,
        url,
      });
    }
    return value(out.length === 0 ? null : out);
  }
  const list = members(raw);
  if (list === undefined) return problem('expected a list of text values');
  const out: string[] = [];
  for (const m of list) {
    const reader = LIST_MEMBERS[field] ?? otherMember;
    const v = reader(m);
    if (typeof v !== 'string') return v;
    out.push(v);
  }
  return value(out.length === 0 ? null : out);
}

function vocabulary(read: (t: string) => string | undefined, what: string): (t: string) => FieldInput {
  return (t) => {
    const v = read(t);
    return v === undefined ? problem(`${JSON.stringify(t)} is not ${what}`) : value(v);
  };
}

const SCALARS: Partial<Record<FieldName, (t: string) => FieldInput>> = {
  type: vocabulary(normaliseType, 'a device type Ward knows (or a mapping value for one)'),
  criticality: vocabulary(
    normaliseCriticality,
    'a clinical criticality (life-sustaining, life-supporting, diagnostic, therapeutic, non-clinical)',
  ),
  lifecycle: vocabulary(normaliseLifecycle, 'a lifecycle state (in-service, maintenance, retired)'),
  supportStatus: vocabulary(normaliseSupportStatus, 'a support status (supported, limited, end-of-support, unknown)'),
  endOfSupport: vocabulary(normaliseDate, 'a date (YYYY-MM-DD)'),
  udi: (t) => {
    const u = parseUdi(t);
    if (u.ok) return value(u.value as unknown as Json);
    const why = u.problems[0];
    return problem(`not a GS1 or HIBCC UDI: ${why?.message ?? ''} (at character ${String(why?.offset ?? 0)})`);
  },
};

/** Reads a raw value for `field`. An empty string or null withdraws the source's claim (null). */
export function readFieldInput(field: FieldName, raw: unknown): FieldInput {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return value(null);
  if (isSetField(field)) return readList(field, raw);
  if (isSeenField(field)) {
    const t = text(raw);
    const ms = t === undefined ? NaN : Date.parse(t);
    return Number.isNaN(ms) ? problem('expected an ISO 8601 time') : value(new Date(ms).toISOString());
  }
  if (!isScalarField(field)) return problem('not a device field');
  if (field === 'phi') {
    const b = typeof raw === 'boolean' ? raw : typeof raw === 'string' ? normaliseBoolean(raw) : undefined;
    return b === undefined ? problem('expected yes or no') : value(b);
  }
  const t = text(raw);
  if (t === undefined) return problem('expected text');
  if (CONTROL.test(t)) return problem('has control characters');
  const reader = SCALARS[field];
  if (reader !== undefined) return reader(t);
  return t.length > MAX_TEXT ? problem(`longer than ${String(MAX_TEXT)} characters`) : value(t);
}
