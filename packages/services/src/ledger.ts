/**
 * @module services/ledger
 * Ward's integrity ledger as a service: sequences entries into the RFC 9162 tree kept by the store,
 * signs checkpoints, answers proofs, and verifies a whole log. The tree and proof logic is the
 * `ledger` package's; this module only moves hashes between it and the store.
 *
 * Appends are batched: callers wait until their entries are durably stored (one transaction per
 * batch) and learn their leaf indices. Two sequencers sharing a database cannot interleave: a batch
 * sequenced against a stale size is refused by the store and sequenced again.
 */
import {
  EMPTY_ROOT,
  rootFromSubtrees,
  LedgerError,
  TreeAppender,
  consistencyProof,
  decodeEntry,
  formatCheckpoint,
  fromHex,
  frontierIds,
  hashChildren,
  hashLeaf,
  inclusionProof,
  parseCheckpoint,
  rootAt,
  signNote,
  toHex,
  verifyNote,
  verifierFromKey,
  type Hash,
  type LedgerEntry,
  type NodeId,
  type NodeReader,
  type NoteSigner,
  type NoteVerifier,
} from '@ward/ledger';
import { createHmac } from 'node:crypto';
import { hasErrorCode } from '@ward/core';
import type { LedgerBatch, LedgerRecordRow, Store } from '@ward/store';
import { ServerError } from './errors.js';
import { systemClock, type Clock } from './clock.js';
import { inlineHasher, prepareEntries, type EntryHasher, type PreparedEntries } from './entry-hasher.js';

export interface LedgerKeys {
  /** Signs checkpoints; its name is the log's origin. */
  readonly signer: NoteSigner;
  /** Every verifier key the log has published (current first); checkpoints signed by any verify. */
  readonly verifierKeys: readonly string[];
  /**
   * Secret for record pseudonyms: a record id given to the API (which may be a medical record
   * number, itself PHI) enters the log only as HMAC-SHA256(this key, id).
   */
  readonly pseudonymKey: Uint8Array;
}

export interface LedgerServiceOptions {
  readonly clock?: Clock;
  /** How long the first entry of a batch waits for others. */
  readonly batchDelayMs?: number;
  readonly maxBatch?: number;
  /** Called when an entry enqueued without waiting (`enqueue`) could not be stored. */
  readonly onError?: (error: unknown) => void;
  /**
   * Sign a checkpoint after a batch at most this often (default 1000 ms); `checkpoint()` always
   * signs one covering the whole log when it is behind. Bounds the number of stored checkpoints on
   * a busy server, where every request is an entry.
   */
  readonly checkpointEveryMs?: number;
  /** Encodes and hashes entries; `createEntryHasher()` uses a worker thread. Default: inline. */
  readonly hasher?: EntryHasher;
}

export interface InclusionProofView {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly hashes: string[];
  readonly rootHash: string;
}

export interface ConsistencyProofView {
  readonly first: number;
  readonly second: number;
  readonly hashes: string[];
  readonly firstRoot: string;
  readonly secondRoot: string;
}

export interface CheckpointView {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  /** The signed note, as published. */
  readonly note: string;
}

/** One thing `verify` found wrong, named so a person can find it. */
export interface LedgerProblem {
  readonly kind: 'leaf' | 'node' | 'entry' | 'checkpoint' | 'size';
  readonly where: string;
  readonly message: string;
}

export interface LedgerReport {
  readonly ok: boolean;
  readonly size: number;
  readonly checkpoints: number;
  readonly problems: readonly LedgerProblem[];
}

interface Pending {
  readonly entries: readonly LedgerEntry[];
  readonly resolve: (indices: number[]) => void;
  readonly reject: (error: unknown) => void;
}

const PAGE = 10_000;
/** Stop listing problems after this many; the log is broken either way. */
const MAX_PROBLEMS = 100;

function corrupt(message: string): ServerError {
  return new ServerError('SERVER_LEDGER_CORRUPT', message);
}

/**
 * Reads perfect-subtree hashes from the store for the ledger package's algorithms. Reads asked for
 * in the same tick (a proof, a root and a leaf, requested together) go to the store as one.
 */
interface ReadBatch {
  readonly ids: NodeId[];
  readonly waiters: { from: number; count: number; resolve: (h: Hash[]) => void; reject: (e: unknown) => void }[];
}

/**
 * Nodes at this level and above cover at least 256 leaves; every proof shares them, there are few
 * of them (under 80,000 at 10M leaves) and a stored node never changes, so they are kept in memory.
 */
const CACHED_LEVEL = 8;
const MAX_CACHED = 200_000;

export interface CachingNodeReader extends NodeReader {
  /** Loads every stored node at the cached levels of a tree of `size` leaves, in one read a level. */
  warm(size: number): Promise<void>;
}

export function storeNodeReader(store: Store): CachingNodeReader {
  let pending: ReadBatch | undefined;
  const cache = new Map<string, Hash>();
  const keyOf = (id: NodeId): string => `${String(id.level)}:${String(id.index)}`;
  const run = async (batch: ReadBatch): Promise<void> => {
    try {
      const hashes = batch.ids.map((id) => (id.level >= CACHED_LEVEL ? cache.get(keyOf(id)) : undefined));
      const missing = batch.ids.flatMap((id, i) => (hashes[i] === undefined ? [i] : []));
      const fetched = await store.ledger.readNodes(missing.map((i) => batch.ids[i] as NodeId));
      missing.forEach((i, k) => {
        const id = batch.ids[i] as NodeId;
        const hex = fetched[k];
        if (hex === undefined) throw corrupt(`ledger node (${String(id.level)}, ${String(id.index)}) is missing`);
        let hash: Hash;
        try {
          hash = fromHex(hex);
        } catch {
          throw corrupt(`ledger node (${String(id.level)}, ${String(id.index)}) is not a hash`);
        }
        if (id.level >= CACHED_LEVEL && cache.size < MAX_CACHED) cache.set(keyOf(id), hash);
        hashes[i] = hash;
      });
      const complete = hashes as Hash[];
      for (const w of batch.waiters) w.resolve(complete.slice(w.from, w.from + w.count));
    } catch (error) {
      for (const w of batch.waiters) w.reject(error);
    }
  };
  return {
    async warm(size: number): Promise<void> {
      for (let level = CACHED_LEVEL; 2 ** level <= size; level += 1) {
        const count = Math.floor(size / 2 ** level);
        if (cache.size + count > MAX_CACHED) return;
        for (const node of await store.ledger.nodes(level, 0, count)) {
          try {
            cache.set(keyOf(node), fromHex(node.hash));
          } catch {
            // a malformed node is reported when a proof reads it
          }
        }
      }
    },
    readNodes(ids: readonly NodeId[]): Promise<Hash[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        let batch = pending;
        if (batch === undefined) {
          const created: ReadBatch = { ids: [], waiters: [] };
          batch = created;
          pending = created;
          queueMicrotask(() => {
            pending = undefined;
            void run(created);
          });
        }
        batch.waiters.push({ from: batch.ids.length, count: ids.length, resolve, reject });
        batch.ids.push(...ids);
      });
    },
  };
}

export class LedgerService {
  readonly origin: string;
  readonly #reader: CachingNodeReader;
  /** Loads the cached upper levels once, before the first proof. */
  #warmed: Promise<void> | undefined;
  readonly #clock: Clock;
  readonly #batchDelayMs: number;
  readonly #maxBatch: number;
  readonly #onError: (error: unknown) => void;
  readonly #verifiers: NoteVerifier[];
  readonly #hasher: EntryHasher;
  readonly #checkpointEveryMs: number;
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** The sequencer's view: size and right frontier. Undefined until loaded from the store. */
  #tree: { size: number; frontier: Hash[] } | undefined;

  constructor(
    private readonly store: Store,
    private readonly keys: LedgerKeys,
    options: LedgerServiceOptions = {},
  ) {
    this.origin = keys.signer.name;
    this.#reader = storeNodeReader(store);
    this.#clock = options.clock ?? systemClock;
    this.#batchDelayMs = options.batchDelayMs ?? 5;
    this.#maxBatch = options.maxBatch ?? 10_000;
    this.#onError = options.onError ?? (() => undefined);
    this.#verifiers = keys.verifierKeys.map((k) => verifierFromKey(k));
    this.#hasher = options.hasher ?? inlineHasher;
    this.#checkpointEveryMs = options.checkpointEveryMs ?? 1000;
  }

  get verifierKeys(): readonly string[] {
    return this.keys.verifierKeys;
  }

  /** The pseudonym under which a client's record id is logged: `r:` + 128 bits of HMAC-SHA256. */
  pseudonym(recordId: string): string {
    return `r:${createHmac('sha256', this.keys.pseudonymKey).update(recordId, 'utf8').digest('hex').slice(0, 32)}`;
  }

  /** Appends entries; resolves with their leaf indices once they are durably stored. */
  append(entries: readonly LedgerEntry[]): Promise<number[]> {
    if (entries.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ entries, resolve, reject });
      this.#schedule();
    });
  }

  /** Appends without waiting; a failure goes to `onError`. */
  enqueue(entry: LedgerEntry): void {
    this.append([entry]).catch(this.#onError);
  }

  /** Stores what is queued and stops the hasher's thread. */
  async close(): Promise<void> {
    await this.flush();
    await this.#hasher.close();
  }

  /** Resolves when everything queued so far is stored. */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#running !== undefined) {
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
      this.#running ??= this.#drain();
      await this.#running;
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#running !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running ??= this.#drain();
    }, this.#batchDelayMs);
  }

  /** Takes the next batch off the queue (whole callers, up to maxBatch entries). */
  #take(): Pending[] {
    const take: Pending[] = [];
    let count = 0;
    while (
      this.#queue.length > 0 &&
      (take.length === 0 || count + (this.#queue[0]?.entries.length ?? 0) <= this.#maxBatch)
    ) {
      const next = this.#queue.shift();
      if (next === undefined) break;
      take.push(next);
      count += next.entries.length;
    }
    return take;
  }

  #prepare(items: readonly Pending[]): Promise<PreparedEntries | Error> {
    // A batch that cannot be prepared (an invalid entry) is sequenced item by item instead.
    return this.#hasher
      .prepare(items.flatMap((p) => p.entries))
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }

  async #drain(): Promise<void> {
    try {
      // A pipeline: the next batch is encoded and hashed (on the hasher's thread) while this one
      // is stored.
      let take = this.#take();
      let prepared = this.#prepare(take);
      while (take.length > 0) {
        const ready = await prepared;
        const next = this.#take();
        if (next.length > 0) prepared = this.#prepare(next);
        await this.#sequence(take, ready instanceof Error ? undefined : ready);
        take = next;
      }
    } finally {
      this.#running = undefined;
      if (this.#queue.length > 0) this.#schedule();
    }
  }

  /**
   * Stores one batch. When the store refused it (nothing was written), the items are retried one by
   * one so that one bad item (a record version already committed) fails alone.
   */
  async #sequence(items: Pending[], prepared?: PreparedEntries): Promise<void> {
    try {
      const entries = items.flatMap((p) => p.entries);
      const indices = await this.#store(entries, prepared ?? prepareEntries(entries));
      let at = 0;
      for (const item of items) {
        item.resolve(indices.slice(at, at + item.entries.length));
        at += item.entries.length;
      }
    } catch (error) {
      if (items.length > 1 && hasErrorCode(error, ['STORE_CONFLICT', 'LEDGER_ENTRY_INVALID'])) {
        for (const item of items) await this.#sequence([item]);
        return;
      }
      items[0]?.reject(error);
    }
  }

  async #load(): Promise<{ size: number; frontier: Hash[] }> {
    const size = await this.store.ledger.size();
    const frontier = await this.#reader.readNodes(frontierIds(size));
    this.#tree = { size, frontier };
    // A crash between a batch's commit and its checkpoint leaves the tail unsigned: sign it now.
    const latest = await this.store.ledger.latestCheckpoint();
    if (size > 0 && (latest?.size ?? 0) < size) await this.#signCheckpoint(size, rootFromSubtrees(frontier));
    return this.#tree;
  }

  /**
   * After an error whose outcome is unknown (the connection dropped around COMMIT), tells whether
   * the batch is in fact stored: the log grew by exactly its leaves, with its first and last hashes.
   */
  async #landed(from: number, leaves: readonly { leafHash: string }[]): Promise<boolean> {
    try {
      if ((await this.store.ledger.size()) < from + leaves.length) return false;
      const [first] = await this.store.ledger.leaves(from, from + 1);
      const [last] = await this.store.ledger.leaves(from + leaves.length - 1, from + leaves.length);
      return first?.leafHash === leaves[0]?.leafHash && last?.leafHash === leaves.at(-1)?.leafHash;
    } catch {
      return false;
    }
  }

  async #store(entries: readonly LedgerEntry[], prepared: PreparedEntries): Promise<number[]> {
    for (let attempt = 0; ; attempt += 1) {
      const tree = this.#tree ?? (await this.#load());
      const appender = new TreeAppender(tree.size, tree.frontier);
      const batch: {
        leaves: LedgerBatch['leaves'][number][];
        nodes: LedgerBatch['nodes'][number][];
        records: LedgerRecordRow[];
      } = {
        leaves: [],
        nodes: [],
        records: [],
      };
      for (const [i, entry] of entries.entries()) {
        const index = appender.size;
        const leafHash = prepared.hashes.subarray(32 * i, 32 * i + 32);
        batch.leaves.push({ index, entry: prepared.texts[i] ?? '', leafHash: toHex(leafHash) });
        for (const node of appender.append(leafHash)) {
          // Level 0 is the leaf hash, stored with the leaf.
          if (node.id.level > 0)
            batch.nodes.push({ level: node.id.level, index: node.id.index, hash: toHex(node.hash) });
        }
        if (entry.kind === 'record')
          batch.records.push({ recordId: entry.recordId, version: entry.version, leafIndex: index });
      }
      try {
        await this.store.ledger.append({ from: tree.size, ...batch });
      } catch (error) {
        this.#tree = undefined;
        const moved = hasErrorCode(error, ['STORE_CONFLICT']) && error.details?.reason === 'ledger-moved';
        if (moved && attempt < 5) continue;
        if (!hasErrorCode(error, ['STORE_CONFLICT']) && (await this.#landed(tree.size, batch.leaves))) {
          return entries.map((_, i) => tree.size + i);
        }
        throw error;
      }
      this.#tree = { size: appender.size, frontier: appender.frontier() };
      this.#knownSize = Math.max(this.#knownSize, appender.size);
      // The entries are stored; a checkpoint that fails to save now is signed on the next batch or
      // load, and must not make callers append them again.
      try {
        const now = this.#clock.now().getTime();
        if (now - this.#lastSigned >= this.#checkpointEveryMs) {
          await this.#signCheckpoint(appender.size, appender.root());
          this.#lastSigned = now;
        }
      } catch (error) {
        this.#onError(error);
      }
      return entries.map((_, i) => tree.size + i);
    }
  }

  async #signCheckpoint(size: number, root: Hash): Promise<CheckpointView> {
    const body = formatCheckpoint({ origin: this.origin, size, rootHash: root, extensions: [] });
    const note = signNote(body, [this.keys.signer]);
    await this.store.ledger.saveCheckpoint({ size, note, createdAt: this.#clock.now().toISOString() });
    return { origin: this.origin, size, rootHash: toHex(root), note };
  }

  /**
   * The latest signed checkpoint. When the log has grown past it (batches between two periodic
   * signatures), a checkpoint of the current size is signed first, so the answer always covers
   * every stored entry.
   */
  async checkpoint(): Promise<CheckpointView> {
    let latest = await this.store.ledger.latestCheckpoint();
    const size = await this.store.ledger.size();
    if (latest === undefined || latest.size < size) {
      const root = size === 0 ? EMPTY_ROOT : rootFromSubtrees(await this.#reader.readNodes(frontierIds(size)));
      await this.#signCheckpoint(size, root);
      this.#lastSigned = this.#clock.now().getTime();
      latest = await this.store.ledger.latestCheckpoint();
      if (latest === undefined) throw corrupt('the checkpoint just signed is not stored');
    }
    try {
      const { body } = verifyNote(latest.note, this.#verifiers);
      const parsed = parseCheckpoint(body);
      return { origin: parsed.origin, size: parsed.size, rootHash: toHex(parsed.rootHash), note: latest.note };
    } catch (error) {
      throw new ServerError(
        'SERVER_LEDGER_CORRUPT',
        `the stored checkpoint ${String(latest.size)} does not verify with the log's keys`,
        {
          cause: error,
        },
      );
    }
  }

  /** When the last checkpoint was signed after a batch (clock milliseconds). */
  #lastSigned = Number.NEGATIVE_INFINITY;

  /** The largest signed size known: sizes only grow, so anything up to it needs no query. */
  #knownSize = 0;

  /** Proofs are served only for sizes a checkpoint signs. */
  async #checkSize(size: number, field: string): Promise<number> {
    if (size <= this.#knownSize) return this.#knownSize;
    const current = (await this.store.ledger.latestCheckpoint())?.size ?? 0;
    this.#knownSize = Math.max(this.#knownSize, current);
    if (size > current) {
      throw new LedgerError('LEDGER_INPUT_INVALID', `the latest checkpoint signs ${String(current)} entries`, {
        details: { field, size: current },
      });
    }
    return current;
  }

  /** Checks that `size` is signed, and loads the cached upper levels before the first proof. */
  async #readyFor(size: number, field: string): Promise<void> {
    await this.#checkSize(size, field);
    await (this.#warmed ??= this.#reader.warm(size).catch(() => undefined));
  }

  async inclusion(index: number, size: number): Promise<InclusionProofView> {
    await this.#readyFor(size, 'size');
    const [hashes, root, leaf] = await Promise.all([
      inclusionProof(this.#reader, index, size),
      rootAt(this.#reader, size),
      this.#reader.readNodes([{ level: 0, index }]),
    ]);
    const leafHash = leaf[0];
    if (leafHash === undefined) throw corrupt(`leaf ${String(index)} is missing`);
    return {
      leafIndex: index,
      treeSize: size,
      leafHash: toHex(leafHash),
      hashes: hashes.map(toHex),
      rootHash: toHex(root),
    };
  }

  async consistency(first: number, second: number): Promise<ConsistencyProofView> {
    await this.#readyFor(second, 'second');
    const [hashes, firstRoot, secondRoot] = await Promise.all([
      consistencyProof(this.#reader, first, second),
      rootAt(this.#reader, first),
      rootAt(this.#reader, second),
    ]);
    return { first, second, hashes: hashes.map(toHex), firstRoot: toHex(firstRoot), secondRoot: toHex(secondRoot) };
  }

  async entries(start: number, end: number): Promise<{ index: number; leafHash: string; entry: LedgerEntry }[]> {
    const leaves = await this.store.ledger.leaves(start, end);
    return leaves.map((l) => {
      try {
        return { index: l.index, leafHash: l.leafHash, entry: decodeEntry(Buffer.from(l.entry, 'utf8')) };
      } catch (error) {
        throw new ServerError('SERVER_LEDGER_CORRUPT', `the stored entry of leaf ${String(l.index)} is not valid`, {
          cause: error,
        });
      }
    });
  }

  recordVersions(recordId: string): Promise<LedgerRecordRow[]> {
    return this.store.ledger.recordVersions(recordId);
  }

  /**
   * Checks the whole log offline: every leaf's hash from its entry, every entry against the fields
   * it may hold, every stored node from its children, and every checkpoint's signature and root.
   */
  async verify(): Promise<LedgerReport> {
    const problems: LedgerProblem[] = [];
    const add = (problem: LedgerProblem): void => {
      if (problems.length < MAX_PROBLEMS) problems.push(problem);
    };
    // Checkpoints first, then the size: on a live log, later appends only make the log larger than
    // the checkpoints read, never smaller.
    const stored = await this.store.ledger.checkpoints();
    const size = await this.store.ledger.size();
    if ((await this.store.ledger.leaves(size, size + 1)).length > 0) {
      add({ kind: 'size', where: `leaf ${String(size)}`, message: 'exists past the recorded size of the log' });
    }

    // Leaves: entry → leaf hash (the tree's level 0).
    for (let start = 0; start < size; start += PAGE) {
      const end = Math.min(size, start + PAGE);
      const leaves = await this.store.ledger.leaves(start, end);
      let expected = start;
      for (const leaf of leaves) {
        for (; expected < leaf.index; expected += 1) {
          add({ kind: 'leaf', where: `leaf ${String(expected)}`, message: 'missing' });
        }
        expected = leaf.index + 1;
        const bytes = Buffer.from(leaf.entry, 'utf8');
        if (toHex(hashLeaf(bytes)) !== leaf.leafHash) {
          add({
            kind: 'leaf',
            where: `leaf ${String(leaf.index)}`,
            message: 'its entry does not hash to its stored leaf hash',
          });
        }
        try {
          decodeEntry(bytes);
        } catch (error) {
          add({
            kind: 'entry',
            where: `leaf ${String(leaf.index)}`,
            message: error instanceof Error ? error.message : 'not a valid entry',
          });
        }
      }
      for (; expected < end; expected += 1)
        add({ kind: 'leaf', where: `leaf ${String(expected)}`, message: 'missing' });
    }

    // Internal nodes, level by level, each from its two children.
    for (let level = 1; 2 ** level <= size; level += 1) {
      const count = Math.floor(size / 2 ** level);
      for (let start = 0; start < count; start += PAGE) {
        const end = Math.min(count, start + PAGE);
        const [children, parents] = await Promise.all([
          this.store.ledger.nodes(level - 1, 2 * start, 2 * end),
          this.store.ledger.nodes(level, start, end),
        ]);
        const child = new Map(children.map((n) => [n.index, n.hash]));
        const parent = new Map(parents.map((n) => [n.index, n.hash]));
        for (let index = start; index < end; index += 1) {
          const left = child.get(2 * index);
          const right = child.get(2 * index + 1);
          const stored = parent.get(index);
          const where = `node (${String(level)}, ${String(index)})`;
          if (stored === undefined) {
            add({ kind: 'node', where, message: 'missing' });
            continue;
          }
          if (left === undefined || right === undefined) continue; // reported at the level below
          let recomputed: string;
          try {
            recomputed = toHex(hashChildren(fromHex(left), fromHex(right)));
          } catch {
            continue; // a malformed child is reported at its own level
          }
          if (recomputed !== stored)
            add({ kind: 'node', where, message: 'does not match the hash of its two children' });
        }
      }
    }

    // Checkpoints: signed by one of the log's keys, for this origin, with the root of the tree.
    for (const at of stored) {
      const where = `checkpoint ${String(at.size)}`;
      try {
        const { body } = verifyNote(at.note, this.#verifiers);
        const parsed = parseCheckpoint(body);
        if (parsed.origin !== this.origin)
          add({ kind: 'checkpoint', where, message: `origin ${parsed.origin} is not this log's` });
        if (parsed.size !== at.size) add({ kind: 'checkpoint', where, message: `says size ${String(parsed.size)}` });
        else if (parsed.size > size)
          add({ kind: 'checkpoint', where, message: `is larger than the log (${String(size)})` });
        else {
          const root = await rootAt(this.#reader, parsed.size).catch(() => undefined);
          if (root === undefined || toHex(root) !== toHex(parsed.rootHash)) {
            add({
              kind: 'checkpoint',
              where,
              message: 'its root hash is not the root of the stored tree at that size',
            });
          }
        }
      } catch (error) {
        add({ kind: 'checkpoint', where, message: error instanceof Error ? error.message : 'invalid' });
      }
    }
    const checkpoints = stored.length;
    return { ok: problems.length === 0, size, checkpoints, problems };
  }
}
