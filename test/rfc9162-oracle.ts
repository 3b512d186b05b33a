/**
 * @module rfc9162-oracle
 * An independent RFC 9162 verifier for tests: @transmute/rfc9162 checks the proofs Ward produces.
 */
import { createRequire } from 'node:module';
import type * as Transmute from '@transmute/rfc9162';

// A CommonJS package: loaded with require so Node and Vitest see the same exports.
const { RFC9162 } = createRequire(import.meta.url)('@transmute/rfc9162') as typeof Transmute;

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

export function oracleVerifiesInclusion(proof: {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  hashes: readonly string[];
  rootHash: string;
}): Promise<boolean> {
  return RFC9162.verifyInclusionProof(bytes(proof.rootHash), bytes(proof.leafHash), {
    log_id: '',
    tree_size: proof.treeSize,
    leaf_index: proof.leafIndex,
    inclusion_path: proof.hashes.map(bytes),
  });
}

export function oracleVerifiesConsistency(proof: {
  first: number;
  second: number;
  hashes: readonly string[];
  firstRoot: string;
  secondRoot: string;
}): Promise<boolean> {
  return RFC9162.verifyConsistencyProof(bytes(proof.firstRoot), bytes(proof.secondRoot), {
    log_id: '',
    tree_size_1: proof.first,
    tree_size_2: proof.second,
    consistency_path: proof.hashes.map(bytes),
  });
}
