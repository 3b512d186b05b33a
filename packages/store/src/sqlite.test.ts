import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from './lock.js';
import { createSqliteDialect, openSqliteStore, SQLITE_FILE } from './sqlite.js';
import { describeObservationConformance } from './observation.suite.js';
import { describeInventoryConformance } from './inventory.suite.js';
import { describeSoftwareConformance } from './software.suite.js';
import { describeVulnerabilityConformance } from './vulnerability.suite.js';
import { describeFeedSyncConformance } from './feed-sync.suite.js';
import { describeJobsConformance } from './jobs.suite.js';
import { describeStoreConformance, expectFailedMigrationRollsBack } from './store.suite.js';

const root = mkdtempSync(join(tmpdir(), 'ward-store-'));
let n = 0;
const freshDir = (): string => join(root, `d${String((n += 1))}`);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describeStoreConformance('SQLite', () => Promise.resolve(openSqliteStore({ dataDir: freshDir() })));
describeObservationConformance('SQLite', () => Promise.resolve(openSqliteStore({ dataDir: freshDir() })));
describeInventoryConformance('SQLite', () => Promise.resolve(openSqliteStore({ dataDir: freshDir() })));
describeSoftwareConformance('SQLite', () => Promise.resolve(openSqliteStore({ dataDir: freshDir() })));
describeVulnerabilityConformance('SQLite', () => Promise.resolve(openSqliteStore({ dataDir: freshDir() })));
describeFeedSyncConformance('SQLite', () => Promise.resolve(openSqliteStore({ dataDir: freshDir() })));
describeJobsConformance('SQLite', () => Promise.resolve(openSqliteStore({ dataDir: freshDir() })));

describe('SQLite backend', () => {
  it('rolls a failed migration back', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const db = new Kysely<unknown>({
      dialect: createSqliteDialect(new BetterSqlite3(join(dir, SQLITE_FILE))),
    });
    try {
      await expectFailedMigrationRollsBack(db);
    } finally {
      await db.destroy();
    }
  });

  it('lets one exclusive opener hold a data folder and names the holder to the second', async () => {
    const dir = freshDir();
    const first = openSqliteStore({ dataDir: dir, exclusive: true });
    try {
      let refused: unknown;
      try {
        openSqliteStore({ dataDir: dir, exclusive: true });
      } catch (error) {
        refused = error;
      }
      expect(refused).toMatchObject({ code: 'STORE_LOCKED', details: { pid: process.pid } });
      // A non-exclusive opener (a CLI command beside the server) is still allowed.
      const reader = openSqliteStore({ dataDir: dir });
      await reader.migrate();
      await reader.close();
    } finally {
      await first.close();
    }
    const again = openSqliteStore({ dataDir: dir, exclusive: true });
    await again.close();
  });

  it('takes over a lock left by a former process with this same pid (a restarted container)', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), since: 'x' }));
    const store = openSqliteStore({ dataDir: dir, exclusive: true });
    await store.close();
  });

  it('treats a lock file still being written as held', () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), '');
    expect(() => openSqliteStore({ dataDir: dir, exclusive: true })).toThrow(/taking the data folder/);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    // 2^22 + 1 is above the largest pid Linux hands out, so no process has it.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4194305, host: hostname(), since: 'x' }));
    const store = openSqliteStore({ dataDir: dir, exclusive: true });
    await store.close();
  });
});
