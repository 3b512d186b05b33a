import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consistencyProof, verifyConsistency } from './consistency-proof.js';
import { EMPTY_ROOT, fromHex, hashLeaf, toHex, type Hash } from './hash.js';
import {
  MemoryReader,
  VECTOR_CONSISTENCY,
  VECTOR_LEAVES,
  VECTOR_ROOTS,
  codeOfAsync,
  makeLeaves,
  naiveProof,
  naiveRoot,
} from './test-helpers.js';

const vectorReader = new MemoryReader(VECTOR_LEAVES.map(hashLeaf));
const SOME_HASH = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');
const ROOT1 = hashLeaf(new TextEncoder().encode("don't care 1"));
const ROOT2 = hashLeaf(new TextEncoder().encode("don't care 2"));

function flip(proof: readonly Hash[], at: number, byte: number): Hash[] {
  return proof.map((h, i) => {
    if (i !== at) return h;
    const copy = h.slice();
    copy[byte % 32] = (copy[byte % 32] ?? 0) ^ 0x10;
    return copy;
  });
}

/** After transparency-dev's corruptConsistencyProof. */
function corruptions(first: number, second: number, root1: Hash, root2: Hash, proof: readonly Hash[]) {
  const probes: [string, number, number, readonly Hash[], Hash, Hash][] = [
    ['first - 1', first - 1, second, proof, root1, root2],
    ['first + 1', first + 1, second, proof, root1, root2],
    ['first ^ 2', first ^ 2, second, proof, root1, root2],
    ['second * 2', first, second * 2, proof, root1, root2],
    ['second / 2', first, Math.floor(second / 2), proof, root1, root2],
    ['wrong root1', first, second, proof, SOME_HASH, root2],
    ['wrong root2', first, second, proof, root1, SOME_HASH],
    ['swapped roots', first, second, proof, root2, root1],
    ['empty proof', first, second, [], root1, root2],
    ['trailing empty', first, second, [...proof, new Uint8Array()], root1, root2],
    ['trailing root1', first, second, [...proof, root1], root1, root2],
    ['trailing root2', first, second, [...proof, root2], root1, root2],
    ['preceding empty', first, second, [new Uint8Array(), ...proof], root1, root2],
    ['preceding root1', first, second, [root1, ...proof], root1, root2],
    ['preceding root2', first, second, [root2, ...proof], root1, root2],
    ['preceding proof[0]', first, second, [proof[0] as Hash, ...proof], root1, root2],
  ];
  if (proof.length > 0) probes.push(['truncated', first, second, proof.slice(0, -1), root1, root2]);
  proof.forEach((_, i) => probes.push([`flipped proof[${String(i)}]`, first, second, flip(proof, i, 0), root1, root2]));
  return probes;
}

describe('consistency proofs: published vectors', () => {
  it.each(VECTOR_CONSISTENCY)('PROOF($first, D[$second])', async ({ first, second, proof }) => {
    const expected = proof.map(fromHex);
    const root1 = VECTOR_ROOTS[first] as Hash;
    const root2 = VECTOR_ROOTS[second] as Hash;
    expect((await consistencyProof(vectorReader, first, second)).map(toHex)).toEqual([...proof]);
    expect(verifyConsistency(first, second, expected, root1, root2)).toBe(true);
    if (expected.length > 0) {
      for (const [desc, f, s, p, r1, r2] of corruptions(first, second, root1, root2, expected)) {
        expect({ desc, verified: verifyConsistency(f, s, p, r1, r2) }).toEqual({ desc, verified: false });
      }
    }
  });

  it('follows transparency-dev TestVerifyConsistency on the edge cases (stricter on size 0)', () => {
    const cases: [number, number, Hash, Hash, Hash[], boolean][] = [
      [0, 0, ROOT1, ROOT2, [], false],
      [1, 1, ROOT1, ROOT2, [], false],
      [0, 0, EMPTY_ROOT, EMPTY_ROOT, [], true],
      // transparency-dev accepts any root for size 0; a size-0 tree has exactly one root, so we don't.
      [0, 0, ROOT1, ROOT1, [], false],
      [0, 1, EMPTY_ROOT, ROOT2, [], true],
      [0, 1, ROOT1, ROOT2, [], false],
      [1, 1, ROOT2, ROOT2, [], true],
      [1, 0, ROOT1, ROOT2, [], false],
      [2, 1, ROOT1, ROOT2, [], false],
      [1, 2, ROOT1, ROOT2, [], false],
      [0, 0, EMPTY_ROOT, ROOT2, [], false],
      [1, 1, EMPTY_ROOT, ROOT2, [], false],
      [0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], false],
      [0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], false],
      [1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], false],
    ];
    for (const [first, second, r1, r2, proof, want] of cases) {
      expect({ first, second, ok: verifyConsistency(first, second, proof, r1, r2) }).toEqual({
        first,
        second,
        ok: want,
      });
    }
  });
});

describe('consistency proofs: properties against the naive reference', () => {
  const leaves = makeLeaves(300, 2);
  const reader = new MemoryReader(leaves);
  const sizes = fc
    .integer({ min: 0, max: 300 })
    .chain((second) => fc.tuple(fc.integer({ min: 0, max: second }), fc.constant(second)));

  it('builds PROOF exactly, with one read of O(log n) nodes, and it verifies', async () => {
    await fc.assert(
      fc.asyncProperty(sizes, async ([first, second]) => {
        reader.calls = 0;
        reader.lastIds = [];
        const proof = await consistencyProof(reader, first, second);
        expect(proof.map(toHex)).toEqual(naiveProof(first, leaves.slice(0, second)).map(toHex));
        expect(reader.calls).toBeLessThanOrEqual(1);
        expect(reader.lastIds.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(Math.max(second, 1))) + 2);
        const root1 = naiveRoot(leaves.slice(0, first));
        const root2 = naiveRoot(leaves.slice(0, second));
        expect(verifyConsistency(first, second, proof, root1, root2)).toBe(true);
      }),
    );
  });

  it('fails on any flipped byte, wrong sizes, wrong roots, truncated or extended proof', async () => {
    await fc.assert(
      fc.asyncProperty(sizes, fc.nat(), fc.nat(31), async ([first, second], pick, byte) => {
        const proof = await consistencyProof(reader, first, second);
        const root1 = naiveRoot(leaves.slice(0, first));
        const root2 = naiveRoot(leaves.slice(0, second));
        if (proof.length > 0) {
          expect(verifyConsistency(first, second, flip(proof, pick % proof.length, byte), root1, root2)).toBe(false);
          expect(verifyConsistency(first, second, proof.slice(0, -1), root1, root2)).toBe(false);
        }
        expect(verifyConsistency(first, second, [...proof, root1], root1, root2)).toBe(false);
        expect(verifyConsistency(first, second, proof, flip([root1], 0, byte)[0] as Hash, root2)).toBe(false);
        // Every tree extends the empty tree, whatever its root; otherwise root2 is bound.
        const flippedRoot2 = flip([root2], 0, byte)[0] as Hash;
        expect(verifyConsistency(first, second, proof, root1, flippedRoot2)).toBe(first === 0 && second > 0);
        // Sizes are bound through the roots: against the roots of other sizes this proof fails
        // unless it is also the proof between those sizes.
        const check = (f: number, s2: number): void => {
          const expected = naiveProof(f, leaves.slice(0, s2)).map(toHex).join();
          const r1 = naiveRoot(leaves.slice(0, f));
          const r2 = naiveRoot(leaves.slice(0, s2));
          const same = expected === proof.map(toHex).join();
          expect({ f, s2, ok: verifyConsistency(f, s2, proof, r1, r2) }).toEqual({ f, s2, ok: same });
        };
        const otherFirst = (first + 1 + (pick % 300)) % (second + 1);
        if (otherFirst !== first) check(otherFirst, second);
        if (second > first) check(first, second - 1);
        if (second < 300) check(first, second + 1);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    const anyHash = fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }));
    const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(2 ** 60));
    fc.assert(
      fc.property(
        anyNumber,
        anyNumber,
        fc.array(anyHash, { maxLength: 130 }),
        anyHash,
        anyHash,
        (first, second, proof, r1, r2) => {
          expect(typeof verifyConsistency(first, second, proof, r1, r2)).toBe('boolean');
        },
      ),
    );
    expect(verifyConsistency(1, 2, null as never, null as never, undefined as never)).toBe(false);
  });
});

describe('consistency proofs: input checks', () => {
  it('gives an empty proof from 0 or between equal sizes, and refuses first > second', async () => {
    expect(await consistencyProof(vectorReader, 0, 8)).toEqual([]);
    expect(await consistencyProof(vectorReader, 5, 5)).toEqual([]);
    expect(await codeOfAsync(() => consistencyProof(vectorReader, 6, 5))).toBe('LEDGER_INPUT_INVALID');
    expect(await codeOfAsync(() => consistencyProof(vectorReader, -1, 5))).toBe('LEDGER_INPUT_INVALID');
    expect(await codeOfAsync(() => consistencyProof(vectorReader, 1, 2.5))).toBe('LEDGER_INPUT_INVALID');
  });
});
