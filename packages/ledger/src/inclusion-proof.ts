/**
 * @module inclusion-proof
 * RFC 9162 §2.1.3: Merkle audit paths. `inclusionProof` builds PATH(m, D[n]) from stored perfect
 * subtrees in one read; `rootFromInclusionProof` and `verifyInclusion` follow the verification
 * algorithm of §2.1.3.2 step by step, with arithmetic instead of 32-bit bit operations so that
 * sizes up to 2^53 work.
 */
import { bytesEqual, isList } from './bytes.js';
import { LedgerError } from './errors.js';
import { assertHash, hashChildren, isHash, type Hash } from './hash.js';
import { assertTreeSize } from './input.js';
import { rangeHashes, splitPoint, type LeafRange, type NodeReader } from './nodes.js';

function assertIndexInTree(index: number, size: number): void {
  assertTreeSize(index, 'index');
  assertTreeSize(size, 'size');
  if (index >= size) {
    throw new LedgerError('LEDGER_INPUT_INVALID', 'index must be below the tree size', {
      details: { field: 'index', index, size },
    });
  }
}

/** The leaf ranges whose MTHs make up PATH(index, D[0:size]), in proof order (leaf upwards). */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  const ranges: LeafRange[] = [];
  let offset = 0;
  let m = index;
  let n = size;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      ranges.push([offset + k, offset + n]);
      n = k;
    } else {
      ranges.push([offset, offset + k]);
      offset += k;
      m -= k;
      n -= k;
    }
  }
  return ranges.reverse();
}

/**
 * RFC 9162 PATH(index, D[0:size]): the audit path of leaf `index` in the tree of `size` leaves.
 * Reads O(log size) nodes in at most one `readNodes` call.
 */
export async function inclusionProof(reader: NodeReader, index: number, size: number): Promise<Hash[]> {
  assertIndexInTree(index, size);
  return rangeHashes(reader, inclusionRanges(index, size));
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2). Throws `LEDGER_INPUT_INVALID` for a
 * bad index, size or leaf hash and `LEDGER_PROOF_INVALID` for a proof of the wrong length or with
 * hashes that are not 32 bytes.
 */
export function rootFromInclusionProof(leafHash: Hash, index: number, size: number, proof: readonly Hash[]): Hash {
  assertIndexInTree(index, size);
  assertHash(leafHash, 'leafHash');
  if (!isList(proof)) {
    throw new LedgerError('LEDGER_PROOF_INVALID', 'the proof must be an array of hashes', {
      details: { field: 'proof' },
    });
  }
  for (const [position, p] of (proof as readonly unknown[]).entries()) {
    if (!isHash(p)) {
      throw new LedgerError('LEDGER_PROOF_INVALID', 'every proof hash must be 32 bytes', {
        details: { field: 'proof', position },
      });
    }
  }
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw proofLength(index, size, proof.length);
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      // Right-shift both until LSB(fn) is set or fn is 0.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw proofLength(index, size, proof.length);
  return r;
}

function proofLength(index: number, size: number, length: number): LedgerError {
  return new LedgerError('LEDGER_PROOF_INVALID', 'the inclusion proof has the wrong number of hashes', {
    details: { field: 'proof', index, size, length },
  });
}

/**
 * True when `proof` shows the leaf with hash `leafHash` at `index` in the tree of `size` leaves
 * whose root is `root`. Never throws: hostile input is simply not verified.
 */
export function verifyInclusion(
  leafHash: Hash,
  index: number,
  size: number,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  try {
    return isHash(root) && bytesEqual(rootFromInclusionProof(leafHash, index, size, proof), root);
  } catch {
    return false;
  }
}
