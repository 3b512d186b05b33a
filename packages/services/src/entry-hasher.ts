/**
 * @module services/entry-hasher
 * Turns ledger entries into what the tree needs — canonical bytes (as text, for storage) and leaf
 * hashes — inline or on a worker thread. The worker lets a large batch be prepared on the second
 * core while the sequencer stores the previous one; small batches stay inline, where a round trip
 * to the worker would cost more than it saves.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LedgerError, encodeEntry, hashLeaf, type LedgerEntry } from '@ward/ledger';

export interface PreparedEntries {
  /** The canonical JSON of each entry. */
  readonly texts: readonly string[];
  /** 32 bytes per entry: the RFC 9162 leaf hashes, in order. */
  readonly hashes: Uint8Array;
}

export interface EntryHasher {
  prepare(entries: readonly LedgerEntry[]): Promise<PreparedEntries>;
  close(): Promise<void>;
}

/** Encodes and hashes on the calling thread. */
export function prepareEntries(entries: readonly LedgerEntry[]): PreparedEntries {
  const texts: string[] = [];
  const hashes = new Uint8Array(32 * entries.length);
  const decoder = new TextDecoder();
  entries.forEach((entry, i) => {
    const bytes = encodeEntry(entry);
    texts.push(decoder.decode(bytes));
    hashes.set(hashLeaf(bytes), 32 * i);
  });
  return { texts, hashes };
}

export const inlineHasher: EntryHasher = {
  prepare: (entries) => Promise.resolve(prepareEntries(entries)),
  close: () => Promise.resolve(),
};

/** What the worker sends back for one request. */
export type HasherReply =
  | { readonly id: number; readonly texts: string[]; readonly hashes: Uint8Array }
  | { readonly id: number; readonly error: { readonly message: string; readonly field: unknown } };

/** Batches smaller than this are prepared inline. */
const WORKER_THRESHOLD = 2_000;

class WorkerHasher implements EntryHasher {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (p: PreparedEntries) => void; reject: (e: unknown) => void }>();
  #next = 0;

  constructor(script: URL) {
    this.#worker = new Worker(script);
    this.#worker.unref();
    this.#worker.on('message', (reply: HasherReply) => {
      const waiter = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (waiter === undefined) return;
      if ('error' in reply) {
        waiter.reject(
          new LedgerError('LEDGER_ENTRY_INVALID', reply.error.message, {
            details: typeof reply.error.field === 'string' ? { field: reply.error.field } : {},
          }),
        );
      } else {
        waiter.resolve({ texts: reply.texts, hashes: reply.hashes });
      }
    });
    this.#worker.on('error', (error) => {
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
    });
  }

  prepare(entries: readonly LedgerEntry[]): Promise<PreparedEntries> {
    if (entries.length < WORKER_THRESHOLD) return inlineHasher.prepare(entries);
    const id = (this.#next += 1);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ id, entries });
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/**
 * A worker-backed hasher when the compiled worker script is present (a build), otherwise the
 * inline one (tests running on TypeScript sources).
 */
export function createEntryHasher(): EntryHasher {
  const script = new URL('./entry-hasher-worker.js', import.meta.url);
  return existsSync(fileURLToPath(script)) ? new WorkerHasher(script) : inlineHasher;
}
