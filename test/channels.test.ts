/**
 * The same action through the CLI and through the API gives the same stored result and the same
 * ledger entry (but for who asked, and how): both go through @ward/services.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEntry, type ChangeEntry } from '@ward/ledger';
import { digestOf } from '@ward/services';
import { openSqliteStore, type Store } from '@ward/store';
import { InventoryService } from '@ward/inventory';
import type { InventoryDevice } from '@ward/core';
import { afterAll, describe, expect, it } from 'vitest';
import { CMMS_CSV } from './support/cmms.js';
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
