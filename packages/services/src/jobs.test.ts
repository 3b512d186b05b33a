import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WardError } from '@ward/core';
import { openSqliteStore, type Store } from '@ward/store';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { JobsError } from './errors.js';
import { JobRunner, codedMessageOf, type JobContext, type JobDefinition } from './jobs.js';

const root = mkdtempSync(join(tmpdir(), 'ward-jobs-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
let n = 0;

class ManualClock implements Clock {
  #ms = Date.parse('2026-06-01T08:00:00.000Z');
  now(): Date {
    return new Date(this.#ms);
  }
  advance(seconds: number): void {
    this.#ms += seconds * 1000;
  }
}

/** A promise settled from outside. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A job that counts its runs, and can be told to fail or to wait. */
function countingJob(name = 'test.count', extra: Partial<JobDefinition> = {}) {
  const seen: JobContext[] = [];
  let fail: Error | undefined;
  let gate: Promise<void> | undefined;
  const def: JobDefinition = {
    name,
    everySeconds: 60,
    run: async (ctx) => {
      seen.push(ctx);
      if (gate !== undefined) await gate;
      if (fail !== undefined) throw fail;
      return { run: seen.length };
    },
    ...extra,
  };
  return {
    def,
    seen,
    failWith: (error: Error) => {
      fail = error;
    },
    holdWith: (p: Promise<void> | undefined) => {
      gate = p;
    },
  };
}

describe('JobRunner', () => {
  let dir: string;
  let store: Store;
  let clock: ManualClock;
  const errors: { error: unknown; what: string }[] = [];
  const runners: JobRunner[] = [];
  const newRunner = (over: { store?: Store; owner?: string } = {}): JobRunner => {
    const runner = new JobRunner({
      store: over.store ?? store,
      clock,
      owner: over.owner ?? `runner-${String(runners.length)}`,
      onError: (error, what) => errors.push({ error, what }),
    });
    runners.push(runner);
    return runner;
  };

  beforeEach(async () => {
    dir = join(root, `s${String((n += 1))}`);
    store = openSqliteStore({ dataDir: dir });
    await store.migrate();
    clock = new ManualClock();
    errors.length = 0;
    runners.length = 0;
  });
  afterEach(async () => {
    for (const r of runners) await r.stop();
    await store.close();
  });

  it('runs a new job at once as its job actor, records the summary and waits the interval', async () => {
    const job = countingJob();
    const runner = newRunner().register(job.def);
    expect(await runner.tick()).toEqual([{ name: 'test.count', outcome: 'ok', summary: { run: 1 }, error: null }]);
    expect(job.seen[0]?.actor).toEqual({ id: 'job:test.count', role: 'system', via: 'job' });
    const [view] = await runner.list();
    expect(view).toMatchObject({
      name: 'test.count',
      state: 'idle',
      lastOutcome: 'ok',
      lastSummary: { run: 1 },
      runs: 1,
      leaseOwner: null,
      lastStartedAt: '2026-06-01T08:00:00.000Z',
      nextRunAt: '2026-06-01T08:01:00.000Z',
    });
    clock.advance(59);
    expect(await runner.tick()).toEqual([]);
    clock.advance(1);
    expect((await runner.tick()).map((r) => r.outcome)).toEqual(['ok']);
    expect((await runner.get('test.count')).runs).toBe(2);
    expect(errors).toEqual([]);
  });

  it('records a failure as a coded message without a stack, reports it and retries after retrySeconds', async () => {
    const job = countingJob('test.fail', { retrySeconds: 10 });
    job.failWith(new WardError('STORE_UNAVAILABLE', 'the database is not reachable'));
    const runner = newRunner().register(job.def);
    const [result] = await runner.tick();
    expect(result).toMatchObject({ outcome: 'failed', error: 'STORE_UNAVAILABLE: the database is not reachable' });
    expect(await runner.get('test.fail')).toMatchObject({
      state: 'failed',
      lastOutcome: 'failed',
      lastError: 'STORE_UNAVAILABLE: the database is not reachable',
      runs: 1,
      nextRunAt: '2026-06-01T08:00:10.000Z',
    });
    expect(errors.map((e) => e.what)).toEqual(['the job test.fail']);
    // A foreign error gets the runner's code; a summary that is not JSON fails the run.
    job.failWith(new TypeError('x is undefined'));
    clock.advance(10);
    expect((await runner.tick())[0]?.error).toBe('JOBS_RUN_FAILED: x is undefined');
    expect((await runner.get('test.fail')).lastError).not.toMatch(/\n\s+at /);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad = newRunner().register({ name: 'test.cyclic', everySeconds: 5, run: () => Promise.resolve(cyclic) });
    expect((await bad.tick()).find((r) => r.name === 'test.cyclic')?.outcome).toBe('failed');
  });

  it('never lets a job run twice at once across two runners on the same database', async () => {
    const other = openSqliteStore({ dataDir: dir });
    try {
      const gate = deferred();
      const job = countingJob();
      job.holdWith(gate.promise);
      const a = newRunner({ owner: 'a' }).register(job.def);
      const b = newRunner({ store: other, owner: 'b' }).register(job.def);
      const settled: string[] = [];
      const ticks = [a, b].map((r) => r.tick().finally(() => settled.push(r.owner)));
      // While the holder's run is held, the other runner's claim is refused and its tick ends.
      await expect.poll(() => settled.length).toBe(1);
      expect(job.seen).toHaveLength(1);
      expect((await store.jobs.get('test.count'))?.leaseOwner).not.toBe(settled[0]);
      gate.resolve();
      const results = (await Promise.all(ticks)).flat();
      expect(results).toHaveLength(1);
      expect(job.seen).toHaveLength(1);
      // After the first has finished, the other finds it not due.
      expect([...(await a.tick()), ...(await b.tick())]).toEqual([]);
      expect((await store.jobs.get('test.count'))?.runs).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('refuses to run a job now while another runner holds it, and runs it now otherwise', async () => {
    const gate = deferred();
    const job = countingJob();
    job.holdWith(gate.promise);
    const a = newRunner({ owner: 'a' }).register(job.def);
    const b = newRunner({ owner: 'b' }).register(job.def);
    const first = await a.runNow('test.count');
    expect(first.job).toMatchObject({ state: 'running', leaseOwner: 'a' });
    await expect(b.runNow('test.count')).rejects.toMatchObject({ code: 'JOBS_ALREADY_RUNNING' });
    await expect(a.runNow('test.count')).rejects.toMatchObject({ code: 'JOBS_ALREADY_RUNNING' });
    gate.resolve();
    expect((await first.done).outcome).toBe('ok');
    job.holdWith(undefined);
    // Not due for another minute, but run now runs it.
    const second = await b.runNow('test.count');
    expect((await second.done).outcome).toBe('ok');
    expect((await b.get('test.count')).runs).toBe(2);
    await expect(b.runNow('no.such-job')).rejects.toMatchObject({ code: 'JOBS_NOT_FOUND' });
  });

  it('runs due jobs side by side, so a long one does not hold up the others', async () => {
    const gate = deferred();
    const slow = countingJob('test.slow');
    slow.holdWith(gate.promise);
    const quick = countingJob('test.quick');
    const runner = newRunner().register(slow.def).register(quick.def);
    const ticking = runner.tick();
    await expect.poll(async () => (await runner.get('test.quick')).runs).toBe(1);
    expect(await runner.get('test.slow')).toMatchObject({ state: 'running', runs: 0 });
    // A second tick leaves the job still running here alone.
    expect(await runner.tick()).toEqual([]);
    gate.resolve();
    expect((await ticking).map((r) => r.name).sort()).toEqual(['test.quick', 'test.slow']);
  });

  it('resumes after a restart from the stored due time instead of running again at once', async () => {
    const job = countingJob();
    const first = newRunner().register(job.def);
    await first.tick();
    await first.stop();
    clock.advance(30);
    const restarted = newRunner().register(job.def);
    expect(await restarted.tick()).toEqual([]);
    clock.advance(30);
    expect((await restarted.tick()).map((r) => r.name)).toEqual(['test.count']);
    expect(job.seen).toHaveLength(2);
  });

  it('takes up a job a crashed runner held once its lease has expired', async () => {
    const job = countingJob('test.count', { leaseSeconds: 120 });
    const survivor = newRunner({ owner: 'survivor' }).register(job.def);
    await store.jobs.define([{ name: 'test.count', everySeconds: 60 }], clock.now().toISOString());
    const crashedLease = new Date(clock.now().getTime() + 120_000).toISOString();
    await store.jobs.claim({
      name: 'test.count',
      owner: 'crashed',
      now: clock.now().toISOString(),
      leaseUntil: crashedLease,
    });
    clock.advance(119);
    expect(await survivor.tick()).toEqual([]);
    clock.advance(1);
    expect((await survivor.tick()).map((r) => r.outcome)).toEqual(['ok']);
    expect(await survivor.get('test.count')).toMatchObject({ state: 'idle', runs: 1, leaseOwner: null });
  });

  it('starts ticking, and stop() waits for the running job after telling it to stop', async () => {
    const gate = deferred();
    const job = countingJob();
    job.holdWith(gate.promise);
    const runner = newRunner().register(job.def);
    await runner.start();
    await expect.poll(() => job.seen.length).toBe(1);
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await expect.poll(() => job.seen[0]?.signal.aborted).toBe(true);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(await store.jobs.get('test.count')).toMatchObject({ state: 'idle', runs: 1 });
    expect(await runner.tick()).toEqual([]);
    await expect(runner.runNow('test.count')).rejects.toMatchObject({ code: 'JOBS_STOPPED' });
  });

  it('refuses a bad or duplicate definition', () => {
    const runner = newRunner().register(countingJob().def);
    expect(() => runner.register(countingJob().def)).toThrow(
      expect.objectContaining({ code: 'JOBS_DEFINITION_INVALID' }),
    );
    for (const bad of [
      { name: 'Has Spaces', everySeconds: 60 },
      { name: 'ok.name', everySeconds: 0 },
      { name: 'ok.name', everySeconds: 1.5 },
      { name: 'ok.name', everySeconds: 60, leaseSeconds: -1 },
    ]) {
      expect(() => newRunner().register({ ...bad, run: () => Promise.resolve({}) })).toThrow(
        expect.objectContaining({ code: 'JOBS_DEFINITION_INVALID' }),
      );
    }
  });

  it('keeps a recorded error short', () => {
    expect(codedMessageOf(new Error('x'.repeat(5000))).length).toBe(1000);
    expect(codedMessageOf('plain')).toBe('JOBS_RUN_FAILED: plain');
    expect(codedMessageOf(new JobsError('JOBS_LEASE_LOST', 'gone'))).toBe('JOBS_LEASE_LOST: gone');
  });
});
