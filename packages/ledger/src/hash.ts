/**
 * @module hash
 * RFC 9162 §2.1.1 hashing: SHA-256 with domain separation between leaves (0x00) and interior
 * nodes (0x01), the empty-tree root, and hex conversion of hashes.
 */
import { createHash } from 'node:crypto';
import { isUint8Array } from './bytes.js';
import { LedgerError } from './errors.js';

/** A SHA-256 hash: always 32 bytes. */
export type Hash = Uint8Array;

export const HASH_SIZE = 32;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** A Uint8Array view of a Buffer's bytes, without copying them. */
function view(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

function sha256(...parts: readonly Uint8Array[]): Hash {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return view(h.digest());
}

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = sha256();

/** True when `value` is a 32-byte Uint8Array. */
export function isHash(value: unknown): value is Hash {
  return isUint8Array(value) && value.length === HASH_SIZE;
}

export function assertHash(value: unknown, field: string): asserts value is Hash {
  if (!isHash(value)) {
    throw new LedgerError('LEDGER_INPUT_INVALID', `${field} must be a 32-byte hash`, { details: { field } });
  }
}

/** MTH({d}) = SHA-256(0x00 || d). */
export function hashLeaf(entry: Uint8Array): Hash {
  if (!isUint8Array(entry)) {
    throw new LedgerError('LEDGER_INPUT_INVALID', 'a leaf entry must be a Uint8Array', { details: { field: 'entry' } });
  }
  return sha256(LEAF_PREFIX, entry);
}

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function hashChildren(left: Hash, right: Hash): Hash {
  assertHash(left, 'left');
  assertHash(right, 'right');
  return sha256(NODE_PREFIX, left, right);
}

/** Lower-case hex of any byte string. */
export function toHex(h: Uint8Array): string {
  if (!isUint8Array(h)) {
    throw new LedgerError('LEDGER_INPUT_INVALID', 'toHex needs a Uint8Array', { details: { field: 'hash' } });
  }
  return Buffer.from(h.buffer, h.byteOffset, h.length).toString('hex');
}

/** Parses 64 hex digits (either case) into a 32-byte hash. */
export function fromHex(s: string): Hash {
  if (typeof s !== 'string' || !/^[0-9a-fA-F]{64}$/.test(s)) {
    throw new LedgerError('LEDGER_INPUT_INVALID', 'a hash must be 64 hex digits', {
      details: { field: 'hash', length: typeof s === 'string' ? s.length : null },
    });
  }
  return view(Buffer.from(s, 'hex'));
}
