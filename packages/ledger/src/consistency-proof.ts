/**
 * @module consistency-proof
 * RFC 9162 §2.1.4: consistency between two versions of the log. `consistencyProof` builds
 * PROOF(first, D[0:second]) from stored perfect subtrees in one read; `verifyConsistency` follows
 * the verification algorithm of §2.1.4.2 step by step.
 */
import { bytesEqual, isList } from './bytes.js';
import { LedgerError } from './errors.js';
import { EMPTY_ROOT, hashChildren, isHash, type Hash } from './hash.js';
import { assertTreeSize, isTreeSize } from './input.js';
import { rangeHashes, splitPoint, type LeafRange, type NodeReader } from './nodes.js';

/** The leaf ranges whose MTHs make up PROOF(first, D[0:second]), in proof order. */
export function consistencyRanges(first: number, second: number): LeafRange[] {
  if (first === 0 || first === second) return [];
  const ranges: LeafRange[] = [];
  let offset = 0;
  let m = first;
  let n = second;
  // b of SUBPROOF: true while the subtree of size m is the old root itself.
  let haveOldRoot = true;
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      ranges.push([offset + k, offset + n]);
      n = k;
    } else {
      ranges.push([offset, offset + k]);
      offset += k;
      m -= k;
      n -= k;
      haveOldRoot = false;
    }
  }
  if (!haveOldRoot) ranges.push([offset, offset + m]);
  return ranges.reverse();
}

/**
 * RFC 9162 PROOF(first, D[0:second]). Empty when `first` is 0 or equals `second`. Reads
 * O(log second) nodes in at most one `readNodes` call.
 */
export async function consistencyProof(reader: NodeReader, first: number, second: number): Promise<Hash[]> {
  assertTreeSize(first, 'first');
  assertTreeSize(second, 'second');
  if (first > second) {
    throw new LedgerError('LEDGER_INPUT_INVALID', 'first must not exceed second', {
      details: { field: 'first', first, second },
    });
  }
  return rangeHashes(reader, consistencyRanges(first, second));
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

function verify(first: number, second: number, proof: readonly Hash[], firstRoot: Hash, secondRoot: Hash): boolean {
  if (!isTreeSize(first) || !isTreeSize(second) || first > second) return false;
  if (!isHash(firstRoot) || !isHash(secondRoot) || !isList(proof)) return false;
  if (!(proof as readonly unknown[]).every(isHash)) return false;
  // The empty tree has exactly one root, and is consistent with every tree.
  if (first === 0)
    return (
      proof.length === 0 && bytesEqual(firstRoot, EMPTY_ROOT) && (second > 0 || bytesEqual(secondRoot, EMPTY_ROOT))
    );
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);

  // RFC 9162 §2.1.4.2, steps 1 to 8.
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  const [head, ...rest] = path;
  if (head === undefined) return false;
  let fr = head;
  let sr = head;
  for (const c of rest) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      // Right-shift both until LSB(fn) is set or fn is 0.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}

/**
 * True when `proof` shows that the tree of `first` leaves with root `firstRoot` is a prefix of the
 * tree of `second` leaves with root `secondRoot`. A tree of size 0 must have `EMPTY_ROOT` and an
 * empty proof; equal sizes need equal roots and an empty proof. Never throws.
 */
export function verifyConsistency(
  first: number,
  second: number,
  proof: readonly Hash[],
  firstRoot: Hash,
  secondRoot: Hash,
): boolean {
  try {
    return verify(first, second, proof, firstRoot, secondRoot);
  } catch {
    return false;
  }
}
