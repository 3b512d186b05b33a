import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ENTRY_BYTES, decodeEntry, encodeEntry, parseEntry, type LedgerEntry } from './entry.js';

const ACCESS: LedgerEntry = {
  kind: 'access',
  at: '2025-03-01T08:15:30.123Z',
  actor: 'usr_01HQ3Z9K',
  role: 'clinical-engineer',
  action: 'GET /api/v1/devices/:id',
  object: 'dev_7f3a',
  outcome: 'allowed',
  status: 200,
};
const RECORD_HASH: LedgerEntry = {
  kind: 'record',
  at: '2025-03-01T08:15:30Z',
  recordId: 'rec-2025.0001',
  version: 3,
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};
const RECORD_COMMITMENT: LedgerEntry = {
  kind: 'record',
  at: '2025-03-01T08:15:30Z',
  recordId: 'urn:ward:rec:42',
  version: 1,
  commitment: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
};

const CHANGE: LedgerEntry = {
  kind: 'change',
  at: '2025-03-01T08:15:31Z',
  actor: 'cli:biomed',
  role: 'local-admin',
  via: 'cli',
  action: 'device.change',
  object: 'dev_7f3a',
  digest: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
};

function fieldOf(value: unknown): unknown {
  try {
    parseEntry(value);
  } catch (error) {
    const e = error as { code?: string; details?: { field?: string } };
    return { code: e.code, field: e.details?.field };
  }
  return 'accepted';
}

const rejects = (field: string) => ({ code: 'LEDGER_ENTRY_INVALID', field });

describe('parseEntry', () => {
  it('accepts the four allowed shapes and returns a copy', () => {
    for (const entry of [ACCESS, CHANGE, RECORD_HASH, RECORD_COMMITMENT]) {
      const parsed = parseEntry(JSON.parse(JSON.stringify(entry)));
      expect(parsed).toEqual(entry);
      expect(parsed).not.toBe(entry);
    }
    expect(
      parseEntry({ ...ACCESS, object: null, outcome: 'denied', status: 403, action: 'user.disable' }),
    ).toMatchObject({
      object: null,
    });
    expect(fieldOf({ ...ACCESS, action: 'POST /api/v1/users/{id}/tokens' })).toBe('accepted');
  });

  it('rejects extra fields, naming them', () => {
    expect(fieldOf({ ...ACCESS, patientName: 'Jane Doe' })).toEqual(rejects('patientName'));
    expect(fieldOf({ ...RECORD_HASH, dateOfBirth: '1980-01-02' })).toEqual(rejects('dateOfBirth'));
    expect(fieldOf({ ...RECORD_HASH, commitment: 'a'.repeat(64) })).toEqual(rejects('commitment'));
    expect(fieldOf({ ...ACCESS, recordId: 'r1' })).toEqual(rejects('recordId'));
    expect(fieldOf(JSON.parse(`{"kind":"access","__proto__":{"x":1}}`))).toEqual(rejects('__proto__'));
  });

  it('holds a change entry to its fields: a dotted verb, a known channel, a digest', () => {
    expect(fieldOf({ ...CHANGE, object: null })).toBe('accepted');
    expect(fieldOf({ ...CHANGE, via: 'job', actor: 'job:feed-sync', role: 'system' })).toBe('accepted');
    expect(fieldOf({ ...CHANGE, action: 'PATCH /api/v1/devices/:id' })).toEqual(rejects('action'));
    expect(fieldOf({ ...CHANGE, via: 'email' })).toEqual(rejects('via'));
    expect(fieldOf({ ...CHANGE, digest: 'A'.repeat(64) })).toEqual(rejects('digest'));
    expect(fieldOf({ ...CHANGE, status: 200 })).toEqual(rejects('status'));
    expect(fieldOf({ ...CHANGE, before: { name: 'Pump 4' } })).toEqual(rejects('before'));
    expect(fieldOf({ ...CHANGE, actor: 'cli:Jane Doe' })).toEqual(rejects('actor'));
    expect(fieldOf(Object.fromEntries(Object.entries(CHANGE).filter(([k]) => k !== 'digest')))).toEqual(
      rejects('digest'),
    );
    expect(decodeEntry(encodeEntry(CHANGE))).toEqual(CHANGE);
  });

  it('rejects missing fields', () => {
    const without = (entry: LedgerEntry, key: string): Record<string, unknown> =>
      Object.fromEntries(Object.entries(entry).filter(([k]) => k !== key));
    expect(fieldOf(without(ACCESS, 'status'))).toEqual(rejects('status'));
    expect(fieldOf(without(ACCESS, 'object'))).toEqual(rejects('object'));
    expect(fieldOf(without(RECORD_HASH, 'sha256'))).toEqual(rejects('sha256'));
    expect(fieldOf({})).toEqual(rejects('kind'));
  });

  it('keeps free text out of identifiers', () => {
    expect(fieldOf({ ...ACCESS, actor: 'Jane Doe' })).toEqual(rejects('actor'));
    expect(fieldOf({ ...ACCESS, object: '02/01/1980' })).toEqual(rejects('object'));
    expect(fieldOf({ ...RECORD_HASH, recordId: 'Smith, John' })).toEqual(rejects('recordId'));
    expect(fieldOf({ ...RECORD_HASH, recordId: '' })).toEqual(rejects('recordId'));
    expect(fieldOf({ ...RECORD_HASH, recordId: 'x'.repeat(129) })).toEqual(rejects('recordId'));
    expect(fieldOf({ ...RECORD_HASH, recordId: 'José' })).toEqual(rejects('recordId'));
    expect(fieldOf({ ...ACCESS, role: 'Head Nurse' })).toEqual(rejects('role'));
  });

  it('accepts route patterns and dotted verbs only as actions', () => {
    expect(fieldOf({ ...ACCESS, action: 'GET /api/v1/patients?name=Jane Doe' })).toEqual(rejects('action'));
    expect(fieldOf({ ...ACCESS, action: 'GET /api/v1/patients/Jane Doe' })).toEqual(rejects('action'));
    expect(fieldOf({ ...ACCESS, action: 'get /api/v1/devices' })).toEqual(rejects('action'));
    expect(fieldOf({ ...ACCESS, action: 'viewed the chart of Jane' })).toEqual(rejects('action'));
    expect(fieldOf({ ...ACCESS, action: 'disable' })).toEqual(rejects('action'));
    expect(fieldOf({ ...ACCESS, action: 'User.Disable' })).toEqual(rejects('action'));
    expect(fieldOf({ ...ACCESS, action: `GET /${'a'.repeat(201)}` })).toEqual(rejects('action'));
  });

  it('rejects bad hashes, versions, timestamps, outcomes and statuses', () => {
    expect(
      fieldOf({ ...RECORD_HASH, sha256: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' }),
    ).toEqual(rejects('sha256'));
    expect(
      fieldOf({ ...RECORD_HASH, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85' }),
    ).toEqual(rejects('sha256'));
    expect(fieldOf({ ...RECORD_COMMITMENT, commitment: 'z'.repeat(64) })).toEqual(rejects('commitment'));
    for (const version of [0, -1, 1.5, '1', Number.MAX_SAFE_INTEGER + 1]) {
      expect(fieldOf({ ...RECORD_HASH, version })).toEqual(rejects('version'));
    }
    for (const at of [
      '2025-03-01',
      '2025-03-01T08:15:30+01:00',
      '2025-02-30T00:00:00Z',
      '2025-03-01T24:00:00Z',
      'yesterday',
    ]) {
      expect(fieldOf({ ...ACCESS, at })).toEqual(rejects('at'));
    }
    expect(fieldOf({ ...ACCESS, at: '2024-02-29T23:59:59.999999999Z' })).toBe('accepted');
    expect(fieldOf({ ...ACCESS, outcome: 'ok' })).toEqual(rejects('outcome'));
    expect(fieldOf({ ...ACCESS, status: 99 })).toEqual(rejects('status'));
    expect(fieldOf({ ...ACCESS, status: 200.5 })).toEqual(rejects('status'));
    expect(fieldOf({ ...ACCESS, kind: 'note' })).toEqual(rejects('kind'));
    expect(fieldOf([ACCESS])).toEqual(rejects('entry'));
    expect(fieldOf(null)).toEqual(rejects('entry'));
  });

  it('never echoes the rejected value in the error', () => {
    try {
      parseEntry({ ...ACCESS, actor: 'Jane Doe 1980-01-02' });
    } catch (error) {
      expect(
        JSON.stringify({ m: (error as Error).message, d: (error as { details?: unknown }).details }),
      ).not.toContain('Jane');
    }
  });

  it('throws only LEDGER_ENTRY_INVALID, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.jsonValue(),
          fc.record({ kind: fc.constantFrom('access', 'record') }, { requiredKeys: [] }),
        ),
        (value) => {
          const result = fieldOf(value);
          if (result !== 'accepted') expect(result).toMatchObject({ code: 'LEDGER_ENTRY_INVALID' });
        },
      ),
    );
  });
});

describe('encodeEntry / decodeEntry', () => {
  it('encodes canonical JSON: sorted keys, no whitespace', () => {
    expect(new TextDecoder().decode(encodeEntry(RECORD_HASH))).toBe(
      '{"at":"2025-03-01T08:15:30Z","kind":"record","recordId":"rec-2025.0001","sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","version":3}',
    );
    expect(new TextDecoder().decode(encodeEntry({ ...ACCESS, object: null }))).toBe(
      '{"action":"GET /api/v1/devices/:id","actor":"usr_01HQ3Z9K","at":"2025-03-01T08:15:30.123Z","kind":"access","object":null,"outcome":"allowed","role":"clinical-engineer","status":200}',
    );
  });

  it('is independent of key order and round-trips', () => {
    const reordered = Object.fromEntries(Object.entries(ACCESS).reverse()) as unknown as LedgerEntry;
    expect(encodeEntry(reordered)).toEqual(encodeEntry(ACCESS));
    for (const entry of [ACCESS, RECORD_HASH, RECORD_COMMITMENT])
      expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
  });

  it('round-trips arbitrary valid entries', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/);
    const at = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
    const access = fc.record({
      kind: fc.constant('access' as const),
      at,
      actor: id,
      role: fc.stringMatching(/^[a-z][a-z0-9-]{0,63}$/),
      action: fc.oneof(fc.stringMatching(/^[A-Z]{1,16} \/[A-Za-z0-9_/:{}.-]{0,200}$/), fc.constant('user.disable')),
      object: fc.option(id, { nil: null }),
      outcome: fc.constantFrom('allowed' as const, 'denied' as const, 'error' as const),
      status: fc.integer({ min: 100, max: 599 }),
    });
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    const record = fc.record({
      kind: fc.constant('record' as const),
      at,
      recordId: id,
      version: fc.integer({ min: 1 }),
      sha256: hex,
    });
    fc.assert(
      fc.property(fc.oneof(access, record), (entry) => {
        const bytes = encodeEntry(entry);
        expect(bytes.length).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
        expect(decodeEntry(bytes)).toEqual(entry);
      }),
    );
  });

  it('refuses encodings that are not canonical, since they could carry hidden text', () => {
    const canonical = new TextDecoder().decode(encodeEntry(RECORD_HASH));
    const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
    const code = (bytes: Uint8Array): unknown => {
      try {
        decodeEntry(bytes);
        return 'accepted';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(code(encode(canonical))).toBe('accepted');
    expect(code(encode(canonical.replace('{', '{ ')))).toBe('LEDGER_ENTRY_INVALID');
    expect(code(encode(canonical.replace('{', '{"recordId":"Jane Doe, born 1980-01-02",')))).toBe(
      'LEDGER_ENTRY_INVALID',
    );
    expect(code(encode(`\uFEFF${canonical}`))).toBe('LEDGER_ENTRY_INVALID');
    expect(code(encode(canonical.replace('"version":3', '"version":3.0')))).toBe('LEDGER_ENTRY_INVALID');
    expect(code(new Uint8Array([0x7b, 0xff, 0x7d]))).toBe('LEDGER_ENTRY_INVALID');
    expect(code(encode('not json'))).toBe('LEDGER_ENTRY_INVALID');
    expect(code(new Uint8Array(MAX_ENTRY_BYTES + 1))).toBe('LEDGER_ENTRY_INVALID');
  });
});
