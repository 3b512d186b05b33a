/**
 * @module jobs
 * The scheduled jobs of `ward serve`. A job is a `JobDefinition` — a name, an interval and a
 * `run` that calls services — registered on a `JobRunner`. The runner ticks on a timer, claims each
 * due job through the store (`store.jobs.claim`: a compare-and-set on the job's lease and due
 * time), runs it as the actor `job:<name>` and records the outcome. Because the schedule and the
 * lease live in the store, servers sharing one PostgreSQL never run a job twice at once, a crashed
 * server's lease lapses and another (or the restarted one) takes the job up, and a restart resumes
 * from the stored due time instead of running everything again.
 *
 * A job that throws is recorded as failed (`lastError` = `CODE: message`, never a stack) and
 * reported to `onError`; it never escapes the runner. The next run is due `everySeconds` after the
 * end of a successful run, `retrySeconds` after a failed one.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { WardError } from '@ward/core';
import type { JobRow, Store } from '@ward/store';
import { systemClock, type Clock } from './clock.js';
import { JobsError } from './errors.js';
import { jobActor, type Actor } from './events.js';

/** What a run reports: JSON-serialisable, small (counts, cursors), never patient data. */
export type JobSummary = Readonly<Record<string, unknown>>;

export interface JobContext {
  /** `job:<name>`: pass it to services that change state, so the audit trail names the job. */
  readonly actor: Actor;
  /** Aborted when the runner stops: a long job should stop at its next safe point. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
}

export interface JobDefinition {
  /** Dotted lower-case, e.g. `sessions.prune`, `feeds.sync`. */
  readonly name: string;
  /** Seconds from the end of one successful run to the next. */
  readonly everySeconds: number;
  /** Seconds from a failed run to the next attempt (default: `everySeconds`). */
  readonly retrySeconds?: number;
  /** How long a claim holds without renewal (default 300). The runner renews it while the job runs. */
  readonly leaseSeconds?: number;
  run(ctx: JobContext): Promise<JobSummary>;
}

/** A job as the API shows it. */
export interface JobView {
  readonly name: string;
  readonly everySeconds: number;
  readonly enabled: boolean;
  readonly state: JobRow['state'];
  readonly lastStartedAt: string | null;
  readonly lastFinishedAt: string | null;
  readonly lastOutcome: JobRow['lastOutcome'];
  readonly lastError: string | null;
  readonly lastSummary: unknown;
  readonly nextRunAt: string;
  readonly runs: number;
  /** The runner holding the job (`host/pid/random`) while it runs. */
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: string | null;
}

export interface JobRunResult {
  readonly name: string;
  readonly outcome: 'ok' | 'failed';
  readonly summary: JobSummary | null;
  /** `CODE: message` of a failed run. */
  readonly error: string | null;
}

export interface JobRunnerOptions {
  readonly store: Store;
  readonly clock?: Clock;
  /** How often the runner looks for due jobs, in milliseconds (default 15 000). */
  readonly tickMs?: number;
  /** This runner's id in leases (default: `host/pid/random`). */
  readonly owner?: string;
  /** Told when a job failed, its outcome could not be recorded, or claiming failed. */
  readonly onError?: (error: unknown, what: string) => void;
}

const NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;
const DEFAULT_LEASE_SECONDS = 300;
const MAX_ERROR_LENGTH = 1000;

/** `CODE: message` of an error, without a stack: what `lastError` keeps. */
export function codedMessageOf(error: unknown): string {
  const text =
    error instanceof WardError
      ? `${error.code}: ${error.message}`
      : `JOBS_RUN_FAILED: ${error instanceof Error ? error.message : String(error)}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

function parseSummary(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function jobViewOf(row: JobRow): JobView {
  return {
    name: row.name,
    everySeconds: row.everySeconds,
    enabled: row.enabled,
    state: row.state,
    lastStartedAt: row.lastStartedAt,
    lastFinishedAt: row.lastFinishedAt,
    lastOutcome: row.lastOutcome,
    lastError: row.lastError,
    lastSummary: parseSummary(row.lastSummary),
    nextRunAt: row.nextRunAt,
    runs: row.runs,
    leaseOwner: row.leaseOwner,
    leaseExpiresAt: row.leaseExpiresAt,
  };
}

function validate(def: JobDefinition): void {
  const positive = (value: number | undefined): boolean =>
    value === undefined || (Number.isInteger(value) && value >= 1);
  if (
    !NAME.test(def.name) ||
    !positive(def.everySeconds) ||
    !positive(def.retrySeconds) ||
    !positive(def.leaseSeconds)
  ) {
    throw new JobsError('JOBS_DEFINITION_INVALID', `the job definition ${def.name} is not valid`, {
      details: { name: def.name },
    });
  }
}

export class JobRunner {
  readonly owner: string;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #tickMs: number;
  readonly #onError: (error: unknown, what: string) => void;
  readonly #definitions = new Map<string, JobDefinition>();
  readonly #running = new Map<string, Promise<JobRunResult>>();
  #defined: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #ticking: Promise<unknown> | undefined;
  #abort = new AbortController();
  #stopped = false;

  constructor(options: JobRunnerOptions) {
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#tickMs = options.tickMs ?? 15_000;
    this.#onError = options.onError ?? (() => undefined);
    this.owner = options.owner ?? `${hostname()}/${String(process.pid)}/${randomBytes(4).toString('hex')}`;
  }

  /**
   * Adds a job; it is stored (due at once if new) on the next tick. One call per job, before or
   * after `start()`. @throws JobsError JOBS_DEFINITION_INVALID for a bad name or interval, or a
   * name registered twice.
   */
  register(definition: JobDefinition): this {
    validate(definition);
    if (this.#definitions.has(definition.name)) {
      throw new JobsError('JOBS_DEFINITION_INVALID', `the job ${definition.name} is registered twice`, {
        details: { name: definition.name },
      });
    }
    this.#definitions.set(definition.name, definition);
    this.#defined = undefined;
    return this;
  }

  /** The registered jobs' names, sorted. */
  names(): string[] {
    return [...this.#definitions.keys()].sort();
  }

  /** Every registered job as stored, by name. */
  async list(): Promise<JobView[]> {
    await this.#define();
    const rows = await this.#store.jobs.list();
    return rows.filter((r) => this.#definitions.has(r.name)).map(jobViewOf);
  }

  /** @throws JobsError JOBS_NOT_FOUND for a job not registered. */
  async get(name: string): Promise<JobView> {
    this.#definition(name);
    await this.#define();
    const row = await this.#store.jobs.get(name);
    if (row === undefined) throw new JobsError('JOBS_NOT_FOUND', `no job ${name}`, { details: { name } });
    return jobViewOf(row);
  }

  /**
   * Stores the definitions, ticks now and then every `tickMs`. A store that cannot take the
   * definitions yet is reported to `onError` and tried again on the next tick; it does not stop
   * the start.
   */
  async start(): Promise<void> {
    if (this.#stopped) throw new JobsError('JOBS_STOPPED', 'the job runner has stopped');
    if (this.#timer !== undefined) return;
    try {
      await this.#define();
    } catch (error) {
      this.#onError(error, 'storing the job definitions');
    }
    this.#timer = setInterval(() => {
      this.#tickInBackground();
    }, this.#tickMs);
    this.#timer.unref();
    this.#tickInBackground();
  }

  /**
   * Claims every registered job that is due and not already running here, runs the claimed ones
   * side by side and resolves with their results once they have all finished.
   */
  async tick(): Promise<JobRunResult[]> {
    if (this.#stopped) return [];
    try {
      await this.#define();
    } catch (error) {
      this.#onError(error, 'storing the job definitions');
      return [];
    }
    const runs: Promise<JobRunResult>[] = [];
    for (const def of this.#definitions.values()) {
      if (this.#running.has(def.name) || this.#abort.signal.aborted) continue;
      const started = await this.#claimAndStart(def);
      if (started !== undefined) runs.push(started.done);
    }
    return Promise.all(runs);
  }

  /**
   * Runs a job now, on schedule or not (also when disabled): resolves once it is claimed, with
   * the claimed job and the run's result to come.
   * @throws JobsError JOBS_NOT_FOUND, JOBS_ALREADY_RUNNING (here or on another server), JOBS_STOPPED
   */
  async runNow(name: string): Promise<{ readonly job: JobView; readonly done: Promise<JobRunResult> }> {
    const def = this.#definition(name);
    if (this.#stopped) throw new JobsError('JOBS_STOPPED', 'the job runner has stopped');
    await this.#define();
    const claimed = this.#running.has(name) ? undefined : await this.#claim(def, true);
    if (claimed === undefined) {
      throw new JobsError('JOBS_ALREADY_RUNNING', `the job ${name} is running`, { details: { name } });
    }
    return { job: jobViewOf(claimed), done: this.#start(def) };
  }

  /** Stops ticking, tells running jobs to stop (`ctx.signal`) and waits until they have finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#abort.abort();
    await this.#ticking;
    await Promise.all(this.#running.values());
  }

  #definition(name: string): JobDefinition {
    const def = this.#definitions.get(name);
    if (def === undefined) throw new JobsError('JOBS_NOT_FOUND', `no job ${name}`, { details: { name } });
    return def;
  }

  #define(): Promise<void> {
    this.#defined ??= this.#store.jobs
      .define(
        [...this.#definitions.values()].map((d) => ({ name: d.name, everySeconds: d.everySeconds })),
        this.#now(),
      )
      .catch((error: unknown) => {
        this.#defined = undefined;
        throw error;
      });
    return this.#defined;
  }

  #tickInBackground(): void {
    if (this.#ticking !== undefined) return;
    this.#ticking = this.tick()
      .catch((error: unknown) => {
        this.#onError(error, 'a job runner tick');
      })
      .finally(() => {
        this.#ticking = undefined;
      });
  }

  #now(): string {
    return this.#clock.now().toISOString();
  }

  #leaseUntil(def: JobDefinition): string {
    return new Date(this.#clock.now().getTime() + (def.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000).toISOString();
  }

  async #claim(def: JobDefinition, force: boolean): Promise<JobRow | undefined> {
    return this.#store.jobs.claim({
      name: def.name,
      owner: this.owner,
      now: this.#now(),
      leaseUntil: this.#leaseUntil(def),
      force,
    });
  }

  /** Claims a due job and starts it; `done` (boxed, so awaiting the claim does not await the run). */
  async #claimAndStart(def: JobDefinition): Promise<{ readonly done: Promise<JobRunResult> } | undefined> {
    let claimed: JobRow | undefined;
    try {
      claimed = await this.#claim(def, false);
    } catch (error) {
      this.#onError(error, `claiming the job ${def.name}`);
      return undefined;
    }
    return claimed === undefined ? undefined : { done: this.#start(def) };
  }

  #start(def: JobDefinition): Promise<JobRunResult> {
    const run = this.#run(def).finally(() => {
      this.#running.delete(def.name);
    });
    this.#running.set(def.name, run);
    return run;
  }

  async #run(def: JobDefinition): Promise<JobRunResult> {
    const leaseMs = (def.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
    const heartbeat = setInterval(() => {
      this.#store.jobs.renewLease(def.name, this.owner, this.#leaseUntil(def)).then(
        (held) => {
          if (!held) this.#onError(this.#leaseLost(def.name), `renewing the lease of the job ${def.name}`);
        },
        (error: unknown) => {
          this.#onError(error, `renewing the lease of the job ${def.name}`);
        },
      );
    }, leaseMs / 3);
    heartbeat.unref();
    let result: JobRunResult;
    let summaryText: string | null = null;
    try {
      const summary = await def.run({ actor: jobActor(def.name), signal: this.#abort.signal, clock: this.#clock });
      // A summary that is not JSON (a cycle, a BigInt) fails the run here, not the recording.
      summaryText = JSON.stringify(summary);
      result = { name: def.name, outcome: 'ok', summary, error: null };
    } catch (error) {
      this.#onError(error, `the job ${def.name}`);
      result = { name: def.name, outcome: 'failed', summary: null, error: codedMessageOf(error) };
    } finally {
      clearInterval(heartbeat);
    }
    const finished = this.#clock.now();
    const after = result.outcome === 'ok' ? def.everySeconds : (def.retrySeconds ?? def.everySeconds);
    try {
      const recorded = await this.#store.jobs.finish({
        name: def.name,
        owner: this.owner,
        finishedAt: finished.toISOString(),
        outcome: result.outcome,
        error: result.error,
        summary: summaryText,
        nextRunAt: new Date(finished.getTime() + after * 1000).toISOString(),
      });
      if (!recorded) this.#onError(this.#leaseLost(def.name), `recording the job ${def.name}`);
    } catch (error) {
      this.#onError(error, `recording the job ${def.name}`);
    }
    return result;
  }

  #leaseLost(name: string): JobsError {
    return new JobsError('JOBS_LEASE_LOST', `the lease of the job ${name} passed to another runner`, {
      details: { name },
    });
  }
}
