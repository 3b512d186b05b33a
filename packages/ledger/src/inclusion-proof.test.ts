import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, fromHex, hashLeaf, toHex, type Hash } from './hash.js';
import { inclusionProof, rootFromInclusionProof, verifyInclusion } from './inclusion-proof.js';
import {
  MemoryReader,
  VECTOR_INCLUSION,
  VECTOR_LEAVES,
  VECTOR_ROOTS,
  codeOf,
  codeOfAsync,
  makeLeaves,
  naivePath,
  naiveRoot,
} from './test-helpers.js';

const vectorLeaves = VECTOR_LEAVES.map(hashLeaf);
const vectorReader = new MemoryReader(vectorLeaves);
const SOME_HASH = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');

function flip(proof: readonly Hash[], at: number, byte: number): Hash[] {
  return proof.map((h, i) => {
    if (i !== at) return h;
    const copy = h.slice();
    copy[byte % 32] = (copy[byte % 32] ?? 0) ^ 0x08;
    return copy;
  });
}

/** Every corruption of a good proof that must fail (after transparency-dev's corruptInclusionProof). */
function corruptions(index: number, size: number, proof: readonly Hash[], root: Hash, leaf: Hash) {
  const probes: [string, Hash, number, number, readonly Hash[], Hash][] = [
    ['index - 1', leaf, index - 1, size, proof, root],
    ['index + 1', leaf, index + 1, size, proof, root],
    ['index ^ 2', leaf, index ^ 2, size, proof, root],
    ['size * 2', leaf, index, size * 2, proof, root],
    ['size / 2', leaf, index, Math.floor(size / 2), proof, root],
    ['wrong leaf', hashLeaf(new TextEncoder().encode('WrongLeaf')), index, size, proof, root],
    ['empty root', leaf, index, size, proof, EMPTY_ROOT],
    ['random root', leaf, index, size, proof, SOME_HASH],
    ['trailing empty', leaf, index, size, [...proof, new Uint8Array()], root],
    ['trailing root', leaf, index, size, [...proof, root], root],
    ['preceding empty', leaf, index, size, [new Uint8Array(), ...proof], root],
    ['preceding root', leaf, index, size, [root, ...proof], root],
  ];
  proof.forEach((_, i) => probes.push([`flipped proof[${String(i)}]`, leaf, index, size, flip(proof, i, 0), root]));
  if (proof.length > 0) probes.push(['removed component', leaf, index, size, proof.slice(0, -1), root]);
  if (proof.length > 1) {
    probes.push(['inserted component', leaf, index, size, [proof[0] as Hash, SOME_HASH, ...proof.slice(1)], root]);
  }
  return probes;
}

describe('inclusion proofs: published vectors', () => {
  it.each(VECTOR_INCLUSION)('PATH($index, D[$size])', async ({ index, size, proof }) => {
    const expected = proof.map(fromHex);
    const root = VECTOR_ROOTS[size] as Hash;
    const leaf = vectorLeaves[index] as Hash;
    expect((await inclusionProof(vectorReader, index, size)).map(toHex)).toEqual([...proof]);
    expect(toHex(rootFromInclusionProof(leaf, index, size, expected))).toBe(toHex(root));
    expect(verifyInclusion(leaf, index, size, expected, root)).toBe(true);
    for (const [desc, l, i, s, p, r] of corruptions(index, size, expected, root, leaf)) {
      expect({ desc, verified: verifyInclusion(l, i, s, p, r) }).toEqual({ desc, verified: false });
    }
  });

  it('rejects the degenerate probes of transparency-dev TestVerifyInclusion', () => {
    for (const [index, size] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 1],
    ] as const) {
      expect(verifyInclusion(SOME_HASH, index, size, [], new Uint8Array())).toBe(false);
      expect(verifyInclusion(new Uint8Array(), index, size, [], EMPTY_ROOT)).toBe(false);
      expect(verifyInclusion(SOME_HASH, index, size, [], EMPTY_ROOT)).toBe(false);
    }
  });
});

describe('inclusion proofs: properties against the naive reference', () => {
  const leaves = makeLeaves(300, 1);
  const reader = new MemoryReader(leaves);
  const sizeAndIndex = fc.integer({ min: 1, max: 300 }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));

  it('builds PATH exactly, with one read of O(log n) nodes, and it verifies', async () => {
    await fc.assert(
      fc.asyncProperty(sizeAndIndex, async ([size, index]) => {
        reader.calls = 0;
        reader.lastIds = [];
        const proof = await inclusionProof(reader, index, size);
        expect(proof.map(toHex)).toEqual(naivePath(index, leaves.slice(0, size)).map(toHex));
        expect(reader.calls).toBeLessThanOrEqual(1);
        expect(reader.lastIds.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size)) + 1);
        const root = naiveRoot(leaves.slice(0, size));
        expect(verifyInclusion(leaves[index] as Hash, index, size, proof, root)).toBe(true);
      }),
    );
  });

  it('fails on any flipped byte, wrong index or size, truncated or extended proof', async () => {
    await fc.assert(
      fc.asyncProperty(sizeAndIndex, fc.nat(), fc.nat(31), async ([size, index], pick, byte) => {
        const proof = await inclusionProof(reader, index, size);
        const root = naiveRoot(leaves.slice(0, size));
        const leaf = leaves[index] as Hash;
        if (proof.length > 0) {
          expect(verifyInclusion(leaf, index, size, flip(proof, pick % proof.length, byte), root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
        }
        const flippedLeaf = flip([leaf], 0, byte)[0] as Hash;
        const flippedRoot = flip([root], 0, byte)[0] as Hash;
        expect(verifyInclusion(flippedLeaf, index, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flippedRoot)).toBe(false);
        expect(verifyInclusion(leaf, index, size, [...proof, leaf], root)).toBe(false);
        if (size > 1) {
          const other = (index + 1 + (pick % (size - 1))) % size;
          expect(verifyInclusion(leaf, other, size, proof, root)).toBe(false);
        }
        // The size is bound through the root: against another size's root, this proof fails unless
        // it happens to be that size's path too (e.g. leaf 0 in sizes 5 and 6 share nothing, but
        // leaf 0 in sizes 3 and 4 … differ in the last hash, so only equal paths may pass).
        const otherSize = 1 + ((size + pick) % 300);
        if (otherSize !== size && index < otherSize) {
          const otherRoot = naiveRoot(leaves.slice(0, otherSize));
          const samePath = naivePath(index, leaves.slice(0, otherSize)).map(toHex).join() === proof.map(toHex).join();
          expect(verifyInclusion(leaf, index, otherSize, proof, otherRoot)).toBe(samePath);
        }
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    const anyHash = fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }));
    const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(2 ** 60));
    fc.assert(
      fc.property(
        anyHash,
        anyNumber,
        anyNumber,
        fc.array(anyHash, { maxLength: 70 }),
        anyHash,
        (leaf, index, size, proof, root) => {
          expect(typeof verifyInclusion(leaf, index, size, proof, root)).toBe('boolean');
        },
      ),
    );
    expect(verifyInclusion(null as never, 0, 1, null as never, undefined as never)).toBe(false);
  });
});

describe('inclusion proofs: input checks', () => {
  it('refuses an index at or past the size, negatives and fractions', async () => {
    expect(await codeOfAsync(() => inclusionProof(vectorReader, 8, 8))).toBe('LEDGER_INPUT_INVALID');
    expect(await codeOfAsync(() => inclusionProof(vectorReader, -1, 8))).toBe('LEDGER_INPUT_INVALID');
    expect(await codeOfAsync(() => inclusionProof(vectorReader, 0.5, 8))).toBe('LEDGER_INPUT_INVALID');
    expect(await codeOfAsync(() => inclusionProof(vectorReader, 0, 0))).toBe('LEDGER_INPUT_INVALID');
  });

  it('throws LEDGER_PROOF_INVALID from rootFromInclusionProof for a proof of the wrong length or hash size', () => {
    const leaf = vectorLeaves[0] as Hash;
    expect(codeOf(() => rootFromInclusionProof(leaf, 0, 8, []))).toBe('LEDGER_PROOF_INVALID');
    expect(codeOf(() => rootFromInclusionProof(leaf, 0, 1, [leaf]))).toBe('LEDGER_PROOF_INVALID');
    expect(codeOf(() => rootFromInclusionProof(leaf, 0, 2, [new Uint8Array(31)]))).toBe('LEDGER_PROOF_INVALID');
    expect(codeOf(() => rootFromInclusionProof(leaf, 2, 2, [leaf]))).toBe('LEDGER_INPUT_INVALID');
  });

  it('works for leaves near 2^53 (no 32-bit bit operations)', () => {
    const size = Number.MAX_SAFE_INTEGER;
    const index = size - 1;
    // The last leaf of a tree of 2^53 - 1 leaves: its path is the 52 subtrees to its left.
    const proof = Array.from({ length: 52 }, () => SOME_HASH);
    expect(() => rootFromInclusionProof(SOME_HASH, index, size, proof)).not.toThrow();
    expect(codeOf(() => rootFromInclusionProof(SOME_HASH, index, size, proof.slice(1)))).toBe('LEDGER_PROOF_INVALID');
  });
});
