/**
 * @module runner
 * Runs a scenario: checks prerequisites, plans the timeline, builds the namespaces, starts the
 * capture on the hospital bridge and the services, runs every action at its time, writes the
 * outputs, and tears everything down — also when a service fails, when the run is aborted
 * (SIGINT/SIGTERM through the AbortSignal) and, as a last resort, when the process exits.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { runAction } from './actions.js';
import type { LabContext, LabPaths } from './context.js';
import { LabError } from './errors.js';
import { agentVersions, buildInventory, debianVersions, labelOf, type ActionRecord, type Label } from './outputs.js';
import { checkPrerequisites, defaultPaths } from './preflight.js';
import { inNamespace, ProcessTable, sleep, tailOf } from './processes.js';
import type { Scenario } from './scenario.js';
import { startServices } from './services.js';
import { planTimeline, type PlannedAction } from './timeline.js';
import {
  buildTopology,
  destroyNamespaces,
  layOut,
  listNamespaces,
  namespacesOf,
  newRunId,
  type Topology,
} from './topology.js';

export interface RunOptions {
  readonly scenario: Scenario;
  readonly outDir: string;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly paths?: Partial<LabPaths>;
  /** Progress lines (default: none). */
  readonly progress?: (line: string) => void;
}

export interface RunReport {
  readonly scenario: string;
  readonly runId: string;
  readonly seed: number;
  readonly outDir: string;
  readonly wallSeconds: number;
  readonly devices: number;
  readonly actions: { readonly planned: number; readonly ok: number; readonly failed: number };
  readonly labels: number;
  /** Namespaces the run created (all deleted at the end). */
  readonly namespaces: readonly string[];
  /** Every pid the run started (none alive at the end). */
  readonly pids: readonly number[];
  /** Teardown problems (empty when everything was removed). */
  readonly leftovers: readonly string[];
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true)
    throw new LabError('LAB_INTERRUPTED', 'the run was interrupted; everything was torn down');
}

/** Sleeps until `ms`, waking early (and throwing) on abort. */
async function sleepUntil(deadline: number, signal: AbortSignal | undefined): Promise<void> {
  while (Date.now() < deadline) {
    aborted(signal);
    await sleep(Math.min(200, deadline - Date.now()));
  }
  aborted(signal);
}

async function startCapture(context: LabContext, file: string): Promise<ChildProcess> {
  const log = join(context.logDir, 'tcpdump.log');
  const child = context.procs.spawn(
    inNamespace(context.topology.switchNs, ['tcpdump', '-i', 'br0', '-U', '-n', '-s', '0', '-Z', 'root', '-w', file]),
    { log },
  );
  const deadline = Date.now() + 10_000;
  while (!tailOf(log).includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new LabError('LAB_SERVICE_FAILED', `tcpdump did not start; its log:\n${tailOf(log)}`, {
        details: { service: 'capture', log },
      });
    await sleep(50);
  }
  return child;
}

/** Runs `options.scenario` and writes capture.pcap, labels.jsonl, inventory.json, scenario.json. */
export async function runScenario(options: RunOptions): Promise<RunReport> {
  const { scenario, signal } = options;
  const progress = options.progress ?? (() => undefined);
  const paths: LabPaths = { ...defaultPaths(), ...options.paths };
  const seed = options.seed ?? scenario.seed;
  checkPrerequisites(scenario, paths);
  const plan = planTimeline(scenario, seed);
  const runId = newRunId();
  const topology: Topology = layOut(scenario, runId);
  const outDir = resolve(options.outDir);
  const logDir = join(outDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  for (const f of ['capture.pcap', 'labels.jsonl', 'inventory.json', 'scenario.json'])
    rmSync(join(outDir, f), { force: true });
  const runDir = mkdtempSync(join(tmpdir(), `${topology.prefix}-`));
  writeFileSync(
    join(runDir, 'owner.json'),
    JSON.stringify({ pid: process.pid, runId, namespaces: namespacesOf(topology) }),
  );
  const procs = new ProcessTable();
  const context: LabContext = {
    scenario,
    topology,
    byName: new Map(topology.devices.map((d) => [d.name, d])),
    runDir,
    logDir,
    procs,
    paths,
  };
  const created: string[] = [];
  const leftovers: string[] = [];
  let tornDown = false;
  const teardownSync = (): void => {
    if (tornDown) return;
    tornDown = true;
    procs.killAllSync();
    destroyNamespaces(created);
    rmSync(runDir, { recursive: true, force: true });
  };
  process.once('exit', teardownSync);
  const started = Date.now();
  const records: ActionRecord[] = [];
  let t0 = new Date();
  let report: RunReport;
  try {
    progress(`run ${runId}: ${String(topology.devices.length)} devices, ${String(plan.length)} planned actions`);
    buildTopology(topology, created);
    aborted(signal);
    const capture = await startCapture(context, join(outDir, 'capture.pcap'));
    await startServices(context);
    aborted(signal);
    progress(`run ${runId}: services up after ${((Date.now() - started) / 1000).toFixed(1)} s; timeline starts`);
    t0 = new Date();
    const running: Promise<void>[] = [];
    const launch = (action: PlannedAction): void => {
      const step = scenario.steps[action.step];
      if (step === undefined) return;
      const start = new Date();
      running.push(
        runAction(context, action, step).then(
          (outcome) => {
            records.push({ action, start, end: new Date(), exitCode: outcome.exitCode });
          },
          () => {
            records.push({ action, start, end: new Date(), exitCode: -1 });
          },
        ),
      );
    };
    for (const action of plan) {
      await sleepUntil(t0.getTime() + action.at * 1000, signal);
      launch(action);
    }
    await sleepUntil(t0.getTime() + scenario.durationSeconds * 1000, signal);
    const state = { settled: false };
    void Promise.all(running).then(() => {
      state.settled = true;
    });
    while (!state.settled) {
      aborted(signal);
      await sleep(100);
    }
    await sleep(500); // let the last packets reach the capture
    await procs.stop(capture, 'SIGINT', 3000);
    // Outputs
    records.sort((a, b) => a.action.id - b.action.id);
    const labels = records
      .map((record) => labelOf(scenario, topology, runId, t0, record))
      .filter((label): label is Label => label !== null);
    writeFileSync(
      join(outDir, 'labels.jsonl'),
      labels.map((l) => JSON.stringify(l)).join('\n') + (labels.length > 0 ? '\n' : ''),
    );
    writeFileSync(join(outDir, 'inventory.json'), `${JSON.stringify(buildInventory(scenario, topology), null, 2)}\n`);
    const failed = records.filter((r) => r.exitCode !== 0);
    const summary = {
      scenario: scenario.name,
      description: scenario.description,
      file: scenario.file,
      seed,
      runId,
      startedAt: new Date(started).toISOString(),
      timelineStartedAt: t0.toISOString(),
      endedAt: new Date().toISOString(),
      wallSeconds: (Date.now() - started) / 1000,
      durationSeconds: scenario.durationSeconds,
      devices: topology.devices.length,
      actions: {
        planned: plan.length,
        ok: records.length - failed.length,
        failed: failed.length,
        failures: failed.map((r) => ({
          id: r.action.id,
          kind: r.action.kind,
          from: r.action.from,
          exitCode: r.exitCode,
        })),
      },
      tools: { debian: debianVersions(), agents: agentVersions() },
      timeline: plan,
    };
    writeFileSync(join(outDir, 'scenario.json'), `${JSON.stringify(summary, null, 2)}\n`);
    progress(
      `run ${runId}: ${String(records.length)} actions done (${String(failed.length)} failed), ${String(labels.length)} labels`,
    );
    report = {
      scenario: scenario.name,
      runId,
      seed,
      outDir,
      wallSeconds: 0, // set after teardown
      devices: topology.devices.length,
      actions: { planned: plan.length, ok: records.length - failed.length, failed: failed.length },
      labels: labels.length,
      namespaces: namespacesOf(topology),
      pids: procs.started,
      leftovers,
    };
  } catch (error) {
    // Name the run and its processes, so that a caller can check that nothing remains.
    if (error instanceof LabError)
      throw new LabError(error.code, error.message, {
        cause: error.cause,
        details: { ...error.details, runId, pids: procs.started },
      });
    throw error;
  } finally {
    await procs.stopAll();
    leftovers.push(...destroyNamespaces(created));
    const remaining = listNamespaces().filter((ns) => ns.startsWith(topology.prefix));
    if (remaining.length > 0) leftovers.push(...remaining.map((ns) => `namespace ${ns} remains`));
    rmSync(runDir, { recursive: true, force: true });
    tornDown = true;
    process.removeListener('exit', teardownSync);
    if (existsSync(join(outDir, 'scenario.json')))
      progress(`run ${runId}: torn down after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { ...report, wallSeconds: (Date.now() - started) / 1000 };
}
