/**
 * @module migrations/0008-jobs
 * The scheduled jobs of `ward serve`: one row per job with its interval, what happened on its last
 * run, when it is due next, and a lease (owner and expiry) so that two servers sharing one
 * database never run the same job at once and a crashed server's claim lapses by itself.
 * "Enabled" is a nullable `disabled_at` timestamp, like every other flag in the schema.
 */
import type { Kysely } from 'kysely';

/** @public Run by the migrator through the module namespace (migrations/index.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('every_seconds', 'integer', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('last_started_at', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('last_outcome', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_summary', 'text')
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('runs', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
