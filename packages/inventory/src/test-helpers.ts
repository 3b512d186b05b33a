/**
 * @module test-helpers
 * Fresh SQLite stores in a temporary folder and a service with a controllable clock, for tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type Store } from '@ward/store';
import { InventoryService } from './service.js';

export interface TestInventory {
  readonly store: Store;
  readonly service: InventoryService;
  /** Sets the time the next changes are made at. */
  setNow(iso: string): void;
  close(): Promise<void>;
}

export async function openTestInventory(
  options: { ranking?: InventoryService['ranking'] } = {},
): Promise<TestInventory> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-inventory-'));
  const store = openSqliteStore({ dataDir: dir });
  await store.migrate();
  let now = '2026-03-01T10:00:00.000Z';
  let n = 0;
  const service = new InventoryService(store, {
    now: () => now,
    newId: () => `00000000-0000-4000-8000-${String((n += 1)).padStart(12, '0')}`,
    ...(options.ranking === undefined ? {} : { ranking: options.ranking }),
  });
  return {
    store,
    service,
    setNow: (iso) => {
      now = iso;
    },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
