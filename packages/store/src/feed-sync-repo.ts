/**
 * @module feed-sync-repo
 * Where `ward feeds sync` stands: one row per source and document key (a URL, or a fixed name such
 * as `window` for the NVD API) with the HTTP validators of the last response, a cursor and the
 * SHA-256 of what was last imported. Written after each document is imported, so a sync that stops
 * midway resumes where it stopped.
 */
import type { Kysely } from 'kysely';
import { toStoreError } from './errors.js';
import type { Database } from './schema.js';

export interface FeedSyncState {
  readonly source: string;
  readonly key: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** Source-defined position: the NVD window end, a CSAF advisory's `updated`… */
  readonly cursor: string | null;
  /** SHA-256 (hex) of the document last imported under this key. */
  readonly sha256: string | null;
  readonly updatedAt: string;
}

export interface FeedSyncRepository {
  getState(source: string, key: string): Promise<FeedSyncState | undefined>;
  /** Inserts or replaces the state of (source, key). */
  putState(state: FeedSyncState): Promise<void>;
  /** Every state of one source, ordered by key. */
  listStates(source: string): Promise<FeedSyncState[]>;
}

type Row = Database['feed_sync_state'];

function fromRow(r: Row): FeedSyncState {
  return {
    source: r.source,
    key: r.key,
    etag: r.etag,
    lastModified: r.last_modified,
    cursor: r.cursor,
    sha256: r.sha256,
    updatedAt: r.updated_at,
  };
}

export class KyselyFeedSync implements FeedSyncRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async getState(source: string, key: string): Promise<FeedSyncState | undefined> {
    try {
      const row = await this.db
        .selectFrom('feed_sync_state')
        .selectAll()
        .where('source', '=', source)
        .where('key', '=', key)
        .executeTakeFirst();
      return row === undefined ? undefined : fromRow(row);
    } catch (error) {
      throw toStoreError(error, 'read feed sync state');
    }
  }

  async putState(state: FeedSyncState): Promise<void> {
    const values = {
      etag: state.etag,
      last_modified: state.lastModified,
      cursor: state.cursor,
      sha256: state.sha256,
      updated_at: state.updatedAt,
    };
    try {
      await this.db
        .insertInto('feed_sync_state')
        .values({ source: state.source, key: state.key, ...values })
        .onConflict((oc) => oc.columns(['source', 'key']).doUpdateSet(values))
        .execute();
    } catch (error) {
      throw toStoreError(error, 'write feed sync state');
    }
  }

  async listStates(source: string): Promise<FeedSyncState[]> {
    try {
      const rows = await this.db
        .selectFrom('feed_sync_state')
        .selectAll()
        .where('source', '=', source)
        .orderBy('key')
        .execute();
      return rows.map(fromRow);
    } catch (error) {
      throw toStoreError(error, 'list feed sync state');
    }
  }
}
