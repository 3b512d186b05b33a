/**
 * @module job-repo
 * The scheduled jobs of `ward serve` as the store keeps them: each job's interval, its last run
 * (start, finish, outcome, coded error, JSON summary), when it is due next, and a lease. A runner
 * claims a job by a compare-and-set on the lease and the due time, so of several servers sharing
 * one database at most one runs a job at a time; a lease that is not renewed expires, so a
 * crashed server's job is picked up again by the next runner that ticks after the expiry.
 */
import type { Kysely } from 'kysely';
import { guard, StoreError } from './errors.js';
import type { Database } from './schema.js';

export type JobState = 'idle' | 'running' | 'failed';
export type JobOutcome = 'ok' | 'failed';

export interface JobRow {
  readonly name: string;
  readonly everySeconds: number;
  readonly enabled: boolean;
  /** `running` from a claim to its finish (also while a crashed server's lease has yet to expire). */
  readonly state: JobState;
  readonly lastStartedAt: string | null;
  readonly lastFinishedAt: string | null;
  readonly lastOutcome: JobOutcome | null;
  /** `CODE: message` of the last failed run; never a stack. Null after a run that succeeded. */
  readonly lastError: string | null;
  /** The last successful run's summary, as JSON text. */
  readonly lastSummary: string | null;
  readonly nextRunAt: string;
  /** Finished runs, successful or not. */
  readonly runs: number;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface JobSchedule {
  readonly name: string;
  readonly everySeconds: number;
}

export interface JobClaim {
  readonly name: string;
  /** Who claims: an id unique to one runner (host, process, random part). */
  readonly owner: string;
  /** ISO 8601 UTC. The job must be due by then, and any earlier lease expired. */
  readonly now: string;
  readonly leaseUntil: string;
  /** Run now: claim even when the job is not due yet or is disabled (never while leased). */
  readonly force?: boolean;
}

export interface JobFinish {
  readonly name: string;
  readonly owner: string;
  readonly finishedAt: string;
  readonly outcome: JobOutcome;
  readonly error: string | null;
  readonly summary: string | null;
  readonly nextRunAt: string;
}

export interface JobRepository {
  /**
   * Stores each job not stored yet (idle, enabled, due at `now`) and updates the interval of those
   * that are; a job whose interval got shorter is due no later than `now` + the new interval.
   * State, lease, history and enabled are left as they are. Safe to run from several servers at once.
   */
  define(schedules: readonly JobSchedule[], now: string): Promise<void>;
  /** Every stored job, by name. */
  list(): Promise<JobRow[]>;
  get(name: string): Promise<JobRow | undefined>;
  /**
   * Claims the job for `owner` until `leaseUntil`, if it is enabled and due at `now` (or `force`)
   * and nobody holds an unexpired lease on it: the claimed row (state `running`, lastStartedAt
   * `now`), or undefined when it was not due or someone else holds it. Of racing claimers at most
   * one wins.
   */
  claim(claim: JobClaim): Promise<JobRow | undefined>;
  /** Extends `owner`'s lease; false when `owner` no longer holds it. */
  renewLease(name: string, owner: string, leaseUntil: string): Promise<boolean>;
  /**
   * Records the end of `owner`'s run: outcome, error, summary (kept from the last success when the
   * run failed), next due time, one more run; the lease is released. False, and nothing written,
   * when `owner` no longer holds the lease (it expired and another runner claimed the job).
   */
  finish(finish: JobFinish): Promise<boolean>;
  /** @throws StoreError STORE_NOT_FOUND for a job not stored. */
  setEnabled(name: string, enabled: boolean, at: string): Promise<JobRow>;
}

type Row = Database['jobs'];

function stateOf(value: string): JobState {
  return value === 'running' || value === 'failed' ? value : 'idle';
}

function outcomeOf(value: string | null): JobOutcome | null {
  return value === 'ok' || value === 'failed' ? value : null;
}

function fromRow(r: Row): JobRow {
  return {
    name: r.name,
    everySeconds: r.every_seconds,
    enabled: r.disabled_at === null,
    state: stateOf(r.state),
    lastStartedAt: r.last_started_at,
    lastFinishedAt: r.last_finished_at,
    lastOutcome: outcomeOf(r.last_outcome),
    lastError: r.last_error,
    lastSummary: r.last_summary,
    nextRunAt: r.next_run_at,
    runs: r.runs,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

export class KyselyJobs implements JobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  define(schedules: readonly JobSchedule[], now: string): Promise<void> {
    return guard('define jobs', async () => {
      for (const s of schedules) {
        await this.db
          .insertInto('jobs')
          .values({
            name: s.name,
            every_seconds: s.everySeconds,
            disabled_at: null,
            state: 'idle',
            last_started_at: null,
            last_finished_at: null,
            last_outcome: null,
            last_error: null,
            last_summary: null,
            next_run_at: now,
            runs: 0,
            lease_owner: null,
            lease_expires_at: null,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        await this.db
          .updateTable('jobs')
          .set({ every_seconds: s.everySeconds, updated_at: now })
          .where('name', '=', s.name)
          .where('every_seconds', '<>', s.everySeconds)
          .execute();
        const latest = addSeconds(now, s.everySeconds);
        await this.db
          .updateTable('jobs')
          .set({ next_run_at: latest })
          .where('name', '=', s.name)
          .where('next_run_at', '>', latest)
          .execute();
      }
    });
  }

  list(): Promise<JobRow[]> {
    return guard('list jobs', async () => {
      const rows = await this.db.selectFrom('jobs').selectAll().orderBy('name').execute();
      return rows.map(fromRow);
    });
  }

  get(name: string): Promise<JobRow | undefined> {
    return guard('get job', async () => {
      const row = await this.db.selectFrom('jobs').selectAll().where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : fromRow(row);
    });
  }

  claim(claim: JobClaim): Promise<JobRow | undefined> {
    return guard('claim job', async () => {
      let query = this.db
        .updateTable('jobs')
        .set({
          state: 'running',
          lease_owner: claim.owner,
          lease_expires_at: claim.leaseUntil,
          last_started_at: claim.now,
          updated_at: claim.now,
        })
        .where('name', '=', claim.name)
        .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', claim.now)]));
      if (claim.force !== true) {
        query = query.where('disabled_at', 'is', null).where('next_run_at', '<=', claim.now);
      }
      const row = await query.returningAll().executeTakeFirst();
      return row === undefined ? undefined : fromRow(row);
    });
  }

  renewLease(name: string, owner: string, leaseUntil: string): Promise<boolean> {
    return guard('renew job lease', async () => {
      const result = await this.db
        .updateTable('jobs')
        .set({ lease_expires_at: leaseUntil })
        .where('name', '=', name)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  finish(finish: JobFinish): Promise<boolean> {
    return guard('finish job', async () => {
      const ok = finish.outcome === 'ok';
      const result = await this.db
        .updateTable('jobs')
        .set((eb) => ({
          state: ok ? 'idle' : 'failed',
          last_finished_at: finish.finishedAt,
          last_outcome: finish.outcome,
          last_error: ok ? null : finish.error,
          ...(ok ? { last_summary: finish.summary } : {}),
          next_run_at: finish.nextRunAt,
          runs: eb('runs', '+', 1),
          lease_owner: null,
          lease_expires_at: null,
          updated_at: finish.finishedAt,
        }))
        .where('name', '=', finish.name)
        .where('lease_owner', '=', finish.owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  setEnabled(name: string, enabled: boolean, at: string): Promise<JobRow> {
    return guard('enable job', async () => {
      const row = await this.db
        .updateTable('jobs')
        .set({ disabled_at: enabled ? null : at, updated_at: at })
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw new StoreError('STORE_NOT_FOUND', `no job ${name}`, { details: { name } });
      return fromRow(row);
    });
  }
}
