/**
 * @module auth/password
 * Password hashing with argon2id (RFC 9106) and the password policy. Parameters follow OWASP's
 * Password Storage Cheat Sheet (m = 19 MiB, t = 2, p = 1); hashes made with other parameters are
 * upgraded on the next successful login.
 */
import argon2 from 'argon2';
import { AuthError } from '../errors.js';

const PARAMS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** Throws AUTH_WEAK_PASSWORD when `password` fails the policy (length; not the username). */
export function checkPasswordPolicy(password: string, username?: string, field = 'password'): void {
  // Length in characters as people count them (grapheme clusters), not UTF-16 code units.
  const length = Array.from(new Intl.Segmenter().segment(password)).length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new AuthError('AUTH_WEAK_PASSWORD', `passwords need at least ${String(MIN_PASSWORD_LENGTH)} characters`, {
      details: { field },
    });
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new AuthError('AUTH_WEAK_PASSWORD', `passwords may have at most ${String(MAX_PASSWORD_LENGTH)} characters`, {
      details: { field },
    });
  }
  if (username !== undefined && password.toLowerCase().includes(username.toLowerCase())) {
    throw new AuthError('AUTH_WEAK_PASSWORD', 'a password may not contain the username', {
      details: { field },
    });
  }
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, PARAMS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash verifies nothing.
    return false;
  }
}

export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, PARAMS);
  } catch {
    return true;
  }
}

/**
 * A hash of a random password, verified against when the username does not exist, so that an
 * unknown username costs the same time as a wrong password.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${String(Math.random())}-${String(Date.now())}`);
  return decoy;
}
