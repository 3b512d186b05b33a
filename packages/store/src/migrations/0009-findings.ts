/**
 * @module migrations/0009-findings
 * Stored findings: one row per finding id (a vulnerability on a component of an SBOM attached to a
 * model and firmware), open or closed, with the digest of what it last said so that a recompute
 * writes only what changed, and the finding itself as JSON.
 */
import type { Kysely } from 'kysely';

/** @public Run by the migrator through the module namespace (migrations/index.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sbom_id', 'text', (c) => c.notNull())
    .addColumn('manufacturer', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('manufacturer_key', 'text', (c) => c.notNull())
    .addColumn('model_key', 'text', (c) => c.notNull())
    .addColumn('firmware', 'text', (c) => c.notNull())
    .addColumn('vulnerability', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('kev', 'integer', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('findings_sbom').on('findings').column('sbom_id').execute();
  await db.schema.createIndex('findings_vulnerability').on('findings').column('vulnerability').execute();
  await db.schema.createIndex('findings_model').on('findings').columns(['manufacturer_key', 'model_key']).execute();
}
