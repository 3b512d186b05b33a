/**
 * @module errors
 * The ledger's error codes. Every failure of this package is a `LedgerError` carrying one of them;
 * callers branch on `code`, never on message text. Verifiers (`verifyInclusion`,
 * `verifyConsistency`) never throw: a bad proof is an expected outcome and comes back as `false`.
 */
import { WardError } from '@ward/core';

export const LEDGER_ERROR_CODES = [
  // An argument is out of range or of the wrong shape: a negative size, an index past the end, a
  // hash that is not 32 bytes, a bad hex string.
  'LEDGER_INPUT_INVALID',
  // An inclusion or consistency proof has the wrong number of hashes or hashes of the wrong size.
  'LEDGER_PROOF_INVALID',
  // A checkpoint body breaks c2sp.org/tlog-checkpoint (the `line` detail says where).
  'LEDGER_CHECKPOINT_INVALID',
  // A signed note breaks c2sp.org/signed-note (no blank line, a malformed signature line, …).
  'LEDGER_NOTE_INVALID',
  // No signature from a trusted key verifies, or one from a trusted key fails.
  'LEDGER_SIGNATURE_INVALID',
  // A signer or verifier key string is malformed, of the wrong type, or its key id does not match.
  'LEDGER_KEY_INVALID',
  // A log entry is not one of the allowed shapes (the `field` detail names the culprit).
  'LEDGER_ENTRY_INVALID',
  // A NodeReader returned the wrong number of hashes, or a hash that is not 32 bytes.
  'LEDGER_NODES_INVALID',
] as const;
export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export class LedgerError extends WardError<LedgerErrorCode> {
  override readonly name = 'LedgerError';
}
