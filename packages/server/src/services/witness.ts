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
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
import { ServerError } from '../errors.js';
import type { ConsistencyProofView } from './ledger.js';

export const WITNESS_KEY_FILE = 'witness.key';
export const WITNESS_PUBLIC_KEY_FILE = 'witness.pub';
const STATE_FILE = 'state.json';
const ALERTS_FILE = 'alerts.jsonl';

/** Where a witness reads a log: its latest signed checkpoint and consistency proofs. */
export interface LogSource {
  checkpointNote(): Promise<string>;
  consistency(first: number, second: number): Promise<ConsistencyProofView>;
}

interface SeenCheckpoint {
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

function writeAtomically(file: string, text: string, mode: number): void {
  const temporary = `${file}.tmp-${String(process.pid)}`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, file);
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
  writeAtomically(join(dir, WITNESS_PUBLIC_KEY_FILE), `${verifierKey}\n`, 0o644);
  writeAtomically(keyFile, `${signerKey}\n`, 0o600);
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
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WitnessState) : {};
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
    appendFileSync(join(this.dir, ALERTS_FILE), `${JSON.stringify(full)}\n`, { mode: 0o600 });
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
  async witness(source: LogSource, logKey: string): Promise<WitnessResult> {
    const note = await source.checkpointNote();
    const { body } = verifyNote(note, [verifierFromKey(logKey)]);
    const offered = parseCheckpoint(body);
    const offeredRoot = toHex(offered.rootHash);
    const state = this.#state();
    const seen = state[offered.origin];
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
    state[offered.origin] = { size: offered.size, rootHash: offeredRoot, note: cosigned, at: this.now().toISOString() };
    writeAtomically(join(this.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, 0o600);
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
  const get = async (path: string, accept: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        headers: { accept, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
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
