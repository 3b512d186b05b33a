/**
 * @module test-helpers
 * Test-only: a naive RFC 9162 reference (MTH, PATH, PROOF written straight from the recursive
 * definitions of §2.1.1, §2.1.3.1 and §2.1.4.1), an in-memory NodeReader built on it, and the
 * published RFC 6962 test vectors.
 */
import { EMPTY_ROOT, fromHex, hashChildren, hashLeaf, type Hash } from './hash.js';
import type { NodeId, NodeReader } from './nodes.js';

/** The largest power of two strictly below n (n ≥ 2), computed the slow way. */
function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

/** MTH(D[n]) of leaf hashes, by the recursive definition. */
export function naiveRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0] as Hash;
  const split = k(leaves.length);
  return hashChildren(naiveRoot(leaves.slice(0, split)), naiveRoot(leaves.slice(split)));
}

/** PATH(m, D[n]). */
export function naivePath(m: number, leaves: readonly Hash[]): Hash[] {
  if (leaves.length <= 1) return [];
  const split = k(leaves.length);
  return m < split
    ? [...naivePath(m, leaves.slice(0, split)), naiveRoot(leaves.slice(split))]
    : [...naivePath(m - split, leaves.slice(split)), naiveRoot(leaves.slice(0, split))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
export function naiveProof(m: number, leaves: readonly Hash[]): Hash[] {
  const sub = (mm: number, d: readonly Hash[], b: boolean): Hash[] => {
    if (mm === d.length) return b ? [] : [naiveRoot(d)];
    const split = k(d.length);
    return mm <= split
      ? [...sub(mm, d.slice(0, split), b), naiveRoot(d.slice(split))]
      : [...sub(mm - split, d.slice(split), false), naiveRoot(d.slice(0, split))];
  };
  return m === 0 ? [] : sub(m, leaves, true);
}

/** Leaf hashes of `count` distinct entries. */
export function makeLeaves(count: number, seed = 0): Hash[] {
  return Array.from({ length: count }, (_, i) =>
    hashLeaf(new TextEncoder().encode(`leaf ${String(seed)} ${String(i)}`)),
  );
}

/**
 * A NodeReader over leaf hashes that computes each perfect subtree with the naive MTH and counts
 * its calls. It refuses nodes that are not perfect subtrees of the stored leaves, as real storage
 * would.
 */
export class MemoryReader implements NodeReader {
  calls = 0;
  lastIds: NodeId[] = [];
  constructor(readonly leaves: readonly Hash[]) {}

  readNodes(ids: readonly NodeId[]): Promise<Hash[]> {
    this.calls++;
    this.lastIds = [...ids];
    return Promise.resolve(
      ids.map(({ level, index }) => {
        const width = 2 ** level;
        const begin = index * width;
        if (!Number.isSafeInteger(begin) || begin + width > this.leaves.length) {
          throw new Error(`no node (${String(level)}, ${String(index)})`);
        }
        return naiveRoot(this.leaves.slice(begin, begin + width));
      }),
    );
  }
}

/** Hex → bytes for test vectors of any length. */
export function unhex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

// The RFC 6962 / Certificate Transparency reference vectors, as published in
// github.com/transparency-dev/merkle: testonly/constants.go (LeafInputs, NodeHashes, RootHashes,
// CompactTrees), testonly/reference_test.go (TestRefInclusionProof, TestRefConsistencyProof) and
// proof/verify_test.go (inclusionProofs, consistencyProofs). They descend from the C++ CT
// reference implementation's merkle_tree_test.cc.

/** The eight leaf inputs (entries, before leaf hashing). */
export const VECTOR_LEAVES: readonly Uint8Array[] = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);

/** Roots by tree size 0..8. */
export const VECTOR_ROOTS: readonly Hash[] = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(fromHex);

/** NodeHashes()[level][index]: every perfect subtree of the 8-leaf tree. */
export const VECTOR_NODES: readonly (readonly Hash[])[] = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  [
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
].map((level) => level.map(fromHex));

/** Inclusion proofs (0-based index), merged from reference_test.go and verify_test.go. */
export const VECTOR_INCLUSION: readonly { index: number; size: number; proof: readonly string[] }[] = [
  { index: 0, size: 1, proof: [] },
  { index: 0, size: 2, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7'] },
  { index: 1, size: 2, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** Consistency proofs, merged from reference_test.go and verify_test.go. */
export const VECTOR_CONSISTENCY: readonly { first: number; second: number; proof: readonly string[] }[] = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    first: 6,
    second: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

/** Expects `fn` to throw a WardError with this code (assert on code, never on message). */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
      return error.code;
    return `not a coded error: ${String(error)}`;
  }
  return undefined;
}

export async function codeOfAsync(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
      return error.code;
    return `not a coded error: ${String(error)}`;
  }
  return undefined;
}
