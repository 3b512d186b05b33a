/**
 * @module sqlite
 * The embedded default backend: one SQLite file (`ward.db`) in a data folder, through
 * better-sqlite3 in WAL mode.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { StoreError } from './errors.js';
import { KyselyStore } from './kysely-store.js';
import { lockDataDir, type DataDirLock } from './lock.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

export const SQLITE_FILE = 'ward.db';

/**
 * Kysely's SQLite adapter declares no transactional DDL, so its migrator would run migrations
 * outside a transaction and leave half a migration behind on failure. SQLite does support DDL
 * inside transactions; this adapter says so, and migrations become all-or-nothing.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class WardSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

/** The Kysely dialect Ward uses over an open better-sqlite3 database. */
export function createSqliteDialect(database: BetterSqlite3.Database): SqliteDialect {
  return new WardSqliteDialect({ database });
}

export interface SqliteStoreOptions {
  /** The data folder; created (mode 0700) when missing. */
  readonly dataDir: string;
  /** Hold the folder's lock while open, so a second server on it fails (`ward serve` sets this). */
  readonly exclusive?: boolean;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const dataDir = resolve(options.dataDir);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StoreError('STORE_UNAVAILABLE', `cannot create the data folder ${dataDir}`, {
      cause: error,
      details: { file: dataDir },
    });
  }
  const lock: DataDirLock | undefined = options.exclusive === true ? lockDataDir(dataDir) : undefined;
  const file = join(dataDir, SQLITE_FILE);
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (error) {
    lock?.release();
    throw new StoreError('STORE_UNAVAILABLE', `cannot open the SQLite database ${file}`, {
      cause: error,
      details: { file },
    });
  }
  const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite) });
  return new KyselyStore('sqlite', dataDir, db, {
    onClose: () => {
      lock?.release();
      return Promise.resolve();
    },
  });
}
