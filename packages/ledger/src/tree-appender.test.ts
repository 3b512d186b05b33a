import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, hashLeaf, toHex } from './hash.js';
import { frontierIds, rootAt } from './nodes.js';
import {
  MemoryReader,
  VECTOR_LEAVES,
  VECTOR_NODES,
  VECTOR_ROOTS,
  codeOf,
  makeLeaves,
  naiveRoot,
} from './test-helpers.js';
import { TreeAppender } from './tree-appender.js';

/** Every perfect subtree (level, index) of a tree of `size` leaves, as "level/index". */
function allPerfectSubtrees(size: number): Set<string> {
  const out = new Set<string>();
  for (let level = 0; 2 ** level <= size; level++) {
    for (let index = 0; (index + 1) * 2 ** level <= size; index++) out.add(`${String(level)}/${String(index)}`);
  }
  return out;
}

describe('TreeAppender', () => {
  it('starts empty', () => {
    const tree = new TreeAppender();
    expect(tree.size).toBe(0);
    expect(tree.root()).toEqual(EMPTY_ROOT);
    expect(tree.frontier()).toEqual([]);
  });

  it('walks through the published roots and compact trees of the 8-leaf vector', () => {
    const tree = new TreeAppender();
    VECTOR_LEAVES.forEach((leaf, i) => {
      tree.append(hashLeaf(leaf));
      expect(toHex(tree.root())).toBe(toHex(VECTOR_ROOTS[i + 1] ?? new Uint8Array()));
      const expected = frontierIds(i + 1).map(({ level, index }) =>
        toHex(VECTOR_NODES[level]?.[index] ?? new Uint8Array()),
      );
      expect(tree.frontier().map(toHex)).toEqual(expected);
    });
  });

  it('matches rootAt after every append and returns exactly the newly completed perfect subtrees', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(1000), async (count, seed) => {
        const leaves = makeLeaves(count, seed);
        const reader = new MemoryReader(leaves);
        const tree = new TreeAppender();
        for (let size = 1; size <= count; size++) {
          const created = tree.append(leaves[size - 1] ?? new Uint8Array());
          expect(tree.size).toBe(size);
          expect(toHex(tree.root())).toBe(toHex(await rootAt(reader, size)));
          const before = allPerfectSubtrees(size - 1);
          const fresh = [...allPerfectSubtrees(size)].filter((id) => !before.has(id));
          expect(created.map(({ id }) => `${String(id.level)}/${String(id.index)}`).sort()).toEqual(fresh.sort());
          expect(created[0]?.id).toEqual({ level: 0, index: size - 1 });
          created.forEach(({ id, hash }, i) => {
            if (i > 0) expect(id.level).toBe((created[i - 1]?.id.level ?? 0) + 1);
            const width = 2 ** id.level;
            expect(toHex(hash)).toBe(toHex(naiveRoot(leaves.slice(id.index * width, (id.index + 1) * width))));
          });
        }
      }),
      { numRuns: 30 },
    );
  });

  it('resumes from a saved size and frontier', () => {
    const leaves = makeLeaves(40, 7);
    const whole = new TreeAppender();
    const first = new TreeAppender();
    leaves.forEach((leaf, i) => {
      whole.append(leaf);
      if (i < 23) first.append(leaf);
    });
    const resumed = new TreeAppender(first.size, first.frontier());
    leaves.slice(23).forEach((leaf) => resumed.append(leaf));
    expect(toHex(resumed.root())).toBe(toHex(whole.root()));
    expect(resumed.size).toBe(40);
  });

  it('does not share its state with the caller', () => {
    const tree = new TreeAppender();
    const leaf = makeLeaves(1)[0] ?? new Uint8Array();
    const [node] = tree.append(leaf);
    node?.hash.fill(0);
    tree.frontier()[0]?.fill(0);
    expect(toHex(tree.root())).toBe(toHex(leaf));
  });

  it('refuses a frontier that does not fit the size, and short hashes', () => {
    const [a, b] = makeLeaves(2);
    if (a === undefined || b === undefined) throw new Error('no leaves');
    expect(codeOf(() => new TreeAppender(3, [a]))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => new TreeAppender(2, [a, b]))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => new TreeAppender(1, [new Uint8Array(31)]))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => new TreeAppender(-1, []))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => new TreeAppender().append(new Uint8Array(8)))).toBe('LEDGER_INPUT_INVALID');
  });
});
