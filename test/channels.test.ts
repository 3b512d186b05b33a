/**
 * The same action through the CLI and through the API gives the same stored result and the same
 * ledger entry (but for who asked, and how): both go through @ward/services.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEntry, type ChangeEntry } from '@ward/ledger';
import { digestOf } from '@ward/services';
import { openSqliteStore, type Store } from '@ward/store';
import { InventoryService } from '@ward/inventory';
import type { InventoryDevice } from '@ward/core';
import { afterAll, describe, expect, it } from 'vitest';
import { CMMS_CSV } from './support/cmms.js';
import { RV340_SBOM } from './support/rv340.js';
import { haveSharedData, sharedDataDir } from './support/tshark.js';
import { ward } from '../packages/cli/src/test-helpers.js';
import { bearer, createTestApp } from '../packages/server/src/test-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ward-channels-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const CMMS = CMMS_CSV;

async function changeEntries(store: Store): Promise<ChangeEntry[]> {
  const leaves = await store.ledger.leaves(0, await store.ledger.size());
  return leaves
    .map((l) => decodeEntry(Buffer.from(l.entry, 'utf8')))
    .filter((e): e is ChangeEntry => e.kind === 'change');
}

/** What a device is, without what differs between two stores: ids, times and who made a person's edit. */
function comparable(device: InventoryDevice): unknown {
  const text = JSON.stringify({ ...device, id: null, createdAt: null, updatedAt: null }, (key, value: unknown) =>
    key === 'at' || key === 'userId' || key === 'lastSeen' || key === 'firstSeen' ? null : value,
  );
  return JSON.parse(text) as unknown;
}

/** Each change entry must commit to a history row of its device in that store. */
async function checkDigests(store: Store, entries: readonly ChangeEntry[]): Promise<void> {
  const inventory = new InventoryService(store);
  for (const e of entries) {
    const history = await inventory.history(e.object ?? '');
    const row = history.find(
      (h) => digestOf({ deviceId: e.object, version: h.version, source: h.source, changes: h.changes }) === e.digest,
    );
    expect(row, `${e.action} ${String(e.object)}`).toBeDefined();
  }
}

describe('one action, two channels', () => {
  it('importing and editing devices through the CLI and through the API stores the same and audits the same', async () => {
    // Through the CLI.
    const dataDir = join(root, 'cli');
    const csv = join(root, 'cmms.csv');
    writeFileSync(csv, CMMS);
    expect((await ward(['devices', 'import', csv, '--data-dir', dataDir, '--json'])).code).toBe(0);
    const listed = await ward(['devices', 'list', '--data-dir', dataDir, '--json']);
    const pump = listed.json<{ items: InventoryDevice[] }>().items.find((d) => d.serialNumber === 'SN-1');
    const edit = await ward(['devices', 'edit', pump?.id ?? '', '--set', 'location.room=ICU-4', '--data-dir', dataDir]);
    expect(edit.code).toBe(0);
    const cliStore = openSqliteStore({ dataDir });

    // Through the API.
    const api = await createTestApp();
    const engineer = bearer(api.tokens['clinical-engineer']);
    const imported = await api.app.inject({
      method: 'POST',
      url: '/api/v1/devices/import?file=cmms.csv',
      headers: { ...engineer, 'content-type': 'text/csv' },
      payload: CMMS,
    });
    expect(imported.statusCode).toBe(200);
    const page = await api.app.inject({ method: 'GET', url: '/api/v1/devices', headers: engineer });
    const apiPump = page.json<{ items: InventoryDevice[] }>().items.find((d) => d.serialNumber === 'SN-1');
    const patched = await api.app.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${apiPump?.id ?? ''}`,
      headers: engineer,
      payload: { location: { room: 'ICU-4' } },
    });
    expect(patched.statusCode).toBe(200);
    await api.app.ledger.flush();

    try {
      // The same stored devices.
      const bySerial = async (store: Store): Promise<Record<string, unknown>> =>
        Object.fromEntries<unknown>(
          (await new InventoryService(store).list({ limit: 100 })).items.map((d) => [
            d.serialNumber ?? '',
            comparable(d),
          ]),
        );
      const cliDevices = await bySerial(cliStore);
      expect(Object.keys(cliDevices).sort()).toEqual(['SN-1', 'SN-2']);
      expect(await bySerial(api.store)).toEqual(cliDevices);

      // The same change entries: one per device created and one for the edit, each committing to
      // what its store holds; only the actor, role and channel differ.
      const cliEntries = await changeEntries(cliStore);
      const apiEntries = await changeEntries(api.store);
      const shape = (entries: readonly ChangeEntry[]) => entries.map((e) => e.action).sort();
      expect(shape(cliEntries)).toEqual(['device.created', 'device.created', 'device.updated']);
      expect(shape(apiEntries)).toEqual(shape(cliEntries));
      expect(new Set(cliEntries.map((e) => `${e.via} ${e.role}`))).toEqual(new Set(['cli local-admin']));
      expect(cliEntries.every((e) => e.actor.startsWith('cli:'))).toBe(true);
      const engineerId = (await api.app.accounts.listUsers()).find((u) => u.username === 'u-clinical-engineer')?.id;
      expect(new Set(apiEntries.map((e) => `${e.via} ${e.role} ${e.actor}`))).toEqual(
        new Set([`api clinical-engineer ${String(engineerId)}`]),
      );
      await checkDigests(cliStore, cliEntries);
      await checkDigests(api.store, apiEntries);
      // The CSV import's entries are the same to the digest: same content, same source, same version.
      const created = (entries: readonly ChangeEntry[], store: Store) =>
        Promise.all(
          entries
            .filter((e) => e.action === 'device.created')
            .map(async (e) => {
              const history = await new InventoryService(store).history(e.object ?? '');
              return digestOf({
                version: history[0]?.version,
                source: history[0]?.source,
                changes: history[0]?.changes,
              });
            }),
        );
      expect((await created(apiEntries, api.store)).sort()).toEqual((await created(cliEntries, cliStore)).sort());
    } finally {
      await cliStore.close();
      await api.close();
    }
  });
});

const SBOM = join(sharedDataDir, 'sbom/medical-device-sbom-case-study/extended.sbom.json');
const VEX = join(sharedDataDir, 'sbom/cyclonedx-bom-examples/VEX/vex.json');
const CSAF_DIR = join(sharedDataDir, 'vulnerability/cisa-csaf-icsma/2019');

describe.skipIf(!haveSharedData)('one action, two channels: software and feeds', () => {
  it('an SBOM, a VEX document and a feed document through the CLI and the API store the same and audit the same', async () => {
    const csaf = join(
      CSAF_DIR,
      readdirSync(CSAF_DIR)
        .filter((f) => f.endsWith('.json'))
        .sort()[0] ?? '',
    );
    const model = ['--manufacturer', 'Acme Medical', '--model', 'InfuseRight 3000'];
    const dataDir = join(root, 'cli-software');
    const cli = async (argv: string[]) => {
      const r = await ward([...argv, '--data-dir', dataDir, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    await cli(['sbom', 'import', SBOM, ...model, '--firmware', '1.0']);
    await cli(['vex', 'import', VEX, ...model]);
    await cli(['feeds', 'import', csaf]);
    // The CLI again: nothing new.
    await cli(['sbom', 'import', SBOM, ...model, '--firmware', '1.0']);
    await cli(['feeds', 'import', csaf]);
    const cliStore = openSqliteStore({ dataDir });

    const api = await createTestApp();
    const analyst = bearer(api.tokens['security-analyst']);
    const q = 'manufacturer=Acme%20Medical&model=InfuseRight%203000';
    const post = async (url: string, file: string) => {
      const res = await api.app.inject({
        method: 'POST',
        url: `${url}&file=${encodeURIComponent(file)}`,
        headers: { ...analyst, 'content-type': 'application/json' },
        payload: readFileSync(file),
      });
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    await post(`/api/v1/sboms?${q}&firmware=1.0`, SBOM);
    await post(`/api/v1/vex?${q}`, VEX);
    await post('/api/v1/feeds/import?', csaf);
    await post(`/api/v1/sboms?${q}&firmware=1.0`, SBOM);
    await post('/api/v1/feeds/import?', csaf);
    await api.app.ledger.flush();

    try {
      // The same SBOM (but for its id and time), the same decisions, the same feed records.
      const sbomOf = async (store: Store) => {
        const [summary] = await store.software.listSboms();
        const detail = await store.software.getSbom(summary?.id ?? '');
        return { ...detail, id: null, importedAt: null, fileName: null };
      };
      expect(await sbomOf(api.store)).toEqual(await sbomOf(cliStore));
      const decisionsOf = async (store: Store) =>
        (await store.software.vexHistory({ manufacturer: 'Acme Medical', model: 'InfuseRight 3000' })).map((d) => ({
          ...d,
          id: null,
          decidedAt: null,
          origin: null,
        }));
      const cliDecisions = await decisionsOf(cliStore);
      expect(cliDecisions.length).toBeGreaterThan(0);
      expect(await decisionsOf(api.store)).toEqual(cliDecisions);
      const feedOf = async (store: Store) =>
        (await store.vulnerabilities.listImports()).map((i) => ({ ...i, importedAt: null }));
      expect(await feedOf(api.store)).toEqual(await feedOf(cliStore));

      // One change entry per change, none for the repeats; a feed document's is the same to the digest.
      const actions = (entries: readonly ChangeEntry[]) => entries.map((e) => e.action).sort();
      const cliEntries = await changeEntries(cliStore);
      const apiEntries = await changeEntries(api.store);
      expect(actions(cliEntries)).toEqual(['feed.imported', 'sbom.imported', 'vex.recorded']);
      expect(actions(apiEntries)).toEqual(actions(cliEntries));
      const feedEntry = (entries: readonly ChangeEntry[]) => entries.find((e) => e.action === 'feed.imported');
      expect(feedEntry(apiEntries)).toMatchObject({
        object: feedEntry(cliEntries)?.object,
        digest: feedEntry(cliEntries)?.digest,
      });
      expect(feedEntry(apiEntries)?.via).toBe('api');
      expect(feedEntry(cliEntries)?.via).toBe('cli');
      // The SBOM entry commits to what its store holds.
      for (const [store, entries] of [
        [cliStore, cliEntries],
        [api.store, apiEntries],
      ] as const) {
        const entry = entries.find((e) => e.action === 'sbom.imported');
        const [summary] = await store.software.listSboms();
        expect(entry?.object).toBe(summary?.id);
        expect(entry?.digest).toBe(digestOf({ sbom: summary, vex: [] }));
      }
    } finally {
      await cliStore.close();
      await api.close();
    }
  });
});

describe('one action, two channels: accounts', () => {
  it('creating a user and a token through the CLI and the API are both in the ledger, without a secret', async () => {
    const dataDir = join(root, 'cli-accounts');
    const add = await ward(['user', 'add', 'biomed-2', '--role', 'clinical-engineer', '--data-dir', dataDir, '--json']);
    expect(add.code, add.stderr).toBe(0);
    const token = await ward([
      'token',
      'create',
      '--user',
      'biomed-2',
      '--name',
      'pump gateway',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(token.code, token.stderr).toBe(0);
    const { secret } = token.json<{ secret: string }>();
    const cliStore = openSqliteStore({ dataDir });
    const api = await createTestApp();
    try {
      const admin = bearer(api.tokens.admin);
      const created = await api.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: { username: 'biomed-2', role: 'clinical-engineer' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const tok = await api.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: admin,
        payload: { user: 'biomed-2', name: 'pump gateway' },
      });
      expect(tok.statusCode, tok.body).toBe(201);
      await api.app.ledger.flush();
      const cliEntries = await changeEntries(cliStore);
      const apiEntries = (await changeEntries(api.store)).filter(
        (e) => e.action.startsWith('user.') || e.action.startsWith('token.'),
      );
      expect(cliEntries.map((e) => e.action)).toEqual(['user.created', 'token.created']);
      // The API's test fixture made users and tokens of its own first; the last two are ours.
      expect(apiEntries.slice(-2).map((e) => e.action)).toEqual(['user.created', 'token.created']);
      const leaves = await cliStore.ledger.leaves(0, await cliStore.ledger.size());
      expect(leaves.some((l) => l.entry.includes(secret))).toBe(false);
    } finally {
      await cliStore.close();
      await api.close();
    }
  });
});

const NVD = join(sharedDataDir, 'vulnerability/nvd-api2-json-nvdlib-fixtures');

describe.skipIf(!haveSharedData)('one action, two channels: findings', () => {
  it('the same SBOM and feeds through the CLI and the API give the same stored findings, ids included', async () => {
    const dataDir = join(root, 'cli-findings');
    const sbom = join(root, 'rv340.cdx.json');
    writeFileSync(sbom, RV340_SBOM);
    const target = ['--manufacturer', 'Cisco', '--model', 'RV340', '--firmware', '1.0.03.22'];
    expect((await ward(['sbom', 'import', sbom, ...target, '--data-dir', dataDir])).code).toBe(0);
    const files = readdirSync(NVD).sort();
    for (const f of files) expect((await ward(['feeds', 'import', join(NVD, f), '--data-dir', dataDir])).code).toBe(0);
    const cliStore = openSqliteStore({ dataDir });

    const api = await createTestApp();
    const analyst = bearer(api.tokens['security-analyst']);
    try {
      // The API the other way round: the feeds first, then the SBOM.
      for (const f of files) {
        const res = await api.app.inject({
          method: 'POST',
          url: `/api/v1/feeds/import?file=${encodeURIComponent(join(NVD, f))}`,
          headers: { ...analyst, 'content-type': 'application/json' },
          payload: readFileSync(join(NVD, f)),
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      const up = await api.app.inject({
        method: 'POST',
        url: '/api/v1/sboms?manufacturer=Cisco&model=RV340&firmware=1.0.03.22&file=rv340.cdx.json',
        headers: { ...analyst, 'content-type': 'application/json' },
        payload: RV340_SBOM,
      });
      expect(up.statusCode, up.body).toBe(200);
      await api.app.ledger.flush();

      const findingsOf = async (store: Store) =>
        (await store.findings.list({ limit: 500 })).items.map((f) => ({
          id: f.id,
          digest: f.digest,
          finding: f.finding,
        }));
      const cliFindings = await findingsOf(cliStore);
      expect(cliFindings.length).toBeGreaterThan(0);
      expect(await findingsOf(api.store)).toEqual(cliFindings);
      const opened = async (store: Store) =>
        (await changeEntries(store))
          .filter((e) => e.action === 'finding.opened')
          .map((e) => `${String(e.object)} ${e.digest}`)
          .sort();
      expect(await opened(api.store)).toEqual(await opened(cliStore));
    } finally {
      await cliStore.close();
      await api.close();
    }
  });
});
