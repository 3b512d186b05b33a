import { createHash } from 'node:crypto';
import { parseCheckpoint, parseEntry, verifierFromKey, verifyInclusion, verifyNote, fromHex } from '@ward/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oracleVerifiesConsistency, oracleVerifiesInclusion } from '../../../../test/rfc9162-oracle.js';
import { bearer, createTestApp, type TestApp } from '../test-helpers.js';

interface InclusionView {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  hashes: string[];
  rootHash: string;
}
interface CheckpointView {
  origin: string;
  size: number;
  rootHash: string;
  note: string;
  verifierKeys: string[];
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('the integrity ledger API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function checkpoint(): Promise<CheckpointView> {
    await t.app.ledger.flush();
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/ledger/checkpoint',
      headers: bearer(t.tokens.auditor),
    });
    expect(res.statusCode).toBe(200);
    return res.json<CheckpointView>();
  }

  it('records every authenticated API action, and only the fields an entry may hold', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(t.tokens.auditor) });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: bearer(t.tokens.auditor),
      payload: { name: 'x' },
    });
    await t.app.inject({ method: 'GET', url: '/api/v1/devices' }); // anonymous: refused, nobody to record
    const cp = await checkpoint();
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ledger/entries?start=0&end=${String(cp.size)}`,
      headers: bearer(t.tokens.auditor),
    });
    const entries = res.json<{ items: { entry: Record<string, unknown> }[] }>().items.map((i) => i.entry);
    const auditorId = (await t.app.accounts.findUser('u-auditor')).id;
    expect(entries).toContainEqual(
      expect.objectContaining({
        kind: 'access',
        actor: auditorId,
        role: 'auditor',
        action: 'GET /api/v1/devices',
        outcome: 'allowed',
        status: 200,
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: 'access', action: 'POST /api/v1/devices', outcome: 'denied', status: 403 }),
    );
    // Every stored entry passes the strict entry schema: nothing but the allowed fields.
    const all = await t.store.ledger.leaves(0, cp.size);
    for (const leaf of all) expect(() => parseEntry(JSON.parse(leaf.entry))).not.toThrow();
  });

  it('publishes a checkpoint signed by the log key, whose root the stored tree has', async () => {
    const cp = await checkpoint();
    const { body } = verifyNote(
      cp.note,
      cp.verifierKeys.map((k) => verifierFromKey(k)),
    );
    const parsed = parseCheckpoint(body);
    expect(parsed.origin).toBe('ward.test/ledger');
    expect(parsed.size).toBe(cp.size);
    const plain = await t.app.inject({
      method: 'GET',
      url: '/api/v1/ledger/checkpoint',
      headers: { ...bearer(t.tokens.auditor), accept: 'text/plain' },
    });
    expect(plain.headers['content-type']).toMatch(/^text\/plain/);
    expect(plain.body).toMatch(/^ward\.test\/ledger\n\d+\n/);
  });

  it('commits a record version and returns an inclusion proof an independent verifier accepts', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/records',
      headers: bearer(t.tokens['clinical-engineer']),
      payload: { recordId: 'ehr-000123', version: 1, sha256: sha('record v1') },
    });
    expect(res.statusCode).toBe(201);
    const {
      leafIndex,
      inclusion,
      checkpoint: cp,
    } = res.json<{ leafIndex: number; inclusion: InclusionView; checkpoint: CheckpointView }>();
    expect(inclusion.leafIndex).toBe(leafIndex);
    expect(inclusion.rootHash).toBe(cp.rootHash);
    expect(
      verifyInclusion(
        fromHex(inclusion.leafHash),
        leafIndex,
        inclusion.treeSize,
        inclusion.hashes.map(fromHex),
        fromHex(cp.rootHash),
      ),
    ).toBe(true);
    expect(await oracleVerifiesInclusion(inclusion)).toBe(true);
    expect(await oracleVerifiesInclusion({ ...inclusion, leafIndex: leafIndex === 0 ? 1 : leafIndex - 1 })).toBe(false);

    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/records',
      headers: bearer(t.tokens['clinical-engineer']),
      payload: { recordId: 'ehr-000123', version: 2, commitment: sha('salt|record v2') },
    });
    expect(second.statusCode).toBe(201);
    const versions = await t.app.inject({
      method: 'GET',
      url: '/api/v1/ledger/records/ehr-000123',
      headers: bearer(t.tokens.auditor),
    });
    const body = versions.json<{
      pseudonym: string;
      versions: { version: number; inclusion: InclusionView; entry: Record<string, unknown> }[];
    }>();
    expect(body.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(body.pseudonym).toMatch(/^r:[0-9a-f]{32}$/);
    expect(body.versions[0]?.entry).toMatchObject({
      kind: 'record',
      recordId: body.pseudonym,
      sha256: sha('record v1'),
    });
    for (const v of body.versions) expect(await oracleVerifiesInclusion(v.inclusion)).toBe(true);
  });

  it('logs a record id (which may be a medical record number) only as its pseudonym', async () => {
    const mrn = 'MRN:00987654';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/records',
      headers: bearer(t.tokens['clinical-engineer']),
      payload: { recordId: mrn, version: 1, sha256: sha('chart') },
    });
    expect(res.statusCode).toBe(201);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ledger/records/${encodeURIComponent(mrn)}`,
      headers: bearer(t.tokens.auditor),
    });
    expect(read.json<{ versions: unknown[] }>().versions).toHaveLength(1);
    await t.app.ledger.flush();
    const stored = await t.store.ledger.leaves(0, await t.store.ledger.size());
    expect(stored.length).toBeGreaterThan(0);
    for (const leaf of stored) {
      expect(leaf.entry).not.toContain('00987654');
      expect(leaf.entry).not.toContain('MRN');
    }
  });

  it('refuses a record that carries anything but identifiers and a hash', async () => {
    const headers = bearer(t.tokens['clinical-engineer']);
    for (const payload of [
      { recordId: 'ehr-9', version: 1, sha256: sha('x'), patientName: 'Jane Doe' },
      { recordId: 'Jane Doe 1970-01-01', version: 1, sha256: sha('x') },
      { recordId: 'ehr-9', version: 1, sha256: 'not-a-hash' },
      { recordId: 'ehr-9', version: 0, sha256: sha('x') },
      { recordId: 'ehr-9', version: 1, sha256: sha('x'), commitment: sha('y') },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ledger/records', headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/records',
      headers,
      payload: { recordId: 'ehr-000123', version: 1, sha256: sha('a different v1') },
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json()).toMatchObject({ code: 'LEDGER_INPUT_INVALID', errors: [{ field: 'version' }] });
    const auditor = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/records',
      headers: bearer(t.tokens.auditor),
      payload: { recordId: 'ehr-10', version: 1, sha256: sha('x') },
    });
    expect(auditor.statusCode).toBe(403);
  });

  it('proves consistency between two checkpoints to an independent verifier', async () => {
    const before = await checkpoint();
    for (let i = 0; i < 7; i += 1)
      await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(t.tokens.admin) });
    const after = await checkpoint();
    expect(after.size).toBeGreaterThan(before.size);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ledger/proof/consistency?first=${String(before.size)}&second=${String(after.size)}`,
      headers: bearer(t.tokens.auditor),
    });
    const proof = res.json<{
      first: number;
      second: number;
      hashes: string[];
      firstRoot: string;
      secondRoot: string;
    }>();
    expect(proof.firstRoot).toBe(before.rootHash);
    expect(proof.secondRoot).toBe(after.rootHash);
    expect(await oracleVerifiesConsistency(proof)).toBe(true);
    const inclusion = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ledger/proof/inclusion?index=0&size=${String(after.size)}`,
      headers: bearer(t.tokens.auditor),
    });
    expect(await oracleVerifiesInclusion(inclusion.json<InclusionView>())).toBe(true);
  });

  it('answers proofs beyond the log with 400', async () => {
    const cp = await checkpoint();
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ledger/proof/inclusion?index=0&size=${String(cp.size + 1000)}`,
      headers: bearer(t.tokens.auditor),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'LEDGER_INPUT_INVALID' });
  });

  it('verifies the whole log', async () => {
    await t.app.ledger.flush();
    const report = await t.app.ledger.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.size).toBeGreaterThan(10);
  });
});
