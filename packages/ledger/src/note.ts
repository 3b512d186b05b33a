/**
 * @module note
 * Signed notes (c2sp.org/signed-note, golang.org/x/mod/sumdb/note) with Ed25519 keys: a text
 * ending in "\n", a blank line, then one line per signature,
 * `— <key name> base64(key id || signature)`. Verification follows the spec: signatures from
 * unknown keys are ignored, a failing signature from a known key rejects the note, and at least
 * one known signature must verify.
 */
import {
  bytesEqual,
  concatBytes,
  decodeBase64,
  encodeBase64,
  hasControlCharacter,
  hasLoneSurrogate,
  isList,
  isUint8Array,
  utf8,
} from './bytes.js';
import { LedgerError } from './errors.js';
import { toHex } from './hash.js';
import {
  SIGNATURE_TYPE_ED25519,
  generateKeyTexts,
  isValidKeyName,
  parseSignerKey,
  parseVerifierKey,
} from './note-key.js';

export interface NoteSigner {
  readonly name: string;
  /** 4 bytes. */
  readonly keyId: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface NoteVerifier {
  readonly name: string;
  /** 4 bytes. */
  readonly keyId: Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: Uint8Array;
  /** The signature bytes after the key id. */
  readonly signature: Uint8Array;
}

/** Go's note package refuses notes with more; the spec asks verifiers to accept at least 16. */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';

function noteError(message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('LEDGER_NOTE_INVALID', message, { details });
}

/** A new Ed25519 key pair (signature type 0x01) in the Go note text forms. */
export function generateSignerKey(name: string): { signerKey: string; verifierKey: string } {
  return generateKeyTexts(name, SIGNATURE_TYPE_ED25519);
}

/** A signer from `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>`. */
export function signerFromKey(signerKey: string): NoteSigner {
  const { name, keyId, sign } = parseSignerKey(signerKey, SIGNATURE_TYPE_ED25519);
  return { name, keyId, sign };
}

/** A verifier from `<name>+<hex key id>+<base64(0x01 || public key)>`. */
export function verifierFromKey(verifierKey: string): NoteVerifier {
  const { name, keyId, verify } = parseVerifierKey(verifierKey, SIGNATURE_TYPE_ED25519);
  return { name, keyId, verify };
}

function checkNoteText(text: string, field: string): void {
  if (hasControlCharacter(text) || hasLoneSurrogate(text)) {
    throw noteError('a note must be valid UTF-8 with no control character but newline', { field });
  }
}

/** One signature line without its newline: `— <name> <base64(key id || signature)>`. */
export function formatSignatureLine(name: string, keyId: Uint8Array, signature: Uint8Array): string {
  return `${SIGNATURE_PREFIX}${name} ${encodeBase64(concatBytes(keyId, signature))}`;
}

/** Parses one signature line (without its newline); undefined when it is malformed. */
export function parseSignatureLine(line: string): NoteSignature | undefined {
  if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) return undefined;
  const name = rest.slice(0, space);
  const bytes = decodeBase64(rest.slice(space + 1));
  if (!isValidKeyName(name) || bytes === undefined || bytes.length < 5) return undefined;
  return { name, keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
}

/**
 * Signs `body` (which must end in "\n") with every signer: returns
 * `body + "\n" + "— <name> base64(keyid || sig)\n"…`. The signed message is the body's UTF-8.
 */
export function signNote(body: string, signers: readonly NoteSigner[]): string {
  if (typeof body !== 'string' || body === '' || !body.endsWith('\n')) {
    throw noteError('a note body must end with a newline', { field: 'body' });
  }
  checkNoteText(body, 'body');
  if (!isList(signers) || signers.length === 0) {
    throw new LedgerError('LEDGER_INPUT_INVALID', 'a note needs at least one signer', {
      details: { field: 'signers' },
    });
  }
  const message = utf8(body);
  const lines = signers.map((signer) => {
    if (!isValidKeyName(signer.name) || !isUint8Array(signer.keyId) || signer.keyId.length !== 4) {
      throw new LedgerError('LEDGER_KEY_INVALID', 'a signer needs a valid name and a 4-byte key id', {
        details: { field: 'signers' },
      });
    }
    return `${formatSignatureLine(signer.name, signer.keyId, signer.sign(message))}\n`;
  });
  return `${body}\n${lines.join('')}`;
}

/**
 * Splits a signed note into its body and signatures without verifying anything. The body is
 * separated from the signatures by the last blank line. Throws `LEDGER_NOTE_INVALID`.
 */
export function parseNote(text: string): { body: string; signatures: NoteSignature[] } {
  if (typeof text !== 'string') throw noteError('a note must be a string');
  checkNoteText(text, 'note');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw noteError('a note needs a blank line before its signatures', { field: 'note' });
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) {
    throw noteError('a note must end with signature lines, each ending in a newline', { field: 'signatures' });
  }
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw noteError('the note has too many signatures', { field: 'signatures', count: lines.length });
  }
  const bodyLines = body.split('\n').length - 1;
  const signatures = lines.map((line, i) => {
    const signature = parseSignatureLine(line);
    if (signature === undefined) {
      throw noteError('a signature line is malformed', { field: 'signatures', line: bodyLines + 2 + i });
    }
    return signature;
  });
  return { body, signatures };
}

function sameKey(a: { name: string; keyId: Uint8Array }, b: { name: string; keyId: Uint8Array }): boolean {
  return a.name === b.name && bytesEqual(a.keyId, b.keyId);
}

/**
 * Verifies a signed note against trusted verifiers. Signatures from unknown keys (a different name
 * or key id) are ignored. Throws `LEDGER_SIGNATURE_INVALID` when a signature from a known key fails
 * or when no known key signed; `LEDGER_NOTE_INVALID` for malformed text; `LEDGER_KEY_INVALID` when
 * two verifiers share a name and key id. Returns the body and the verifiers whose signature holds.
 */
export function verifyNote(
  text: string,
  verifiers: readonly NoteVerifier[],
): { body: string; verified: NoteVerifier[] } {
  const { body, signatures } = parseNote(text);
  verifiers.forEach((v, i) => {
    if (!isValidKeyName(v.name) || !isUint8Array(v.keyId) || v.keyId.length !== 4) {
      throw new LedgerError('LEDGER_KEY_INVALID', 'a verifier needs a valid name and a 4-byte key id', {
        details: { field: 'verifiers', position: i },
      });
    }
    if (verifiers.slice(0, i).some((w) => sameKey(v, w))) {
      throw new LedgerError('LEDGER_KEY_INVALID', 'two verifiers share a name and key id', {
        details: { field: 'verifiers', name: v.name, keyId: toHex(v.keyId) },
      });
    }
  });
  const message = utf8(body);
  const verified: NoteVerifier[] = [];
  for (const signature of signatures) {
    const verifier = verifiers.find((v) => sameKey(v, signature));
    if (verifier === undefined) continue;
    let ok: boolean;
    try {
      ok = verifier.verify(message, signature.signature);
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new LedgerError('LEDGER_SIGNATURE_INVALID', 'a signature from a trusted key does not verify', {
        details: { name: signature.name, keyId: toHex(signature.keyId) },
      });
    }
    if (!verified.includes(verifier)) verified.push(verifier);
  }
  if (verified.length === 0) {
    throw new LedgerError('LEDGER_SIGNATURE_INVALID', 'no trusted key signed the note', {
      details: { signatures: signatures.length },
    });
  }
  return { body, verified };
}
