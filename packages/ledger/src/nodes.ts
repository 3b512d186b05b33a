/**
 * @module nodes
 * Perfect subtrees — the only nodes the ledger ever stores — and how to turn them into roots.
 * Node (level, index) covers leaves [index·2^level, (index+1)·2^level). Storage (files, SQL) lives
 * elsewhere behind `NodeReader`; everything here is pure.
 */
import { LedgerError } from './errors.js';
import { EMPTY_ROOT, assertHash, hashChildren, isHash, type Hash } from './hash.js';
import { assertTreeSize } from './input.js';

/**
 * A perfect subtree: level 0 = a leaf hash; node (level, index) covers leaves
 * [index·2^level, (index+1)·2^level). Only perfect subtrees are ever stored.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/**
 * Storage gives hashes of perfect subtrees; it is implemented elsewhere (files, SQL). It must
 * return the hashes in the order asked, one per id, and throw (its own error) for a node it does
 * not have.
 */
export interface NodeReader {
  readNodes(ids: readonly NodeId[]): Promise<Hash[]>;
}

/**
 * Decomposes the leaf range [begin, end) into maximal perfect subtrees, left to right. For
 * [0, n), and for any range MTH recursion produces ([k, n) with k a multiple of a power of two
 * ≥ n - k), this is the split MTH makes: the binary decomposition of the range's size, largest
 * first. For other ranges it is the compact range of the leaves (sizes grow, then shrink).
 */
export function perfectSubtrees(begin: number, end: number): NodeId[] {
  assertTreeSize(begin, 'begin');
  assertTreeSize(end, 'end');
  if (begin > end) {
    throw new LedgerError('LEDGER_INPUT_INVALID', 'begin must not exceed end', {
      details: { field: 'begin', begin, end },
    });
  }
  const ids: NodeId[] = [];
  let at = begin;
  while (at < end) {
    let level = 0;
    let width = 1;
    // Grow while the node stays aligned at `at` and ends within the range.
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      width *= 2;
      level++;
    }
    ids.push({ level, index: at / width });
    at += width;
  }
  return ids;
}

/** The perfect subtrees that make up a tree of `size` leaves: its right frontier. */
export function frontierIds(size: number): NodeId[] {
  return perfectSubtrees(0, size);
}

/**
 * Folds subtree hashes right to left: given the hashes of `perfectSubtrees(0, n)` it returns
 * MTH(D[0:n]); `EMPTY_ROOT` for none.
 */
export function rootFromSubtrees(hashes: readonly Hash[]): Hash {
  const last = hashes.at(-1);
  if (last === undefined) return EMPTY_ROOT;
  assertHash(last, `hashes[${String(hashes.length - 1)}]`);
  let root = last;
  for (let i = hashes.length - 2; i >= 0; i--) {
    const left = hashes[i];
    assertHash(left, `hashes[${String(i)}]`);
    root = hashChildren(left, root);
  }
  return root;
}

/** Calls `readNodes` once (or not at all for no ids) and checks what came back. */
async function readChecked(reader: NodeReader, ids: readonly NodeId[]): Promise<Hash[]> {
  if (ids.length === 0) return [];
  const hashes: unknown = await reader.readNodes(ids);
  if (!Array.isArray(hashes) || hashes.length !== ids.length) {
    throw new LedgerError('LEDGER_NODES_INVALID', 'the node reader returned the wrong number of hashes', {
      details: { expected: ids.length, received: Array.isArray(hashes) ? hashes.length : null },
    });
  }
  const checked: Hash[] = [];
  for (const [i, hash] of (hashes as unknown[]).entries()) {
    if (!isHash(hash)) {
      const id = ids[i];
      throw new LedgerError('LEDGER_NODES_INVALID', 'the node reader returned a hash that is not 32 bytes', {
        details: { level: id?.level, index: id?.index },
      });
    }
    checked.push(hash);
  }
  return checked;
}

/** A leaf range [begin, end) whose MTH a proof needs. */
export type LeafRange = readonly [begin: number, end: number];

/**
 * MTH of each range, with all their perfect subtrees fetched in one `readNodes` call. Every range
 * must be one that MTH recursion produces (see `perfectSubtrees`).
 */
export async function rangeHashes(reader: NodeReader, ranges: readonly LeafRange[]): Promise<Hash[]> {
  const groups = ranges.map(([begin, end]) => perfectSubtrees(begin, end));
  const hashes = await readChecked(reader, groups.flat());
  const out: Hash[] = [];
  let at = 0;
  for (const group of groups) {
    out.push(rootFromSubtrees(hashes.slice(at, at + group.length)));
    at += group.length;
  }
  return out;
}

/** The root of the tree's first `size` leaves, from at most ⌈log2(size)⌉ + 1 stored nodes. */
export async function rootAt(reader: NodeReader, size: number): Promise<Hash> {
  assertTreeSize(size, 'size');
  const [root] = await rangeHashes(reader, size === 0 ? [] : [[0, size]]);
  return root ?? EMPTY_ROOT;
}

/** The largest power of two strictly below n (n ≥ 2): the split point of MTH. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
