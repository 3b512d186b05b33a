/**
 * @module builtin-jobs
 * The jobs every `ward serve` runs. Each is a thin adapter over a service call, like a route or a
 * command; `WardServices` registers them on its runner.
 */
import type { AccountService } from './accounts.js';
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
