/**
 * @module @ward/ledger
 * The pure core of Ward's integrity ledger: RFC 9162 Merkle tree hashing, inclusion and
 * consistency proofs over stored perfect subtrees, the append frontier, checkpoints and signed
 * notes (c2sp.org), witness cosignatures, and the entry model that keeps patient data out of the
 * log. No I/O: storage is reached only through `NodeReader`. Depends on `@ward/core` and
 * `node:crypto` only.
 */
export { LEDGER_ERROR_CODES, LedgerError } from './errors.js';
export type { LedgerErrorCode } from './errors.js';
export { EMPTY_ROOT, HASH_SIZE, hashLeaf, hashChildren, toHex, fromHex, isHash } from './hash.js';
export type { Hash } from './hash.js';
export { perfectSubtrees, frontierIds, rootFromSubtrees, rootAt } from './nodes.js';
export type { NodeId, NodeReader } from './nodes.js';
export { inclusionProof, rootFromInclusionProof, verifyInclusion } from './inclusion-proof.js';
export { consistencyProof, verifyConsistency } from './consistency-proof.js';
export { TreeAppender } from './tree-appender.js';
export { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
export type { Checkpoint } from './checkpoint.js';
export {
  MAX_NOTE_SIGNATURES,
  generateSignerKey,
  signerFromKey,
  verifierFromKey,
  signNote,
  parseNote,
  verifyNote,
} from './note.js';
export type { NoteSigner, NoteVerifier, NoteSignature } from './note.js';
export {
  generateCosignerKey,
  cosignerFromKey,
  cosignVerifierFromKey,
  cosignCheckpoint,
  verifyCosignature,
} from './cosignature.js';
export type { CosignerKey, CosignerVerifier } from './cosignature.js';
export { MAX_ENTRY_BYTES, parseEntry, encodeEntry, decodeEntry } from './entry.js';
export type { LedgerEntry, AccessEntry, ChangeEntry, RecordHashEntry, RecordCommitmentEntry } from './entry.js';
