/**
 * @module inventory.suite
 * Conformance of the inventory repository: the same tests on every backend. Called from the
 * backends' test files with a factory that opens a fresh, empty store.
 */
import { WardError } from '@ward/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryListQuery, InventoryRow, InventorySort } from './inventory-repo.js';
import type { Store } from './store.js';

const TYPES = ['infusion-pump', 'patient-monitor', 'ct', 'pacs'];
const CRIT = ['life-sustaining', 'diagnostic', 'non-clinical', null];
const DEPTS = ['ICU', 'Radiology', 'Oncology', null];
const VENDORS = ['Philips Medical Systems', 'Baxter', 'B. Braun', 'philips', null];

function row(n: number, overrides: Partial<InventoryRow> = {}): InventoryRow {
  const at = `2026-01-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00.000Z`;
  return {
    id: `dev-${String(n).padStart(4, '0')}`,
    // Some names repeat so that the id breaks ties.
    name: `Device ${String(n % 7)}`,
    type: TYPES[n % TYPES.length] ?? 'unknown',
    manufacturer: VENDORS[n % VENDORS.length] ?? null,
    model: `M${String(n % 3)}`,
    firmwareVersion: null,
    serialNumber: `SN${String(n)}`,
    assetTag: null,
    department: DEPTS[n % DEPTS.length] ?? null,
    criticality: CRIT[n % CRIT.length] ?? null,
    lifecycle: n % 10 === 0 ? 'retired' : 'in-service',
    lastSeen: n % 3 === 0 ? null : at,
    findingsCount: n % 5 === 0 ? 2 : 0,
    version: 1,
    record: JSON.stringify({ n }),
    search: `device ${String(n % 7)} sn${String(n)} ${n % 2 === 0 ? 'alaris infusion' : 'intellivue monitor'}`,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

const CRIT_RANK = (c: string | null): number =>
  c === null ? 9 : ['life-sustaining', 'life-supporting', 'diagnostic', 'therapeutic', 'non-clinical'].indexOf(c);

function sortKey(r: InventoryRow, sort: InventorySort): string | number {
  switch (sort) {
    case 'name':
      return r.name;
    case 'type':
      return r.type;
    case 'criticality':
      return CRIT_RANK(r.criticality);
    case 'vendor':
      return (r.manufacturer ?? '').toLowerCase();
    case 'lastSeen':
      return r.lastSeen ?? '';
    case 'updatedAt':
      return r.updatedAt;
    case 'createdAt':
      return r.createdAt;
  }
}

export function describeInventoryConformance(label: string, open: () => Promise<Store>): void {
  describe(`Inventory conformance: ${label}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
    });

    const seed = async (count: number): Promise<InventoryRow[]> => {
      const rows = Array.from({ length: count }, (_, n) => row(n));
      await store.inventory.transaction((tx) =>
        tx.write({
          inserts: rows,
          updates: [],
          identifiers: rows.map((r) => ({ kind: 'serial', value: r.serialNumber ?? '', deviceId: r.id })),
          history: rows.map((r) => ({ deviceId: r.id, version: 1, at: r.createdAt, source: '{}', changes: '[]' })),
        }),
      );
      return rows;
    };

    it('stores rows, identifiers and history in one transaction and reads them back', async () => {
      const rows = await seed(3);
      expect(await store.inventory.get(rows[1]?.id ?? '')).toEqual(rows[1]);
      expect((await store.inventory.getMany(rows.map((r) => r.id))).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        rows,
      );
      expect(
        await store.inventory.findByIdentifiers([
          { kind: 'serial', value: 'SN2' },
          { kind: 'serial', value: 'nope' },
          { kind: 'mac', value: 'SN2' },
        ]),
      ).toEqual([{ kind: 'serial', value: 'SN2', deviceId: 'dev-0002' }]);
      expect(await store.inventory.identifiersOf('dev-0000')).toEqual([
        { kind: 'serial', value: 'SN0', deviceId: 'dev-0000' },
      ]);
      expect(await store.inventory.history('dev-0000')).toHaveLength(1);
      // A device the minimal repository sees too.
      expect((await store.devices.get('dev-0001'))?.name).toBe(rows[1]?.name);
    });

    it('commits nothing when the transaction fails', async () => {
      await expect(
        store.inventory.transaction(async (tx) => {
          await tx.write({ inserts: [row(1)], updates: [], identifiers: [], history: [] });
          throw new WardError('TEST_BAD_ROW', 'a bad row');
        }),
      ).rejects.toMatchObject({ code: 'TEST_BAD_ROW' });
      expect(await store.inventory.get(row(1).id)).toBeUndefined();
    });

    it('refuses an update of a row another writer moved, and writes nothing of that transaction', async () => {
      await seed(2);
      const moved = { ...row(0), name: 'Renamed', version: 2 };
      await store.inventory.transaction((tx) =>
        tx.write({ inserts: [], updates: [{ row: moved, expectedVersion: 1 }], identifiers: [], history: [] }),
      );
      await expectCode(
        store.inventory.transaction((tx) =>
          tx.write({
            inserts: [row(9)],
            updates: [{ row: { ...row(0), name: 'Stale', version: 2 }, expectedVersion: 1 }],
            identifiers: [],
            history: [],
          }),
        ),
        'STORE_CONFLICT',
      );
      expect((await store.inventory.get(row(0).id))?.name).toBe('Renamed');
      expect(await store.inventory.get(row(9).id)).toBeUndefined();
    });

    it('filters, sorts both ways and pages without gaps or repeats', async () => {
      const rows = await seed(60);
      const cases: { query: Omit<InventoryListQuery, 'limit'>; keep: (r: InventoryRow) => boolean }[] = [
        { query: {}, keep: () => true },
        { query: { type: 'ct' }, keep: (r) => r.type === 'ct' },
        { query: { criticality: 'diagnostic' }, keep: (r) => r.criticality === 'diagnostic' },
        { query: { department: 'ICU' }, keep: (r) => r.department === 'ICU' },
        { query: { vendor: 'PHILIPS' }, keep: (r) => (r.manufacturer ?? '').toLowerCase().startsWith('philips') },
        // A prefix covering several vendors, and one covering none.
        { query: { vendor: 'b' }, keep: (r) => (r.manufacturer ?? '').toLowerCase().startsWith('b') },
        { query: { vendor: 'zz' }, keep: () => false },
        { query: { q: 'alaris' }, keep: (r) => r.search.includes('alaris') },
        {
          query: { vendor: 'ba', q: 'infusion', criticality: 'non-clinical' },
          keep: (r) => r.manufacturer === 'Baxter' && r.search.includes('infusion') && r.criticality === 'non-clinical',
        },
        { query: { lifecycle: 'retired' }, keep: (r) => r.lifecycle === 'retired' },
        {
          query: { seenSince: '2026-01-15T00:00:00.000Z' },
          keep: (r) => r.lastSeen !== null && r.lastSeen >= '2026-01-15',
        },
        { query: { hasFindings: true }, keep: (r) => r.findingsCount > 0 },
        { query: { hasFindings: false }, keep: (r) => r.findingsCount === 0 },
        {
          query: { type: 'infusion-pump', department: 'ICU' },
          keep: (r) => r.type === 'infusion-pump' && r.department === 'ICU',
        },
      ];
      const sorts: InventorySort[] = ['name', 'type', 'criticality', 'vendor', 'lastSeen', 'updatedAt', 'createdAt'];
      for (const c of cases) {
        for (const sort of sorts) {
          for (const order of ['asc', 'desc'] as const) {
            const expected = rows
              .filter(c.keep)
              .sort((a, b) => {
                const ka = sortKey(a, sort);
                const kb = sortKey(b, sort);
                const cmp = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
                return order === 'asc' ? cmp : -cmp;
              })
              .map((r) => r.id);
            const seen: string[] = [];
            let cursor: string | undefined;
            for (let guard = 0; guard < 100; guard++) {
              const page = await store.inventory.list({ ...c.query, sort, order, limit: 7, cursor });
              seen.push(...page.items.map((r) => r.id));
              if (page.nextCursor === null) break;
              cursor = page.nextCursor;
            }
            expect(`${JSON.stringify(c.query)} ${sort} ${order}: ${seen.join(',')}`).toBe(
              `${JSON.stringify(c.query)} ${sort} ${order}: ${expected.join(',')}`,
            );
          }
        }
      }
    });

    it('pages a full-text match with thousands of devices in sort order, both ways', async () => {
      // Enough matches that SQLite walks the sort index instead of sorting the matches.
      const rows = await seed(4400);
      for (const sort of ['name', 'lastSeen'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const expected = rows
            .filter((r) => r.search.includes('alaris'))
            .sort((a, b) => {
              const ka = sortKey(a, sort);
              const kb = sortKey(b, sort);
              const cmp = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
              return order === 'asc' ? cmp : -cmp;
            })
            .map((r) => r.id);
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let p = 0; p < 3; p++) {
            const page = await store.inventory.list({ q: 'Alaris', sort, order, limit: 100, cursor });
            seen.push(...page.items.map((r) => r.id));
            cursor = page.nextCursor ?? undefined;
          }
          expect(seen).toEqual(expected.slice(0, 300));
        }
      }
    });

    it('finds devices by full text: word prefixes, several words, nothing for no match', async () => {
      await seed(20);
      const ids = async (q: string) => (await store.inventory.list({ q, limit: 100 })).items.map((r) => r.id).sort();
      expect(await ids('alaris')).toHaveLength(10);
      expect(await ids('intelli')).toHaveLength(10);
      expect(await ids('sn13')).toEqual(['dev-0013']);
      expect(await ids('SN1 monitor')).toEqual([
        'dev-0001',
        'dev-0011',
        'dev-0013',
        'dev-0015',
        'dev-0017',
        'dev-0019',
      ]);
      expect(await ids('zzz')).toEqual([]);
      // Words that are only punctuation do not filter; hostile syntax is only text.
      expect(await ids('"alaris" *) NOT')).toEqual(await ids('alaris not'));
      expect(await ids('"alaris" *)')).toEqual(await ids('alaris'));
      expect(await ids('  ')).toHaveLength(20);
      // Search text follows updates.
      await store.inventory.transaction((tx) =>
        tx.write({
          inserts: [],
          updates: [{ row: { ...row(13), search: 'renamed sigma', version: 2 }, expectedVersion: 1 }],
          identifiers: [],
          history: [],
        }),
      );
      expect(await ids('sn13')).toEqual([]);
      expect(await ids('sigma')).toEqual(['dev-0013']);
    });

    it('refuses a cursor it did not issue, or one issued for another sort', async () => {
      await seed(5);
      const page = await store.inventory.list({ limit: 2, sort: 'name' });
      await expectCode(store.inventory.list({ limit: 2, cursor: 'nonsense' }), 'STORE_INVALID_CURSOR');
      await expectCode(
        store.inventory.list({ limit: 2, sort: 'type', cursor: page.nextCursor ?? '' }),
        'STORE_INVALID_CURSOR',
      );
    });

    it('keeps the findings count, saved mappings and lists devices made by the minimal repository', async () => {
      await seed(1);
      await store.inventory.setFindingsCount('dev-0000', 3);
      expect((await store.inventory.get('dev-0000'))?.findingsCount).toBe(3);
      await expectCode(store.inventory.setFindingsCount('nope', 1), 'STORE_NOT_FOUND');

      const t = '2026-02-01T00:00:00.000Z';
      await store.inventory.saveMapping({ name: 'cmms', mapping: '{"a":1}', createdAt: t, updatedAt: t });
      await store.inventory.saveMapping({ name: 'cmms', mapping: '{"a":2}', createdAt: 'x', updatedAt: 'later' });
      expect(await store.inventory.getMapping('cmms')).toEqual({
        name: 'cmms',
        mapping: '{"a":2}',
        createdAt: t,
        updatedAt: 'later',
      });
      expect((await store.inventory.listMappings()).map((m) => m.name)).toEqual(['cmms']);
      expect(await store.inventory.getMapping('none')).toBeUndefined();

      await store.devices.create({
        id: 'legacy',
        name: 'Old pump',
        type: 'infusion-pump',
        manufacturer: 'Baxter',
        model: null,
        createdAt: t,
      });
      const legacy = await store.inventory.list({ vendor: 'baxter', q: 'old', limit: 10 });
      expect(legacy.items.map((r) => [r.id, r.version, r.record])).toEqual([['legacy', 1, '{}']]);
    });
  });
}
