/**
 * @module migrations/0005-vulnerabilities
 * Vulnerability feeds imported for offline use (`ward feeds import`): one row per vulnerability per
 * source (NVD, CVE 5, OSV, CSAF…), the record kept as the JSON `@ward/intel` parsed it; CISA KEV
 * entries and EPSS scores by CVE; and one row per imported feed file (format, SHA-256, counts), so
 * a file already imported is recognised. A re-import of a record replaces it.
 */
import type { Kysely } from 'kysely';

/** @public Run by the migrator through the module namespace (migrations/index.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vulnerabilities')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('modified', 'text')
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('feed_sha256', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vulnerabilities_pk', ['id', 'source', 'origin'])
    .execute();
  await db.schema.createIndex('vulnerabilities_id').on('vulnerabilities').column('id').execute();

  await db.schema
    .createTable('kev_entries')
    .addColumn('cve', 'text', (c) => c.primaryKey())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('feed_sha256', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('epss_scores')
    .addColumn('cve', 'text', (c) => c.primaryKey())
    .addColumn('epss', 'double precision', (c) => c.notNull())
    .addColumn('percentile', 'double precision', (c) => c.notNull())
    .addColumn('score_date', 'text')
    .addColumn('feed_sha256', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('feed_imports')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('record_count', 'integer', (c) => c.notNull())
    .addColumn('problem_count', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
}
