/**
 * @module note-key
 * Ed25519 keys in the text forms of golang.org/x/mod/sumdb/note and c2sp.org/signed-note:
 * `PRIVATE+KEY+<name>+<hex key id>+<base64(type || seed)>` and
 * `<name>+<hex key id>+<base64(type || public key)>`, with
 * key id = SHA-256(name || 0x0A || type || public key)[:4]. Shared by plain note signatures (type
 * 0x01) and cosignatures (type 0x04). Not exported from the package; the note and cosignature
 * modules wrap it.
 */
import { Buffer } from 'node:buffer';
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { bytesEqual, concatBytes, decodeBase64, encodeBase64, hasLoneSurrogate, utf8 } from './bytes.js';
import { LedgerError } from './errors.js';
import { toHex } from './hash.js';

/** Signature type bytes assigned by c2sp.org/signed-note. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

const SEED_SIZE = 32;
const PUBLIC_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;
// DER prefixes of a PKCS#8 Ed25519 private key and an SPKI Ed25519 public key (RFC 8410).
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/**
 * A key name must be non-empty and hold no Unicode space, no plus sign and no control character
 * (c2sp.org/signed-note; Go's isValidName also refuses U+0085).
 */
export function isValidKeyName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name !== '' &&
    // eslint-disable-next-line no-control-regex
    !/[\s\u0085+\u0000-\u001F\u007F]/u.test(name) &&
    !hasLoneSurrogate(name)
  );
}

/** SHA-256(name || "\n" || type || public key)[:4]. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  const h = createHash('sha256');
  h.update(utf8(name));
  h.update(Uint8Array.from([0x0a, type]));
  h.update(publicKey);
  return new Uint8Array(h.digest().subarray(0, 4));
}

function keyError(message: string, field: string): LedgerError {
  return new LedgerError('LEDGER_KEY_INVALID', message, { details: { field } });
}

function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' });
}

function publicKeyFromRaw(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, publicKey)), format: 'der', type: 'spki' });
}

function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** The parts of a key text: name, key id and the key material after its type byte. */
interface KeyText {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly material: Uint8Array;
}

function parseKeyParts(name: string, hex: string, base64: string, type: number, size: number): KeyText {
  if (!isValidKeyName(name))
    throw keyError('the key name is empty or has a space, a plus sign or a control character', 'name');
  if (!/^[0-9a-f]{8}$/.test(hex)) throw keyError('the key id must be 8 lower-case hex digits', 'keyId');
  const bytes = decodeBase64(base64);
  if (bytes === undefined || bytes.length === 0) throw keyError('the key is not canonical base64', 'key');
  if (bytes[0] !== type) {
    throw new LedgerError('LEDGER_KEY_INVALID', 'the key has the wrong signature type', {
      details: { field: 'type', expected: type, received: bytes[0] },
    });
  }
  if (bytes.length !== 1 + size) throw keyError('the key has the wrong length', 'key');
  const keyId = Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  return { name, keyId, material: bytes.subarray(1) };
}

/** An Ed25519 key pair ready to sign: what a signer key text decodes to. */
export interface Ed25519Signing {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly sign: (message: Uint8Array) => Uint8Array;
}

/** Parses `PRIVATE+KEY+<name>+<hex>+<base64(type || seed)>` and checks the key id. */
export function parseSignerKey(text: string, type: number): Ed25519Signing {
  if (typeof text !== 'string') throw keyError('a signer key must be a string', 'key');
  const parts = splitKey(text, 5);
  if (parts?.[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw keyError('a signer key starts with PRIVATE+KEY+', 'key');
  const { name, keyId, material } = parseKeyParts(parts[2] ?? '', parts[3] ?? '', parts[4] ?? '', type, SEED_SIZE);
  const privateKey = privateKeyFromSeed(material);
  const publicKey = rawPublicKey(privateKey);
  if (!bytesEqual(keyId, computeKeyId(name, type, publicKey))) {
    throw keyError('the key id does not match the name and key', 'keyId');
  }
  return {
    name,
    keyId,
    publicKey,
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

/** An Ed25519 public key: what a verifier key text decodes to. */
export interface Ed25519Verifying {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Plain Ed25519 verification; false (never a throw) for a malformed signature. */
  readonly verify: (message: Uint8Array, signature: Uint8Array) => boolean;
}

/** Parses `<name>+<hex>+<base64(type || public key)>` and checks the key id. */
export function parseVerifierKey(text: string, type: number): Ed25519Verifying {
  if (typeof text !== 'string') throw keyError('a verifier key must be a string', 'key');
  const parts = splitKey(text, 3);
  if (parts === undefined) throw keyError('a verifier key is <name>+<hex key id>+<base64 key>', 'key');
  const { name, keyId, material } = parseKeyParts(
    parts[0] ?? '',
    parts[1] ?? '',
    parts[2] ?? '',
    type,
    PUBLIC_KEY_SIZE,
  );
  if (!bytesEqual(keyId, computeKeyId(name, type, material))) {
    throw keyError('the key id does not match the name and key', 'keyId');
  }
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromRaw(material);
  } catch (cause) {
    throw new LedgerError('LEDGER_KEY_INVALID', 'the public key is not an Ed25519 key', {
      cause,
      details: { field: 'key' },
    });
  }
  const raw = material.slice();
  return {
    name,
    keyId,
    publicKey: raw,
    verify: (message, signature) => {
      if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_SIZE) return false;
      try {
        return verify(null, message, publicKey, signature);
      } catch {
        return false;
      }
    },
  };
}

/** Splits at the first `count - 1` plus signs (base64 may itself hold plus signs). */
function splitKey(text: string, count: number): string[] | undefined {
  const parts: string[] = [];
  let rest = text;
  for (let i = 0; i < count - 1; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return undefined;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

/** A fresh Ed25519 key pair in both text forms. */
export function generateKeyTexts(name: string, type: number): { signerKey: string; verifierKey: string } {
  if (!isValidKeyName(name)) {
    throw keyError('the key name is empty or has a space, a plus sign or a control character', 'name');
  }
  const seed = new Uint8Array(randomBytes(SEED_SIZE));
  const publicKey = rawPublicKey(privateKeyFromSeed(seed));
  const keyId = toHex(computeKeyId(name, type, publicKey));
  const typeByte = Uint8Array.from([type]);
  return {
    signerKey: `PRIVATE+KEY+${name}+${keyId}+${encodeBase64(concatBytes(typeByte, seed))}`,
    verifierKey: `${name}+${keyId}+${encodeBase64(concatBytes(typeByte, publicKey))}`,
  };
}
