/**
 * @module feed-sync.suite
 * Conformance tests of the feed sync state repository, run on every backend from `sqlite.test.ts`
 * and `postgres.int.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedSyncState } from './feed-sync-repo.js';
import type { Store } from './store.js';

function state(source: string, key: string, extra: Partial<FeedSyncState> = {}): FeedSyncState {
  return {
    source,
    key,
    etag: null,
    lastModified: null,
    cursor: null,
    sha256: null,
    updatedAt: '2026-03-01T08:00:00.000Z',
    ...extra,
  };
}

export function describeFeedSyncConformance(name: string, open: () => Promise<Store>): void {
  describe(`${name}: feed sync state`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores, replaces and reads back the state of a source and key', async () => {
      expect(await store.feedSync.getState('kev', 'https://x/kev.json')).toBeUndefined();
      const first = state('kev', 'https://x/kev.json', { etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
      await store.feedSync.putState(first);
      expect(await store.feedSync.getState('kev', 'https://x/kev.json')).toEqual(first);
      const second = state('kev', 'https://x/kev.json', {
        etag: '"v2"',
        cursor: '2024-10-03T16:03:00Z',
        sha256: 'ab'.repeat(32),
        updatedAt: '2026-03-02T08:00:00.000Z',
      });
      await store.feedSync.putState(second);
      expect(await store.feedSync.getState('kev', 'https://x/kev.json')).toEqual(second);
    });

    it('keeps sources apart and lists one source by key', async () => {
      await store.feedSync.putState(state('csaf', 'b', { cursor: '2' }));
      await store.feedSync.putState(state('csaf', 'a', { cursor: '1' }));
      await store.feedSync.putState(state('nvd', 'a', { cursor: 'window' }));
      expect((await store.feedSync.listStates('csaf')).map((s) => [s.key, s.cursor])).toEqual([
        ['a', '1'],
        ['b', '2'],
      ]);
      expect((await store.feedSync.getState('nvd', 'a'))?.cursor).toBe('window');
      expect(await store.feedSync.listStates('epss')).toEqual([]);
    });
  });
}
