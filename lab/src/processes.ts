/**
 * @module processes
 * Every program the lab starts, tracked so that it can be stopped. Each runs in its own process
 * group (so its children stop with it), inside a network namespace through `ip netns exec`, with
 * its output appended to a log file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { LabError } from './errors.js';

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
}

export interface SpawnOptions {
  /** Log file that receives stdout and stderr. */
  readonly log: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** The argv that runs `argv` inside namespace `ns`. */
export function inNamespace(ns: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', ns, ...argv];
}

/** The last `bytes` of a log file, or '' when it cannot be read. */
export function tailOf(file: string, bytes = 2000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class ProcessTable {
  private readonly live = new Map<number, ChildProcess>();
  /** Every pid started, for the leak check after teardown. */
  readonly started: number[] = [];

  /** Starts `argv` in its own process group; it keeps running until it exits or is stopped. */
  spawn(argv: readonly string[], options: SpawnOptions): ChildProcess {
    const [command, ...args] = argv;
    if (command === undefined) throw new RangeError('empty command');
    const fd = openSync(options.log, 'a');
    try {
      const child = spawn(command, args, {
        detached: true,
        stdio: ['ignore', fd, fd],
        cwd: options.cwd,
        env: options.env ?? process.env,
      });
      const pid = child.pid;
      if (pid !== undefined) {
        this.started.push(pid);
        this.live.set(pid, child);
        child.once('exit', () => this.live.delete(pid));
      }
      child.once('error', () => {
        if (pid !== undefined) this.live.delete(pid);
      });
      return child;
    } finally {
      closeSync(fd);
    }
  }

  /** Runs `argv` to completion (its whole group is killed after `timeoutMs`). */
  run(argv: readonly string[], options: SpawnOptions & { readonly timeoutMs: number }): Promise<RunResult> {
    const child = this.spawn(argv, options);
    return new Promise((resolve) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      }, options.timeoutMs);
      child.once('error', () => {
        clearTimeout(timer);
        resolve({ code: 127, signal: null, timedOut });
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, timedOut });
      });
    });
  }

  /** Stops one group: SIGTERM (or `signal`), then SIGKILL after `graceMs`. */
  async stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 2000): Promise<void> {
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        resolve();
      }),
    );
    signalGroup(pid, signal);
    const timer = setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
    signalGroup(pid, 'SIGKILL'); // children that outlived their leader
  }

  /** Stops every group still running. */
  async stopAll(graceMs = 1500): Promise<void> {
    await Promise.all([...this.live.values()].map((child) => this.stop(child, 'SIGTERM', graceMs)));
    for (const pid of this.started) signalGroup(pid, 'SIGKILL');
  }

  /** Synchronous last resort (process exit): SIGKILL every group. */
  killAllSync(): void {
    for (const pid of this.started) signalGroup(pid, 'SIGKILL');
  }

  /** Pids started by this table that are still alive. */
  survivors(): number[] {
    return this.started.filter(alive);
  }
}

/** Runs a short command synchronously; throws with its output when it fails. */
export function runSync(argv: readonly string[], input?: string): string {
  const [command, ...args] = argv;
  if (command === undefined) throw new RangeError('empty command');
  const result = spawnSync(command, args, { encoding: 'utf8', input, timeout: 30_000 });
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim();
    throw new LabError(
      'LAB_COMMAND_FAILED',
      `${argv.join(' ')} failed (${String(result.status)}): ${output || String(result.error)}`,
      {
        details: { command: argv.join(' '), status: result.status },
      },
    );
  }
  return result.stdout;
}

export { sleep };
