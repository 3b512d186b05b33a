/**
 * @module auth/secrets
 * Random secrets (API tokens, session ids, CSRF tokens) and how they are stored: only a SHA-256
 * digest, compared in constant time. These secrets carry 256 bits of entropy, so a fast hash is
 * the right tool here (unlike passwords).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'ward_';

/** 32 random bytes, base64url. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newApiTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomSecret()}`;
}

/** The part of a token that may be shown again later so people can tell tokens apart. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, TOKEN_PREFIX.length + 8);
}

export function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A random password for a first administrator: 24 characters from an unambiguous alphabet. */
export function randomPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(24);
  let out = '';
  for (const byte of bytes) out += alphabet.charAt(byte % alphabet.length);
  return out;
}

/**
 * The CSRF token of a session, derived from the session's secret so that the page can be given it
 * again after a reload. Only a holder of the (HttpOnly) cookie's value can compute it.
 */
export function csrfTokenOf(sessionSecret: string): string {
  return Buffer.from(digest(`ward-csrf:${sessionSecret}`), 'hex').toString('base64url');
}
