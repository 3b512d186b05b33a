/**
 * @module tree-appender
 * The right frontier of the tree (its compact range [0, size)): enough to append leaves and compute
 * the root without reading anything. Each append reports the perfect-subtree nodes it completes so
 * storage can persist exactly those.
 */
import { isList } from './bytes.js';
import { LedgerError } from './errors.js';
import { assertHash, hashChildren, type Hash } from './hash.js';
import { assertTreeSize } from './input.js';
import { frontierIds, rootFromSubtrees, type NodeId } from './nodes.js';

export class TreeAppender {
  #size: number;
  readonly #frontier: Hash[];

  /** `frontier` = the hashes of `frontierIds(size)`, left to right (largest subtree first). */
  constructor(size = 0, frontier: readonly Hash[] = []) {
    assertTreeSize(size, 'size');
    const expected = frontierIds(size).length;
    if (!isList(frontier) || frontier.length !== expected) {
      throw new LedgerError('LEDGER_INPUT_INVALID', 'the frontier must hold one hash per perfect subtree of the size', {
        details: { field: 'frontier', expected, received: isList(frontier) ? frontier.length : null },
      });
    }
    frontier.forEach((h, i) => {
      assertHash(h, `frontier[${String(i)}]`);
    });
    this.#size = size;
    this.#frontier = frontier.map((h) => h.slice());
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Appends a leaf hash; returns every new perfect-subtree node this creates: the leaf itself at
   * level 0 first, then each parent it completes, bottom up.
   */
  append(leafHash: Hash): { id: NodeId; hash: Hash }[] {
    assertHash(leafHash, 'leafHash');
    if (this.#size >= Number.MAX_SAFE_INTEGER) {
      throw new LedgerError('LEDGER_INPUT_INVALID', 'the tree is full', {
        details: { field: 'size', size: this.#size },
      });
    }
    let hash: Hash = leafHash.slice();
    let level = 0;
    let index = this.#size;
    const created = [{ id: { level, index }, hash }];
    // Every 1 bit at the bottom of the old size is a left sibling waiting on the frontier.
    while (index % 2 === 1) {
      const left = this.#frontier.pop();
      if (left === undefined) throw new Error('TreeAppender: frontier out of step with size'); // unreachable
      hash = hashChildren(left, hash);
      level++;
      index = (index - 1) / 2;
      created.push({ id: { level, index }, hash });
    }
    this.#frontier.push(hash);
    this.#size++;
    // The frontier keeps the last hash; the caller gets its own copy of that one.
    const last = created[created.length - 1];
    if (last !== undefined) last.hash = hash.slice();
    return created;
  }

  /** MTH of the leaves appended so far (`EMPTY_ROOT` when none). */
  root(): Hash {
    return rootFromSubtrees(this.#frontier);
  }

  /** Copies of the hashes of `frontierIds(size)`: what to keep to resume appending later. */
  frontier(): Hash[] {
    return this.#frontier.map((h) => h.slice());
  }
}
