/**
 * @module entry
 * What may go into the log — and nothing else. Entries carry opaque identifiers, route patterns,
 * outcomes and hashes or salted commitments of health records; never a name, a birth date, a
 * filled URL or free text. Parsing is strict (exactly the allowed fields, each of a narrow form)
 * and the encoding is canonical JSON, so the same entry always has the same leaf hash.
 */
import { LedgerError } from './errors.js';

/** An access to patient data or to Ward itself, as the server's access control decided it. */
export interface AccessEntry {
  readonly kind: 'access';
  /** ISO 8601 UTC, e.g. 2025-01-31T12:00:00.000Z. */
  readonly at: string;
  /** The user id (opaque). */
  readonly actor: string;
  readonly role: string;
  /** A route pattern such as "GET /api/v1/devices/:id" (never a filled URL) or a verb such as "user.disable". */
  readonly action: string;
  /** An opaque id of the object acted on, or null. */
  readonly object: string | null;
  readonly outcome: 'allowed' | 'denied' | 'error';
  /** The HTTP status (100–599). */
  readonly status: number;
}

/** A health-record version, committed by its plain SHA-256 (64 lower-case hex). */
export interface RecordHashEntry {
  readonly kind: 'record';
  readonly at: string;
  readonly recordId: string;
  readonly version: number;
  readonly sha256: string;
}

/** A health-record version, committed as SHA-256(salt || record); the client keeps the salt. */
export interface RecordCommitmentEntry {
  readonly kind: 'record';
  readonly at: string;
  readonly recordId: string;
  readonly version: number;
  readonly commitment: string;
}

/**
 * A change Ward itself made to its stored state (a device edited, an SBOM imported, a finding
 * opened), whichever way it was asked for: the API, the CLI or a scheduled job. The entry names the
 * change and commits to what was stored by its digest; it never carries the stored value itself.
 */
export interface ChangeEntry {
  readonly kind: 'change';
  readonly at: string;
  /** A user id, `cli:<operating-system user>` or `job:<job name>` (opaque). */
  readonly actor: string;
  readonly role: string;
  /** Where the request came from. */
  readonly via: 'api' | 'cli' | 'job';
  /** A dotted verb: `device.change`, `sbom.import`, `finding.open`… */
  readonly action: string;
  /** An opaque id of the changed object, or null. */
  readonly object: string | null;
  /** SHA-256 (64 lower-case hex) of the canonical JSON of what was stored. */
  readonly digest: string;
}

export type LedgerEntry = AccessEntry | ChangeEntry | RecordHashEntry | RecordCommitmentEntry;

/** Opaque identifiers: no spaces, no slashes, no free text. */
const IDENTIFIER = /^[A-Za-z0-9._:-]{1,128}$/;
const ROLE = /^[a-z][a-z0-9-]{0,63}$/;
const ROUTE_ACTION = /^[A-Z]{1,16} \/[A-Za-z0-9_/:{}.-]{0,200}$/;
const VERB_ACTION = /^(?=.{3,128}$)[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)+$/;
const HEX_256 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;
const OUTCOMES: readonly string[] = ['allowed', 'denied', 'error'];
const VIAS: readonly string[] = ['api', 'cli', 'job'];

const ACCESS_FIELDS = ['kind', 'at', 'actor', 'role', 'action', 'object', 'outcome', 'status'] as const;
const CHANGE_FIELDS = ['kind', 'at', 'actor', 'role', 'via', 'action', 'object', 'digest'] as const;
const RECORD_FIELDS = ['kind', 'at', 'recordId', 'version', 'sha256', 'commitment'] as const;

/** The largest encoded entry `decodeEntry` reads; real entries are well under 1 KiB. */
export const MAX_ENTRY_BYTES = 4096;

function entryError(field: string, message: string): LedgerError {
  // Never echo the offending value: it may be exactly the patient data this check keeps out.
  return new LedgerError('LEDGER_ENTRY_INVALID', message, { details: { field: field.slice(0, 64) } });
}

function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_UTC.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function field(record: Record<string, unknown>, name: string): unknown {
  if (!Object.hasOwn(record, name)) throw entryError(name, `the entry has no ${name}`);
  return record[name];
}

function check<T>(value: unknown, name: string, ok: (v: unknown) => v is T, what: string): T {
  if (!ok(value)) throw entryError(name, `${name} must be ${what}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isIdentifier = (v: unknown): v is string => isString(v) && IDENTIFIER.test(v);
const isRole = (v: unknown): v is string => isString(v) && ROLE.test(v);
const isHex = (v: unknown): v is string => isString(v) && HEX_256.test(v);
const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Who acted: an opaque actor id and a role name. */
function whoOf(record: Record<string, unknown>): { actor: string; role: string } {
  return {
    actor: check(field(record, 'actor'), 'actor', isIdentifier, 'an opaque identifier'),
    role: check(field(record, 'role'), 'role', isRole, 'a role name'),
  };
}

function objectOf(record: Record<string, unknown>): string | null {
  const object = field(record, 'object');
  return object === null ? null : check(object, 'object', isIdentifier, 'an opaque identifier or null');
}

/**
 * Checks that `value` is exactly one of the allowed entry shapes and returns a fresh copy of it.
 * Throws `LEDGER_ENTRY_INVALID` with `details.field` naming the first field at fault (an extra
 * field, a missing one, or one of the wrong form). The message never repeats the value.
 */
export function parseEntry(value: unknown): LedgerEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw entryError('entry', 'an entry must be a JSON object');
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw entryError('entry', 'an entry must be a plain object');
  const record = value as Record<string, unknown>;
  const kind = field(record, 'kind');
  const allowed: readonly string[] =
    kind === 'access' ? ACCESS_FIELDS : kind === 'change' ? CHANGE_FIELDS : kind === 'record' ? RECORD_FIELDS : [];
  if (allowed.length === 0) throw entryError('kind', 'kind must be "access", "change" or "record"');
  for (const key of Reflect.ownKeys(record)) {
    if (typeof key !== 'string' || !allowed.includes(key)) {
      throw entryError(String(key), 'the entry has a field that is not allowed');
    }
  }
  const at = check(field(record, 'at'), 'at', isTimestamp, 'an ISO 8601 UTC timestamp (…Z)');
  if (kind === 'access') {
    return {
      kind: 'access',
      at,
      ...whoOf(record),
      action: check(
        field(record, 'action'),
        'action',
        (v): v is string => isString(v) && (ROUTE_ACTION.test(v) || VERB_ACTION.test(v)),
        'a route pattern ("GET /api/v1/devices/:id") or a dotted verb ("user.disable")',
      ),
      object: objectOf(record),
      outcome: check(
        field(record, 'outcome'),
        'outcome',
        (v): v is AccessEntry['outcome'] => isString(v) && OUTCOMES.includes(v),
        'allowed, denied or error',
      ),
      status: check(
        field(record, 'status'),
        'status',
        (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599,
        'an HTTP status',
      ),
    };
  }
  if (kind === 'change') {
    return {
      kind: 'change',
      at,
      ...whoOf(record),
      via: check(
        field(record, 'via'),
        'via',
        (v): v is ChangeEntry['via'] => isString(v) && VIAS.includes(v),
        'api, cli or job',
      ),
      action: check(
        field(record, 'action'),
        'action',
        (v): v is string => isString(v) && VERB_ACTION.test(v),
        'a dotted verb ("device.change")',
      ),
      object: objectOf(record),
      digest: check(field(record, 'digest'), 'digest', isHex, '64 lower-case hex digits'),
    };
  }
  const recordId = check(field(record, 'recordId'), 'recordId', isIdentifier, 'an opaque identifier');
  const version = check(field(record, 'version'), 'version', isPositiveInteger, 'a positive integer');
  const hasHash = Object.hasOwn(record, 'sha256');
  const hasCommitment = Object.hasOwn(record, 'commitment');
  if (hasHash && hasCommitment) throw entryError('commitment', 'a record entry has sha256 or commitment, not both');
  if (hasCommitment) {
    return {
      kind: 'record',
      at,
      recordId,
      version,
      commitment: check(record['commitment'], 'commitment', isHex, '64 lower-case hex digits'),
    };
  }
  return {
    kind: 'record',
    at,
    recordId,
    version,
    sha256: check(field(record, 'sha256'), 'sha256', isHex, '64 lower-case hex digits'),
  };
}

const UTF8 = new TextEncoder();

/** Canonical JSON (keys sorted, no whitespace) as UTF-8: the bytes whose leaf hash goes in the log. */
export function encodeEntry(entry: LedgerEntry): Uint8Array {
  const checked = parseEntry(entry) as unknown as Record<string, unknown>;
  // Insert the keys in sorted order: JSON.stringify then writes them in that order, in one call.
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(checked).sort()) sorted[key] = checked[key];
  return UTF8.encode(JSON.stringify(sorted));
}

/**
 * Reads an entry back from its bytes. The bytes must be exactly the canonical encoding: anything
 * else (duplicate keys, whitespace, a byte-order mark) could hide text that the parsed value does
 * not show, so it is refused with `LEDGER_ENTRY_INVALID`.
 */
export function decodeEntry(bytes: Uint8Array): LedgerEntry {
  if (!(bytes instanceof Uint8Array)) throw entryError('entry', 'an encoded entry must be a Uint8Array');
  if (bytes.length > MAX_ENTRY_BYTES) throw entryError('entry', 'the encoded entry is too large');
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    // No `cause`: JSON.parse's message quotes the input, which may be exactly what must not leak.
    throw entryError('entry', 'the encoded entry is not UTF-8 JSON');
  }
  const entry = parseEntry(value);
  const canonical = encodeEntry(entry);
  if (canonical.length !== bytes.length || canonical.some((b, i) => b !== bytes[i])) {
    throw entryError('entry', 'the encoded entry is not in canonical form');
  }
  return entry;
}
