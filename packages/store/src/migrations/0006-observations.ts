/**
 * @module migrations/0006-observations
 * What the passive sensor learnt from the wire: one row per distinct fact, keyed by its content
 * hash, so reading the same capture again (or a sensor redelivering a batch) changes nothing but
 * the first/last-seen times. Protocol metadata only: no patient data ever reaches this table.
 */
import type { Kysely } from 'kysely';

/** @public Run by the migrator through the module namespace (migrations/index.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('observations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('observations_device_key').on('observations').columns(['device_key', 'kind']).execute();
}
