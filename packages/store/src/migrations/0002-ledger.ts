/**
 * @module migrations/0002-ledger
 * The integrity ledger: leaves (canonical JSON entries and their RFC 9162 leaf hashes), the hashes
 * of every perfect subtree (level, index), signed checkpoints, the record-version index and the
 * sequencer's state row. Hashes are lower-case hex text, so one schema serves both backends.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_leaves')
    .addColumn('idx', 'bigint', (c) => c.primaryKey())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_nodes')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_nodes_pk', ['level', 'idx'])
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
