/**
 * @module migrations/0004-software
 * Software bills of materials and VEX decisions. An SBOM document (`sboms`) is attached to a
 * manufacturer + device model + firmware version (`sbom_attachments`, so to every device running
 * it); its components and dependency edges are kept as the SBOM states them. VEX decisions are
 * keyed by vulnerability + component identity (purl or CPE without version, else name) + version
 * (exact, or a range) for a manufacturer + model, not for one SBOM: a decision made once keeps
 * applying to later SBOMs of the model while the component's version is unchanged. Decisions are
 * never updated in place; a new one supersedes (the latest per key wins), so the history remains.
 */
import type { Kysely } from 'kysely';

/** @public Run by the migrator through the module namespace (migrations/index.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sboms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('spec_version', 'text', (c) => c.notNull())
    .addColumn('serial', 'text')
    .addColumn('doc_version', 'integer')
    .addColumn('subject_name', 'text')
    .addColumn('subject_version', 'text')
    .addColumn('subject_manufacturer', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('component_count', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sboms_sha256').on('sboms').column('sha256').execute();

  await db.schema
    .createTable('sbom_attachments')
    .addColumn('sbom_id', 'text', (c) => c.notNull().references('sboms.id').onDelete('cascade'))
    .addColumn('manufacturer', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('firmware', 'text', (c) => c.notNull())
    .addColumn('manufacturer_key', 'text', (c) => c.notNull())
    .addColumn('model_key', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sbom_attachments_pk', ['sbom_id', 'manufacturer_key', 'model_key', 'firmware'])
    .execute();
  await db.schema
    .createIndex('sbom_attachments_model')
    .on('sbom_attachments')
    .columns(['manufacturer_key', 'model_key', 'firmware'])
    .execute();

  await db.schema
    .createTable('sbom_components')
    .addColumn('sbom_id', 'text', (c) => c.notNull().references('sboms.id').onDelete('cascade'))
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('group_name', 'text')
    .addColumn('supplier', 'text')
    .addColumn('purl', 'text')
    .addColumn('cpe', 'text')
    .addColumn('kind', 'text')
    .addColumn('hashes', 'text', (c) => c.notNull())
    .addColumn('parent_ref', 'text')
    .addColumn('end_of_support', 'text')
    .addColumn('level_of_support', 'text')
    .addColumn('identity', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sbom_components_pk', ['sbom_id', 'ref'])
    .execute();
  await db.schema.createIndex('sbom_components_purl').on('sbom_components').column('purl').execute();
  await db.schema.createIndex('sbom_components_cpe').on('sbom_components').column('cpe').execute();
  await db.schema.createIndex('sbom_components_identity').on('sbom_components').column('identity').execute();

  await db.schema
    .createTable('sbom_dependencies')
    .addColumn('sbom_id', 'text', (c) => c.notNull().references('sboms.id').onDelete('cascade'))
    .addColumn('from_ref', 'text', (c) => c.notNull())
    .addColumn('to_ref', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sbom_dependencies_pk', ['sbom_id', 'from_ref', 'to_ref'])
    .execute();

  await db.schema
    .createTable('vex_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('manufacturer', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('manufacturer_key', 'text', (c) => c.notNull())
    .addColumn('model_key', 'text', (c) => c.notNull())
    .addColumn('vulnerability', 'text', (c) => c.notNull())
    .addColumn('component_identity', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('component_name', 'text')
    .addColumn('component_version', 'text')
    .addColumn('version_range', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('justification', 'text')
    .addColumn('source_justification', 'text')
    .addColumn('impact_statement', 'text')
    .addColumn('action_statement', 'text')
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('vex_decisions_key')
    .on('vex_decisions')
    .columns(['manufacturer_key', 'model_key', 'vulnerability', 'component_identity'])
    .execute();
}
