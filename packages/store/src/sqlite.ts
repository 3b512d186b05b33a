/**
 * @module sqlite
 * The embedded default backend: one SQLite file (`ward.db`) in a data folder, through
 * better-sqlite3 in WAL mode.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { KyselyLedger, KyselyStore } from './kysely-store.js';
import { StoreError, toStoreError } from './errors.js';
import type { LedgerBatch } from './store.js';
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

/**
 * The ledger on SQLite with a faster append: prepared statements in one better-sqlite3 transaction
 * (a Kysely multi-row INSERT spends most of its time building the query). It runs while holding
 * Kysely's connection, so it never interleaves with a Kysely transaction on the same connection.
 * Reads are the shared Kysely ones.
 */
class SqliteLedger extends KyselyLedger {
  #write: ((batch: LedgerBatch) => void) | undefined;

  constructor(
    db: Kysely<Database>,
    private readonly sqlite: BetterSqlite3.Database,
  ) {
    super(db);
  }

  /** Statements are prepared on first use: the tables exist only once migrations ran. */
  #prepare(): (batch: LedgerBatch) => void {
    const sqlite = this.sqlite;
    const advance = sqlite.prepare('update ledger_state set size = ? where id = 1 and size = ?');
    const leaf = sqlite.prepare('insert into ledger_leaves (idx, entry, leaf_hash) values (?, ?, ?)');
    const node = sqlite.prepare('insert into ledger_nodes (level, idx, hash) values (?, ?, ?)');
    const record = sqlite.prepare('insert into ledger_records (record_id, version, leaf_idx) values (?, ?, ?)');
    return sqlite.transaction((batch: LedgerBatch) => {
      if (advance.run(batch.from + batch.leaves.length, batch.from).changes !== 1) {
        throw new StoreError('STORE_CONFLICT', 'the ledger moved on since this batch was sequenced', {
          details: { reason: 'ledger-moved', from: batch.from },
        });
      }
      for (const l of batch.leaves) leaf.run(l.index, l.entry, l.leafHash);
      for (const n of batch.nodes) node.run(n.level, n.index, n.hash);
      for (const r of batch.records) {
        try {
          record.run(r.recordId, r.version, r.leafIndex);
        } catch (error) {
          const wrapped = toStoreError(error, 'append to the ledger');
          if (wrapped.code !== 'STORE_CONFLICT') throw wrapped;
          throw new StoreError('STORE_CONFLICT', 'a version of this record was already committed', {
            cause: error,
            details: { reason: 'record-version', records: [`${r.recordId}@${String(r.version)}`] },
          });
        }
      }
    });
  }

  #readNode: BetterSqlite3.Statement<[number, number], { hash: string }> | undefined;
  #readLeaf: BetterSqlite3.Statement<[number], { hash: string }> | undefined;

  /** Point lookups by primary key through one prepared statement: proofs need a few dozen. */
  override async readNodes(
    ids: readonly { readonly level: number; readonly index: number }[],
  ): Promise<(string | undefined)[]> {
    try {
      return await this.db.connection().execute(() => {
        this.#readNode ??= this.sqlite.prepare('select hash from ledger_nodes where level = ? and idx = ?');
        this.#readLeaf ??= this.sqlite.prepare('select leaf_hash as hash from ledger_leaves where idx = ?');
        const node = this.#readNode;
        const leaf = this.#readLeaf;
        return Promise.resolve(
          ids.map((id) => (id.level === 0 ? leaf.get(id.index)?.hash : node.get(id.level, id.index)?.hash)),
        );
      });
    } catch (error) {
      throw toStoreError(error, 'read ledger nodes');
    }
  }

  override async append(batch: LedgerBatch): Promise<void> {
    try {
      await this.db.connection().execute(() => {
        this.#write ??= this.#prepare();
        this.#write(batch);
        return Promise.resolve();
      });
    } catch (error) {
      throw toStoreError(error, 'append to the ledger');
    }
  }
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
    // FULL: every commit reaches the disk (one fsync per transaction, so per ledger batch).
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Proofs are a few dozen random point reads into a large file: map it into memory (reads
    // without a system call each) and keep a larger page cache.
    sqlite.pragma('mmap_size = 17179869184');
    sqlite.pragma('cache_size = -65536');
  } catch (error) {
    lock?.release();
    throw new StoreError('STORE_UNAVAILABLE', `cannot open the SQLite database ${file}`, {
      cause: error,
      details: { file },
    });
  }
  const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite) });
  return new KyselyStore('sqlite', dataDir, db, {
    ledger: new SqliteLedger(db, sqlite),
    onClose: () => {
      lock?.release();
      return Promise.resolve();
    },
  });
}
