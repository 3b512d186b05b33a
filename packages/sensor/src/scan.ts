/**
 * @module scan
 * Reads capture files (pcap, pcapng, either gzip-compressed) through wire's decoder as streams —
 * a file is never held in memory — and builds the devices seen in them: `ward scan`'s engine.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { APP_DECODERS, createDecoder, type DecoderStats } from '@ward/wire';
import { buildDevices, type SensorDevice } from './devices.js';
import { SensorError } from './errors.js';
import type { Observation } from './observation.js';
import { Observer } from './observe.js';
import { defaultOuiRegistry, type OuiRegistry } from './oui.js';
import { loadRules, type FingerprintRule } from './rules.js';

/** `ward scan --json`'s `stats`: sums over every file read. */
export interface ScanStats {
  readonly packets: number;
  readonly bytes: number;
  readonly flows: number;
  readonly decodeErrors: number;
  /** Whether any file ended mid-record (what came before it was kept). */
  readonly truncated: boolean;
}

export interface ScanResult {
  readonly devices: SensorDevice[];
  readonly stats: ScanStats;
  /** Every observation, for `--save`. */
  readonly observations: readonly Observation[];
}

export interface ScanOptions {
  readonly rules?: readonly FingerprintRule[];
  readonly oui?: OuiRegistry;
  readonly gatewayMinIps?: number;
  /** Read size; the decoder's own buffers bound memory beyond this. */
  readonly chunkSize?: number;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

async function isGzip(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new SensorError('SENSOR_CAPTURE_UNREADABLE', `cannot read capture ${file}`, {
      cause: error,
      details: { file },
    });
  }
}

/** The bytes of a capture file, gunzipped when it starts with the gzip magic. */
export async function openCapture(file: string, chunkSize = 1 << 20): Promise<Readable> {
  const gz = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: chunkSize });
  if (!gz) return raw;
  const gunzip = createGunzip({ chunkSize: Math.min(chunkSize, 1 << 18) });
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

/** Any readable capture stream into `observer`, returning the decoder's statistics. */
export async function decodeStream(
  input: AsyncIterable<unknown>,
  observer: Observer,
  onChunk?: () => void | Promise<void>,
): Promise<DecoderStats & { readonly streamError?: unknown }> {
  const decoder = createDecoder({ sink: observer.sink, decoders: APP_DECODERS });
  let streamError: unknown;
  try {
    for await (const chunk of input) {
      decoder.push(chunk as Uint8Array);
      if (onChunk !== undefined) await onChunk();
    }
  } catch (error) {
    // A corrupt gzip member or a read error mid-file: keep what was decoded, report it.
    streamError = error;
  }
  decoder.end();
  const stats = decoder.stats();
  return streamError === undefined ? stats : { ...stats, streamError };
}

/** A byte stream, gunzipped on the fly when it starts with the gzip magic. */
async function* gunzipIfGzip(input: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return;
  const head = first.value as Uint8Array;
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value as Uint8Array;
    }
  }
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield* all();
    return;
  }
  // A broken gzip stream destroys the gunzip, which ends this iteration with its error.
  const gunzip = pipeline(Readable.from(all()), createGunzip({ chunkSize: 1 << 18 }), () => undefined);
  for await (const chunk of gunzip) yield chunk as Uint8Array;
}

/**
 * One capture arriving as a stream (an HTTP upload), decoded as it arrives — never held in memory —
 * into the devices seen, as `scan` does for files. `name` is the observations' source.
 */
export async function scanStream(
  input: AsyncIterable<unknown>,
  name: string,
  options: Omit<ScanOptions, 'chunkSize'> & {
    /** Throw the input's error (an upload cut off or over its limit) instead of keeping what came before it. */
    readonly failOnStreamError?: boolean;
  } = {},
): Promise<ScanResult> {
  const observer = new Observer();
  observer.setSource(`scan:${name}`);
  const stats = await decodeStream(gunzipIfGzip(input), observer);
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- the input's own error, as it was
  if (options.failOnStreamError === true && stats.streamError !== undefined) throw stats.streamError;
  const observations = observer.observations();
  const devices = buildDevices(observations, {
    rules: options.rules ?? loadRules(),
    oui: options.oui ?? defaultOuiRegistry(),
    ...(options.gatewayMinIps === undefined ? {} : { gatewayMinIps: options.gatewayMinIps }),
  });
  return {
    devices,
    stats: {
      packets: stats.packets,
      bytes: stats.bytes,
      flows: stats.flows,
      decodeErrors: stats.decodeErrors + (stats.streamError === undefined ? 0 : 1),
      truncated: stats.truncated || stats.streamError !== undefined,
    },
    observations,
  };
}

/** Reads every file in turn and returns the devices in them with the decoding statistics. */
export async function scan(files: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const rules = options.rules ?? loadRules();
  const oui = options.oui ?? defaultOuiRegistry();
  const observer = new Observer();
  let packets = 0;
  let bytes = 0;
  let flows = 0;
  let decodeErrors = 0;
  let truncated = false;
  for (const file of files) {
    observer.setSource(`scan:${basename(file)}`);
    const input = await openCapture(file, options.chunkSize);
    const stats = await decodeStream(input, observer);
    packets += stats.packets;
    bytes += stats.bytes;
    flows += stats.flows;
    decodeErrors += stats.decodeErrors + (stats.streamError === undefined ? 0 : 1);
    if (stats.truncated || stats.streamError !== undefined) truncated = true;
  }
  const observations = observer.observations();
  const devices = buildDevices(observations, {
    rules,
    oui,
    ...(options.gatewayMinIps === undefined ? {} : { gatewayMinIps: options.gatewayMinIps }),
  });
  return { devices, stats: { packets, bytes, flows, decodeErrors, truncated }, observations };
}
