/**
 * @module builtin-jobs
 * The jobs every `ward serve` runs. Each is a thin adapter over a service call, like a route or a
 * command; `WardServices` registers them on its runner.
 */
import { IntelMatchError } from '@ward/intel';
import type { AccountService } from './accounts.js';
import type { Actor } from './events.js';
import type { FeedService } from './feeds.js';
import type { SyncOptions, SyncSource } from './feeds-sync.js';
import type { JobDefinition } from './jobs.js';

/** How often expired sessions are deleted. */
export const SESSIONS_PRUNE_EVERY_SECONDS = 600;

/** `sessions.prune`: deletes expired sessions (`AccountService.pruneSessions`). */
export function sessionsPruneJob(accounts: AccountService): JobDefinition {
  return {
    name: 'sessions.prune',
    everySeconds: SESSIONS_PRUNE_EVERY_SECONDS,
    run: async () => ({ deleted: await accounts.pruneSessions() }),
  };
}

/**
 * `feeds.sync`: fetches `sources` incrementally (`FeedService.sync`) every `everyHours`, as the job's
 * actor, so each document it stores is audited as `job:feeds.sync`. A source that fails is listed
 * in the summary and retried next time; the run fails only when every source failed.
 */
export function feedsSyncJob(
  feeds: (actor: Actor) => FeedService,
  sources: readonly SyncSource[],
  everyHours: number,
  options: Omit<SyncOptions, 'importDocument' | 'now'> = {},
): JobDefinition {
  return {
    name: 'feeds.sync',
    everySeconds: Math.round(everyHours * 3600),
    retrySeconds: 900,
    run: async (ctx) => {
      const results = await feeds(ctx.actor).sync(sources, options);
      const summary = {
        sources: results.map((r) => ({
          source: r.source,
          fetched: r.fetched,
          notModified: r.notModified,
          imported: r.imported,
          skipped: r.skipped,
          failed: r.failed.length,
        })),
      };
      const failed = results.filter((r) => r.failed.length > 0 && r.imported + r.skipped + r.notModified === 0);
      if (results.length > 0 && failed.length === results.length) {
        const first = results.flatMap((r) => r.failed)[0];
        throw new IntelMatchError('INTEL_SYNC_HTTP', `every source failed; first: ${first?.message ?? 'unknown'}`, {
          details: { failed: failed.length },
        });
      }
      return summary;
    },
  };
}
