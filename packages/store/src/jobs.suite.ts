/**
 * @module jobs.suite
 * Conformance tests of the job repository, run on every backend from `sqlite.test.ts` and
 * `postgres.int.test.ts`: definitions, claims as a compare-and-set on the lease and the due time,
 * lease expiry, finishing, enabling.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobFinish } from './job-repo.js';
import type { Store } from './store.js';

const T0 = '2026-03-01T08:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

function finish(owner: string, extra: Partial<JobFinish> = {}): JobFinish {
  return {
    name: 'sessions.prune',
    owner,
    finishedAt: at(2),
    outcome: 'ok',
    error: null,
    summary: '{"deleted":3}',
    nextRunAt: at(602),
    ...extra,
  };
}

export function describeJobsConformance(name: string, open: () => Promise<Store>): void {
  describe(`${name}: jobs`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
      await store.jobs.define([{ name: 'sessions.prune', everySeconds: 600 }], T0);
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a new definition idle, enabled and due at once, and lists jobs by name', async () => {
      await store.jobs.define([{ name: 'feeds.sync', everySeconds: 86_400 }], at(5));
      expect(await store.jobs.get('sessions.prune')).toEqual({
        name: 'sessions.prune',
        everySeconds: 600,
        enabled: true,
        state: 'idle',
        lastStartedAt: null,
        lastFinishedAt: null,
        lastOutcome: null,
        lastError: null,
        lastSummary: null,
        nextRunAt: T0,
        runs: 0,
        leaseOwner: null,
        leaseExpiresAt: null,
        createdAt: T0,
        updatedAt: T0,
      });
      expect((await store.jobs.list()).map((j) => j.name)).toEqual(['feeds.sync', 'sessions.prune']);
      expect(await store.jobs.get('nothing')).toBeUndefined();
    });

    it('keeps history and due time when defined again; a shorter interval pulls the due time in', async () => {
      const claimed = await store.jobs.claim({ name: 'sessions.prune', owner: 'a', now: T0, leaseUntil: at(60) });
      expect(claimed?.state).toBe('running');
      expect(await store.jobs.finish(finish('a', { nextRunAt: at(600) }))).toBe(true);
      await store.jobs.define([{ name: 'sessions.prune', everySeconds: 600 }], at(10));
      expect(await store.jobs.get('sessions.prune')).toMatchObject({ runs: 1, nextRunAt: at(600), everySeconds: 600 });
      await store.jobs.define([{ name: 'sessions.prune', everySeconds: 60 }], at(10));
      expect(await store.jobs.get('sessions.prune')).toMatchObject({ runs: 1, nextRunAt: at(70), everySeconds: 60 });
      // A longer interval does not postpone a run already due.
      await store.jobs.define([{ name: 'sessions.prune', everySeconds: 3600 }], at(20));
      expect(await store.jobs.get('sessions.prune')).toMatchObject({ nextRunAt: at(70), everySeconds: 3600 });
    });

    it('lets one claimer win and refuses the others until the lease is released', async () => {
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd'].map((owner) =>
          store.jobs.claim({ name: 'sessions.prune', owner, now: at(1), leaseUntil: at(61) }),
        ),
      );
      const winners = claims.filter((c) => c !== undefined);
      expect(winners).toHaveLength(1);
      const winner = winners[0]?.leaseOwner ?? '';
      expect(await store.jobs.get('sessions.prune')).toMatchObject({
        state: 'running',
        leaseOwner: winner,
        leaseExpiresAt: at(61),
        lastStartedAt: at(1),
      });
      // Not even a forced claim takes a held lease.
      expect(
        await store.jobs.claim({ name: 'sessions.prune', owner: 'x', now: at(2), leaseUntil: at(62), force: true }),
      ).toBeUndefined();
      // A runner that does not hold the lease cannot finish or renew it.
      expect(await store.jobs.finish(finish('x'))).toBe(false);
      expect(await store.jobs.renewLease('sessions.prune', 'x', at(120))).toBe(false);
      expect(await store.jobs.renewLease('sessions.prune', winner, at(120))).toBe(true);
      expect((await store.jobs.get('sessions.prune'))?.leaseExpiresAt).toBe(at(120));
    });

    it('does not claim a job before it is due, unless forced', async () => {
      await store.jobs.claim({ name: 'sessions.prune', owner: 'a', now: T0, leaseUntil: at(60) });
      await store.jobs.finish(finish('a'));
      expect(await store.jobs.claim({ name: 'sessions.prune', owner: 'b', now: at(601), leaseUntil: at(661) })).toBe(
        undefined,
      );
      expect(
        await store.jobs.claim({ name: 'sessions.prune', owner: 'b', now: at(601), leaseUntil: at(661), force: true }),
      ).toMatchObject({ leaseOwner: 'b' });
    });

    it('hands a crashed owner’s job to another claimer once the lease has expired', async () => {
      await store.jobs.claim({ name: 'sessions.prune', owner: 'crashed', now: T0, leaseUntil: at(60) });
      expect(
        await store.jobs.claim({ name: 'sessions.prune', owner: 'b', now: at(59), leaseUntil: at(119) }),
      ).toBeUndefined();
      expect(
        await store.jobs.claim({ name: 'sessions.prune', owner: 'b', now: at(60), leaseUntil: at(120) }),
      ).toMatchObject({ leaseOwner: 'b', lastStartedAt: at(60) });
      // The crashed owner, back, cannot record over the new run.
      expect(await store.jobs.finish(finish('crashed'))).toBe(false);
      expect(await store.jobs.finish(finish('b'))).toBe(true);
    });

    it('records outcomes: a success keeps its summary, a failure its error and the last summary', async () => {
      await store.jobs.claim({ name: 'sessions.prune', owner: 'a', now: T0, leaseUntil: at(60) });
      expect(await store.jobs.finish(finish('a'))).toBe(true);
      expect(await store.jobs.get('sessions.prune')).toMatchObject({
        state: 'idle',
        lastOutcome: 'ok',
        lastError: null,
        lastSummary: '{"deleted":3}',
        lastFinishedAt: at(2),
        nextRunAt: at(602),
        runs: 1,
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      await store.jobs.claim({ name: 'sessions.prune', owner: 'a', now: at(602), leaseUntil: at(662) });
      await store.jobs.finish(
        finish('a', {
          finishedAt: at(603),
          outcome: 'failed',
          error: 'STORE_UNAVAILABLE: down',
          summary: null,
          nextRunAt: at(663),
        }),
      );
      expect(await store.jobs.get('sessions.prune')).toMatchObject({
        state: 'failed',
        lastOutcome: 'failed',
        lastError: 'STORE_UNAVAILABLE: down',
        lastSummary: '{"deleted":3}',
        runs: 2,
        nextRunAt: at(663),
      });
    });

    it('skips a disabled job on schedule and enables it again', async () => {
      expect((await store.jobs.setEnabled('sessions.prune', false, at(1))).enabled).toBe(false);
      expect(await store.jobs.claim({ name: 'sessions.prune', owner: 'a', now: at(5), leaseUntil: at(65) })).toBe(
        undefined,
      );
      await store.jobs.define([{ name: 'sessions.prune', everySeconds: 600 }], at(6));
      expect((await store.jobs.get('sessions.prune'))?.enabled).toBe(false);
      expect((await store.jobs.setEnabled('sessions.prune', true, at(7))).enabled).toBe(true);
      expect(
        await store.jobs.claim({ name: 'sessions.prune', owner: 'a', now: at(8), leaseUntil: at(68) }),
      ).toMatchObject({ leaseOwner: 'a' });
      await expect(store.jobs.setEnabled('nothing', true, at(9))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    });
  });
}
