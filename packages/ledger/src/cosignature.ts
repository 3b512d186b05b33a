/**
 * @module cosignature
 * Ed25519 cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`, signature type 0x04), as a
 * witness — a peer hospital — returns them from c2sp.org/tlog-witness `add-checkpoint`. The signed
 * message is `cosignature/v1\ntime <t>\n` followed by the whole checkpoint body; the signature line
 * carries `key id || u64 big-endian timestamp || Ed25519 signature`.
 */
import { concatBytes, utf8 } from './bytes.js';
import { parseCheckpoint } from './checkpoint.js';
import { LedgerError } from './errors.js';
import { toHex } from './hash.js';
import {
  ED25519_SIGNATURE_SIZE,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  generateKeyTexts,
  parseSignerKey,
  parseVerifierKey,
} from './note-key.js';
import { formatSignatureLine, parseSignatureLine, type NoteVerifier } from './note.js';

const TIMESTAMP_SIZE = 8;
const MAX_U63 = (1n << 63n) - 1n;

/** A cosigner's private key. `signMessage` signs the full cosigned message (not a note body). */
export interface CosignerKey {
  readonly kind: 'cosignature/v1';
  readonly name: string;
  /** 4 bytes: SHA-256(name || 0x0A || 0x04 || public key)[:4]. */
  readonly keyId: Uint8Array;
  signMessage(message: Uint8Array): Uint8Array;
}

/**
 * A cosigner's public key. It is also a `NoteVerifier`: `verify(body, timestamp || signature)`
 * checks a cosignature over a checkpoint body, so `verifyNote(note, [logKey, witnessKey])` checks
 * log signature and cosignatures together.
 */
export interface CosignerVerifier extends NoteVerifier {
  readonly kind: 'cosignature/v1';
}

/** The message a cosignature/v1 signs. */
function cosignedMessage(body: Uint8Array, timestamp: bigint): Uint8Array {
  return concatBytes(utf8(`cosignature/v1\ntime ${timestamp.toString()}\n`), body);
}

/** A new cosigner key pair (type 0x04) in the note text forms. */
export function generateCosignerKey(name: string): { signerKey: string; verifierKey: string } {
  return generateKeyTexts(name, SIGNATURE_TYPE_COSIGNATURE_V1);
}

/** A cosigner from `PRIVATE+KEY+<name>+<hex key id>+<base64(0x04 || seed)>`. */
export function cosignerFromKey(signerKey: string): CosignerKey {
  const { name, keyId, sign } = parseSignerKey(signerKey, SIGNATURE_TYPE_COSIGNATURE_V1);
  return { kind: 'cosignature/v1', name, keyId, signMessage: sign };
}

/** A cosignature verifier from `<name>+<hex key id>+<base64(0x04 || public key)>`. */
export function cosignVerifierFromKey(verifierKey: string): CosignerVerifier {
  const key = parseVerifierKey(verifierKey, SIGNATURE_TYPE_COSIGNATURE_V1);
  return {
    kind: 'cosignature/v1',
    name: key.name,
    keyId: key.keyId,
    verify: (message, signature) => {
      if (!(signature instanceof Uint8Array) || signature.length !== TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE)
        return false;
      const timestamp = new DataView(signature.buffer, signature.byteOffset, TIMESTAMP_SIZE).getBigUint64(0);
      if (timestamp > MAX_U63 || !(message instanceof Uint8Array)) return false;
      return key.verify(cosignedMessage(message, timestamp), signature.subarray(TIMESTAMP_SIZE));
    },
  };
}

/**
 * Cosigns a checkpoint body at `timestampSeconds` (POSIX seconds). Returns the signature line,
 * `— <name> base64(key id || u64 timestamp || signature)\n`, ready to append to the note.
 */
export function cosignCheckpoint(body: string, signer: CosignerKey, timestampSeconds: number): string {
  parseCheckpoint(body);
  if (typeof timestampSeconds !== 'number' || !Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new LedgerError('LEDGER_INPUT_INVALID', 'the timestamp must be a non-negative safe integer of seconds', {
      details: { field: 'timestampSeconds' },
    });
  }
  const timestamp = new Uint8Array(TIMESTAMP_SIZE);
  new DataView(timestamp.buffer).setBigUint64(0, BigInt(timestampSeconds));
  const signature = signer.signMessage(cosignedMessage(utf8(body), BigInt(timestampSeconds)));
  return `${formatSignatureLine(signer.name, signer.keyId, concatBytes(timestamp, signature))}\n`;
}

/**
 * Verifies one cosignature line (with or without its final newline) over a checkpoint body.
 * Throws `LEDGER_CHECKPOINT_INVALID` when the body is not a checkpoint and
 * `LEDGER_SIGNATURE_INVALID` when the line is malformed, from another key, or does not verify.
 */
export function verifyCosignature(
  body: string,
  line: string,
  verifier: CosignerVerifier,
): { timestampSeconds: number } {
  parseCheckpoint(body);
  const text = typeof line === 'string' && line.endsWith('\n') ? line.slice(0, -1) : line;
  const parsed = typeof text === 'string' && !text.includes('\n') ? parseSignatureLine(text) : undefined;
  const fail = (message: string): LedgerError =>
    new LedgerError('LEDGER_SIGNATURE_INVALID', message, {
      details: { name: parsed?.name, keyId: parsed === undefined ? undefined : toHex(parsed.keyId) },
    });
  if (parsed === undefined) throw fail('the cosignature line is malformed');
  if (parsed.name !== verifier.name || toHex(parsed.keyId) !== toHex(verifier.keyId)) {
    throw fail('the cosignature is from another key');
  }
  if (parsed.signature.length !== TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE)
    throw fail('the cosignature has the wrong length');
  const timestamp = new DataView(parsed.signature.buffer, parsed.signature.byteOffset, TIMESTAMP_SIZE).getBigUint64(0);
  let ok: boolean;
  try {
    ok = verifier.verify(utf8(body), parsed.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw fail('the cosignature does not verify');
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) throw fail('the cosignature timestamp is beyond 2^53 - 1');
  return { timestampSeconds: Number(timestamp) };
}
