/**
 * @module account
 * People and machines that act on Ward: users, their API tokens and browser sessions. Secrets are
 * never part of these records; only their hashes are, and only where the store needs them.
 */
import type { Role } from './access.js';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string | null;
  readonly role: Role;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly disabledAt: string | null;
  readonly lastLoginAt: string | null;
}

export interface ApiToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** The first characters of the secret, shown so a person can tell tokens apart. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastSeenAt: string;
}
