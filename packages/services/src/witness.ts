/**
 * @module services/witness
 * A witness follows another hospital's log: it checks each new checkpoint's signature, checks that
 * it is consistent with the last checkpoint it cosigned (an RFC 9162 consistency proof), and only
 * then cosigns it (C2SP tlog-cosignature). A checkpoint that is smaller than, or inconsistent with,
 * one it cosigned before is a fork: the witness refuses, records an alert, and says so.
 *
 * The witness's state is a folder: its cosigner key, the last checkpoint cosigned per origin, and
 * an append-only file of alerts.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  cosignCheckpoint,
  cosignerFromKey,
  fromHex,
  generateCosignerKey,
  parseCheckpoint,
  toHex,
  verifierFromKey,
  verifyConsistency,
  verifyNote,
  type CosignerKey,
} from '@ward/ledger';
import { ServerError } from './errors.js';
import type { ConsistencyProofView } from './ledger.js';

export const WITNESS_KEY_FILE = 'witness.key';
export const WITNESS_PUBLIC_KEY_FILE = 'witness.pub';
const STATE_FILE = 'state.json';
const ALERTS_FILE = 'alerts.jsonl';
const LOCK_FILE = 'witness.lock';
const LOCK_WAIT_MS = 10_000;

/** Where a witness reads a log: its latest signed checkpoint and consistency proofs. */
export interface LogSource {
  checkpointNote(): Promise<string>;
  consistency(first: number, second: number): Promise<ConsistencyProofView>;
}

interface SeenCheckpoint {
  /** The log's verifier key this origin was first cosigned under; it must never change. */
  readonly logKey: string;
  readonly size: number;
  readonly rootHash: string;
  readonly note: string;
  readonly at: string;
}

type WitnessState = Record<string, SeenCheckpoint>;

export interface WitnessResult {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  readonly previousSize: number | null;
  /** The checkpoint with the log's signature and this witness's cosignature. */
  readonly cosigned: string;
}

export interface ForkAlert {
  readonly at: string;
  readonly origin: string;
  readonly reason: string;
  readonly cosignedSize: number;
  readonly cosignedRoot: string;
  readonly offeredSize: number;
  readonly offeredRoot: string;
}

/** Writes through to the disk: a cosignature is only handed out once its state is durable. */
function writeDurably(file: string, text: string, mode: number): void {
  const temporary = `${file}.tmp-${String(process.pid)}`;
  const fd = openSync(temporary, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  const dir = openSync(file.slice(0, Math.max(0, file.lastIndexOf('/'))) || '.', 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

function appendDurably(file: string, text: string): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Holds the witness folder's lock while `fn` runs, so two `ward witness add` runs never both check
 * against the same state and cosign two different continuations of one log.
 */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const path = `${dir}/${LOCK_FILE}`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) {
        throw new ServerError('SERVER_CONFIG_INVALID', `cannot take the witness lock ${path}; is another run stuck?`, {
          cause: error,
          details: { file: path },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    writeSync(fd, String(process.pid));
    return await fn();
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}

/** Creates a witness folder with a new cosigner key named `name`. */
export function initWitness(dir: string, name: string): { verifierKey: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = join(dir, WITNESS_KEY_FILE);
  if (existsSync(keyFile)) {
    throw new ServerError('SERVER_CONFIG_INVALID', `${dir} already holds a witness key`, {
      details: { file: keyFile },
    });
  }
  const { signerKey, verifierKey } = generateCosignerKey(name);
  writeDurably(join(dir, WITNESS_PUBLIC_KEY_FILE), `${verifierKey}\n`, 0o644);
  writeDurably(keyFile, `${signerKey}\n`, 0o600);
  return { verifierKey };
}

export class Witness {
  readonly #key: CosignerKey;

  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    const keyFile = join(dir, WITNESS_KEY_FILE);
    try {
      this.#key = cosignerFromKey(readFileSync(keyFile, 'utf8').trim());
    } catch (error) {
      throw new ServerError('SERVER_CONFIG_INVALID', `${dir} holds no usable witness key (run ward witness init)`, {
        cause: error,
        details: { file: keyFile },
      });
    }
  }

  #state(): WitnessState {
    const file = join(this.dir, STATE_FILE);
    if (!existsSync(file)) return {};
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as WitnessState;
    } catch (error) {
      // Never fall back to trusting anew: a lost state would let a fork through.
      throw new ServerError('SERVER_CONFIG_INVALID', `the witness state ${file} is unreadable; restore it`, {
        cause: error,
        details: { file },
      });
    }
  }

  alerts(): ForkAlert[] {
    const file = join(this.dir, ALERTS_FILE);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as ForkAlert);
  }

  #refuse(alert: Omit<ForkAlert, 'at'>): never {
    const full: ForkAlert = { at: this.now().toISOString(), ...alert };
    appendDurably(join(this.dir, ALERTS_FILE), `${JSON.stringify(full)}\n`);
    throw new ServerError(
      'SERVER_WITNESS_FORK',
      `FORK: ${alert.origin} offered size ${String(alert.offeredSize)} (root ${alert.offeredRoot}), ${alert.reason} the checkpoint of size ${String(alert.cosignedSize)} (root ${alert.cosignedRoot}) this witness cosigned; not cosigning`,
      { details: { ...full } },
    );
  }

  /**
   * Reads the log's latest checkpoint; cosigns it when it is signed by `logKey` and consistent with
   * everything this witness cosigned for that origin before.
   */
  witness(source: LogSource, logKey: string): Promise<WitnessResult> {
    return withLock(this.dir, () => this.#witness(source, logKey));
  }

  async #witness(source: LogSource, logKey: string): Promise<WitnessResult> {
    const note = await source.checkpointNote();
    const verifier = verifierFromKey(logKey);
    const { body } = verifyNote(note, [verifier]);
    const offered = parseCheckpoint(body);
    // A log's key name is its origin (C2SP): a checkpoint naming another origin is not this log's.
    if (offered.origin !== verifier.name) {
      throw new ServerError(
        'SERVER_WITNESS_FORK',
        `the checkpoint names the origin ${offered.origin}, but the key given is ${verifier.name}'s; not cosigning`,
        { details: { origin: offered.origin, key: verifier.name } },
      );
    }
    const offeredRoot = toHex(offered.rootHash);
    const state = this.#state();
    const seen = state[offered.origin];
    if (seen !== undefined && seen.logKey !== logKey) {
      throw new ServerError(
        'SERVER_WITNESS_FORK',
        `${offered.origin} was cosigned under another key before; a new log key needs a person's decision`,
        { details: { origin: offered.origin } },
      );
    }
    if (seen !== undefined) {
      const base = {
        origin: offered.origin,
        cosignedSize: seen.size,
        cosignedRoot: seen.rootHash,
        offeredSize: offered.size,
        offeredRoot,
      };
      if (offered.size < seen.size) this.#refuse({ ...base, reason: 'is smaller than' });
      if (offered.size === seen.size && offeredRoot !== seen.rootHash) {
        this.#refuse({ ...base, reason: 'has another root than' });
      }
      if (offered.size > seen.size) {
        const proof = await source.consistency(seen.size, offered.size);
        const consistent = verifyConsistency(
          seen.size,
          offered.size,
          proof.hashes.map((h) => fromHex(h)),
          fromHex(seen.rootHash),
          offered.rootHash,
        );
        if (!consistent) this.#refuse({ ...base, reason: 'is not consistent with' });
      }
    }
    const line = cosignCheckpoint(body, this.#key, Math.floor(this.now().getTime() / 1000));
    const cosigned = `${note}${line}`;
    state[offered.origin] = {
      logKey,
      size: offered.size,
      rootHash: offeredRoot,
      note: cosigned,
      at: this.now().toISOString(),
    };
    writeDurably(join(this.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, 0o600);
    return {
      origin: offered.origin,
      size: offered.size,
      rootHash: offeredRoot,
      previousSize: seen?.size ?? null,
      cosigned,
    };
  }
}

/** A log served by another Ward over HTTP, read with a bearer token that grants ledger:read. */
export function httpLogSource(baseUrl: string, token: string | undefined): LogSource {
  const base = new URL(baseUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(base.hostname);
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && loopback)) {
    throw new ServerError(
      'SERVER_CONFIG_INVALID',
      `the log URL must be https:// (plain http only on this machine): ${baseUrl}`,
      {
        details: { key: 'log' },
      },
    );
  }
  const prefix = base.href.replace(/\/+$/, '');
  const get = async (path: string, accept: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(`${prefix}${path}`, {
        headers: { accept, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new ServerError('SERVER_WITNESS_UNREACHABLE', `cannot reach the log at ${baseUrl}`, { cause: error });
    }
    if (!response.ok) {
      throw new ServerError(
        'SERVER_WITNESS_UNREACHABLE',
        `the log at ${baseUrl} answered ${String(response.status)} to ${path}`,
        {
          details: { status: response.status },
        },
      );
    }
    return response;
  };
  return {
    checkpointNote: async () => (await get('/api/v1/ledger/checkpoint', 'text/plain')).text(),
    consistency: async (first, second) =>
      (await (
        await get(
          `/api/v1/ledger/proof/consistency?first=${String(first)}&second=${String(second)}`,
          'application/json',
        )
      ).json()) as ConsistencyProofView,
  };
}
