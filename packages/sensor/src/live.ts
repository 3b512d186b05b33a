/**
 * @module live
 * `ward sensor`: captures from a live interface by running `tcpdump --immediate-mode -U -w -` (the capture
 * privilege stays with tcpdump; Ward itself never opens a raw socket and never sends a packet),
 * decodes its standard output as it arrives and writes observations to the store in batches — at
 * most every `flushIntervalMs`, sooner when `flushMaxObservations` facts are waiting, and once more
 * when the capture stops (abort signal, or tcpdump exiting). With `onDevices`, the devices seen so
 * far are handed over too (the CLI merges them into the inventory): at most every
 * `devicesIntervalMs` after a flush that wrote something, and once at the end. `--immediate-mode` hands each packet
 * over at once: without it tcpdump delivers packets in kernel blocks and can drop the last,
 * still-open block when it is stopped.
 */
import { spawn } from 'node:child_process';
import type { ObservationRepository, ObservationRow, RecordResult } from '@ward/store';
import { SensorError } from './errors.js';
import { buildDevices, type SensorDevice } from './devices.js';
import { isoOf, type Observation } from './observation.js';
import { Observer } from './observe.js';
import { defaultOuiRegistry, type OuiRegistry } from './oui.js';
import { loadRules, type FingerprintRule } from './rules.js';
import { decodeStream, type ScanStats } from './scan.js';

export interface LiveOptions {
  readonly interface: string;
  /** A BPF filter expression, passed to tcpdump as its last argument. */
  readonly filter?: string;
  readonly store: { readonly observations: ObservationRepository };
  /** The tcpdump executable. */
  readonly tcpdump?: string;
  readonly flushIntervalMs?: number;
  readonly flushMaxObservations?: number;
  /** Aborting stops the capture cleanly: tcpdump gets SIGINT, the last batch is written. */
  readonly signal?: AbortSignal;
  readonly onFlush?: (result: RecordResult & { readonly total: number }) => void;
  /**
   * Receives every device seen so far (built from all of the run's observations, as `ward scan`
   * builds them). A failure stops the capture and is thrown from `runLiveSensor`.
   */
  readonly onDevices?: (devices: readonly SensorDevice[]) => Promise<void>;
  /** Default 10 000 ms. */
  readonly devicesIntervalMs?: number;
  readonly rules?: readonly FingerprintRule[];
  readonly oui?: OuiRegistry;
}

export interface LiveResult {
  readonly stats: ScanStats;
  /** Distinct observations made during the run. */
  readonly observations: number;
  /** Rows the run added to the store. */
  readonly inserted: number;
  /** How tcpdump ended. */
  readonly tcpdump: { readonly exitCode: number | null; readonly signal: string | null; readonly stderr: string };
}

/** An observation as a store row (the subject is the device key). */
export function toObservationRow(o: Observation, source: string): ObservationRow {
  return {
    id: o.id,
    deviceKey: o.subject,
    kind: o.kind,
    value: JSON.stringify(o.value),
    firstSeen: isoOf(o.firstSeen),
    lastSeen: isoOf(o.lastSeen),
    source: o.source ?? source,
  };
}

const STDERR_KEEP = 4096;

export async function runLiveSensor(options: LiveOptions): Promise<LiveResult> {
  const args = [
    '--immediate-mode',
    '-U',
    '-w',
    '-',
    '-i',
    options.interface,
    ...(options.filter === undefined ? [] : [options.filter]),
  ];
  const child = spawn(options.tcpdump ?? 'tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
  });
  const exited = new Promise<{ exitCode: number | null; signal: string | null; spawnError?: Error }>((resolve) => {
    child.once('error', (spawnError) => {
      resolve({ exitCode: null, signal: null, spawnError });
    });
    child.once('close', (exitCode, signal) => {
      resolve({ exitCode, signal });
    });
  });

  const state = { stopping: false };
  const stop = (): void => {
    if (state.stopping) return;
    state.stopping = true;
    child.kill('SIGINT');
  };
  if (options.signal?.aborted === true) stop();
  options.signal?.addEventListener('abort', stop, { once: true });

  const source = `sensor:${options.interface}`;
  const observer = new Observer({ source });
  const interval = options.flushIntervalMs ?? 1000;
  const maxWaiting = options.flushMaxObservations ?? 1000;
  const devicesInterval = options.devicesIntervalMs ?? 10_000;
  const onDevices = options.onDevices;
  const building =
    onDevices === undefined
      ? undefined
      : { rules: options.rules ?? loadRules(), oui: options.oui ?? defaultOuiRegistry() };
  let inserted = 0;
  let lastFlush = Date.now();
  let lastDevices = 0;
  let devicesPending = false;
  let writing: Promise<void> = Promise.resolve();

  const flush = (final = false): Promise<void> => {
    writing = writing.then(async () => {
      lastFlush = Date.now();
      const rows = observer.takeChanged().map((o) => toObservationRow(o, source));
      if (rows.length > 0) {
        const result = await options.store.observations.record(rows);
        inserted += result.inserted;
        devicesPending = true;
        options.onFlush?.({ ...result, total: observer.size });
      }
      if (onDevices !== undefined && building !== undefined && devicesPending) {
        if (final || Date.now() - lastDevices >= devicesInterval) {
          lastDevices = Date.now();
          devicesPending = false;
          await onDevices(buildDevices(observer.observations(), building));
        }
      }
    });
    return writing;
  };
  let failure: unknown;
  const timer = setInterval(() => {
    if (observer.changed > 0 || devicesPending)
      void flush().catch((error: unknown) => {
        // Stop the capture; the failure is thrown once tcpdump has ended.
        failure ??= error;
        stop();
      });
  }, interval);

  let stats;
  try {
    stats = await decodeStream(child.stdout, observer, async () => {
      if (observer.changed >= maxWaiting || Date.now() - lastFlush >= interval) await flush();
    });
    await flush(true);
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener('abort', stop);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  }
  const end = await exited;
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what onDevices threw, as it was
  if (failure !== undefined) throw failure;
  if (end.spawnError !== undefined) {
    throw new SensorError('SENSOR_CAPTURE_FAILED', `cannot run ${options.tcpdump ?? 'tcpdump'}`, {
      cause: end.spawnError,
      details: { interface: options.interface, exitCode: null, stderr },
    });
  }
  // tcpdump answers our SIGINT with exit code 0; any other end it came to on its own is a failure.
  const stoppedByUs = state.stopping && (end.exitCode === 0 || end.signal !== null);
  if (!stoppedByUs && end.exitCode !== 0) {
    throw new SensorError(
      'SENSOR_CAPTURE_FAILED',
      `tcpdump on ${options.interface} exited with ${String(end.exitCode ?? end.signal)}`,
      { details: { interface: options.interface, exitCode: end.exitCode, signal: end.signal, stderr: stderr.trim() } },
    );
  }
  return {
    stats: {
      packets: stats.packets,
      bytes: stats.bytes,
      flows: stats.flows,
      decodeErrors: stats.decodeErrors,
      truncated: stats.truncated,
    },
    observations: observer.size,
    inserted,
    tcpdump: { exitCode: end.exitCode, signal: end.signal, stderr: stderr.trim() },
  };
}
