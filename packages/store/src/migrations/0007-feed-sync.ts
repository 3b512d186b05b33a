/**
 * @module migrations/0007-feed-sync
 * Where `ward feeds sync` keeps its place per source and per fetched document: the HTTP validators
 * (ETag, Last-Modified) to send conditional requests, a cursor (the NVD window end, a CSAF
 * advisory's `updated`) and the SHA-256 of what was last imported, so an interrupted sync resumes
 * where it stopped.
 */
import type { Kysely } from 'kysely';

/** @public Run by the migrator through the module namespace (migrations/index.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feed_sync_state')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('cursor', 'text')
    .addColumn('sha256', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('feed_sync_state_pk', ['source', 'key'])
    .execute();
}
