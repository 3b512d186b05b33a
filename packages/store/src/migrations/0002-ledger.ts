/**
 * @module migrations/0002-ledger
 * The integrity ledger: leaves (canonical JSON entries and their RFC 9162 leaf hashes), the hashes
 * of every perfect subtree (level, index), signed checkpoints, the record-version index and the
 * sequencer's state row. Hashes are lower-case hex text, so one schema serves both backends.
 */
import { SqliteAdapter, sql, type Kysely } from 'kysely';

/** @public Run by the migrator through the module namespace (migrations/index.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  // On SQLite, an INTEGER PRIMARY KEY is the row id itself and a WITHOUT ROWID table is one B-tree:
  // one write per row instead of two, which is most of the cost of an append.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('ledger_leaves')
    .addColumn('idx', sqlite ? 'integer' : 'bigint', (c) => c.primaryKey())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_nodes')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_nodes_pk', ['level', 'idx'])
    .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
    .execute();

  await db.schema
    .createTable('ledger_records')
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('leaf_idx', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_records_pk', ['record_id', 'version'])
    .execute();

  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('size', 'bigint', (c) => c.primaryKey())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // One row: the number of sequenced leaves. Appends move it forward only from the size they
  // expect, so two sequencers sharing a database can never interleave.
  await db.schema
    .createTable('ledger_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into ledger_state (id, size) values (1, 0)`.execute(db);
}
