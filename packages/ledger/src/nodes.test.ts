import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, hashLeaf, toHex, type Hash } from './hash.js';
import { frontierIds, perfectSubtrees, rootAt, rootFromSubtrees, type NodeReader } from './nodes.js';
import {
  MemoryReader,
  VECTOR_LEAVES,
  VECTOR_NODES,
  VECTOR_ROOTS,
  codeOf,
  codeOfAsync,
  makeLeaves,
  naiveRoot,
} from './test-helpers.js';

const vectorReader = new MemoryReader(VECTOR_LEAVES.map(hashLeaf));

describe('perfectSubtrees', () => {
  it('splits [0, n) as MTH does: the binary decomposition of n, largest first', () => {
    expect(perfectSubtrees(0, 0)).toEqual([]);
    expect(perfectSubtrees(0, 1)).toEqual([{ level: 0, index: 0 }]);
    expect(perfectSubtrees(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectSubtrees(0, 8)).toEqual([{ level: 3, index: 0 }]);
    expect(perfectSubtrees(4, 7)).toEqual([
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
  });

  it('gives the compact range of an unaligned range', () => {
    expect(perfectSubtrees(3, 13)).toEqual([
      { level: 0, index: 3 },
      { level: 2, index: 1 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
  });

  it('covers exactly [begin, end) with aligned perfect subtrees, largest possible each time', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(5000), (a, b) => {
        const [begin, end] = a <= b ? [a, b] : [b, a];
        let at = begin;
        for (const { level, index } of perfectSubtrees(begin, end)) {
          const width = 2 ** level;
          expect(index * width).toBe(at);
          // Maximal: the next size up would be unaligned or overshoot.
          expect(at % (2 * width) !== 0 || at + 2 * width > end).toBe(true);
          at += width;
        }
        expect(at).toBe(end);
      }),
    );
  });

  it('handles sizes near 2^53', () => {
    const ids = frontierIds(Number.MAX_SAFE_INTEGER);
    expect(ids).toHaveLength(53);
    expect(ids[0]).toEqual({ level: 52, index: 0 });
    expect(ids.at(-1)).toEqual({ level: 0, index: Number.MAX_SAFE_INTEGER - 1 });
  });

  it('refuses negative, fractional, unsafe or reversed bounds', () => {
    for (const [b, e] of [
      [-1, 3],
      [0, 1.5],
      [0, 2 ** 53],
      [5, 4],
      [Number.NaN, 1],
    ] as const) {
      expect(codeOf(() => perfectSubtrees(b, e))).toBe('LEDGER_INPUT_INVALID');
    }
  });
});

describe('rootFromSubtrees and rootAt', () => {
  it('gives EMPTY_ROOT for no subtrees', () => {
    expect(rootFromSubtrees([])).toEqual(EMPTY_ROOT);
  });

  it('matches the published roots for sizes 0..8, from the published compact trees', async () => {
    const compact: Hash[][] = [];
    for (let size = 0; size <= 8; size++) {
      compact.push(frontierIds(size).map(({ level, index }) => VECTOR_NODES[level]?.[index] ?? new Uint8Array()));
    }
    for (let size = 0; size <= 8; size++) {
      expect(toHex(rootFromSubtrees(compact[size] ?? []))).toBe(toHex(VECTOR_ROOTS[size] ?? new Uint8Array()));
      expect(toHex(await rootAt(vectorReader, size))).toBe(toHex(VECTOR_ROOTS[size] ?? new Uint8Array()));
    }
  });

  it('equals the naive MTH for every size up to 300, in one read of at most log2(n)+1 nodes', async () => {
    const leaves = makeLeaves(300);
    const reader = new MemoryReader(leaves);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), async (size) => {
        reader.calls = 0;
        reader.lastIds = [];
        expect(toHex(await rootAt(reader, size))).toBe(toHex(naiveRoot(leaves.slice(0, size))));
        expect(reader.calls).toBe(size === 0 ? 0 : 1);
        expect(reader.lastIds.length).toBeLessThanOrEqual(Math.floor(Math.log2(Math.max(size, 1))) + 1);
      }),
    );
  });

  it('refuses a reader that returns the wrong number of hashes or short hashes', async () => {
    const short: NodeReader = { readNodes: (ids) => Promise.resolve(ids.slice(1).map(() => EMPTY_ROOT)) };
    const bad: NodeReader = { readNodes: (ids) => Promise.resolve(ids.map(() => new Uint8Array(31))) };
    expect(await codeOfAsync(() => rootAt(short, 3))).toBe('LEDGER_NODES_INVALID');
    expect(await codeOfAsync(() => rootAt(bad, 3))).toBe('LEDGER_NODES_INVALID');
    expect(await codeOfAsync(() => rootAt(vectorReader, -1))).toBe('LEDGER_INPUT_INVALID');
  });

  it('refuses subtree hashes that are not 32 bytes', () => {
    expect(codeOf(() => rootFromSubtrees([EMPTY_ROOT, new Uint8Array(3)]))).toBe('LEDGER_INPUT_INVALID');
  });
});
