/**
 * @module store
 * The one persistence interface of Ward. Backends (SQLite, PostgreSQL) implement it; the same
 * conformance suite (`store.suite.ts`) runs against each. Nothing outside this package speaks SQL.
 */
import type { ApiToken, Device, DeviceType, Role, Session, User } from '@ward/core';
import type { FeedSyncRepository } from './feed-sync-repo.js';
import type { InventoryRepository } from './inventory-repo.js';
import type { JobRepository } from './job-repo.js';
import type { FindingRepository } from './finding-repo.js';
import type { MigrationReport } from './migrate.js';
import type { ObservationRepository } from './observation-repo.js';
import type { SoftwareRepository } from './software-repo.js';
import type { VulnerabilityRepository } from './vulnerability-repo.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface NewUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string | null;
  readonly role: Role;
  readonly passwordHash: string | null;
  readonly createdAt: string;
}

export interface UserPatch {
  readonly displayName?: string | null;
  readonly role?: Role;
  readonly passwordHash?: string | null;
  readonly disabledAt?: string | null;
  readonly lastLoginAt?: string | null;
  readonly updatedAt: string;
}

/** A user with the password hash, for the few callers that verify passwords. */
export interface UserCredentials {
  readonly user: User;
  readonly passwordHash: string | null;
}

export interface UserRepository {
  /** @throws StoreError STORE_CONFLICT when the username is taken. */
  create(user: NewUser): Promise<User>;
  get(id: string): Promise<User | undefined>;
  getByUsername(username: string): Promise<User | undefined>;
  credentials(username: string): Promise<UserCredentials | undefined>;
  list(): Promise<readonly User[]>;
  count(): Promise<number>;
  /** @throws StoreError STORE_NOT_FOUND when no such user exists. */
  update(id: string, patch: UserPatch): Promise<User>;
  /**
   * Like `update`, in one transaction that fails with STORE_CONFLICT (`details.reason:
   * 'last-admin'`) and changes nothing when no active administrator would remain — also when two
   * such changes race.
   */
  updateKeepingAnAdmin(id: string, patch: UserPatch): Promise<User>;
}

export interface NewApiToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly prefix: string;
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

export interface TokenRepository {
  /** @throws StoreError STORE_CONFLICT for a duplicate id or hash, or an unknown user. */
  create(token: NewApiToken): Promise<ApiToken>;
  get(id: string): Promise<ApiToken | undefined>;
  getByHash(tokenHash: string): Promise<ApiToken | undefined>;
  list(filter?: { readonly userId?: string }): Promise<readonly ApiToken[]>;
  /** Marks a token revoked; revoking twice keeps the first time. @throws STORE_NOT_FOUND */
  revoke(id: string, at: string): Promise<ApiToken>;
  touch(id: string, at: string): Promise<void>;
}

export interface NewSession {
  readonly id: string;
  readonly userId: string;
  readonly secretHash: string;
  readonly csrfHash: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface SessionWithCsrf {
  readonly session: Session;
  readonly csrfHash: string;
}

export interface SessionRepository {
  create(session: NewSession): Promise<Session>;
  getBySecretHash(secretHash: string): Promise<SessionWithCsrf | undefined>;
  touch(id: string, lastSeenAt: string, expiresAt: string): Promise<void>;
  delete(id: string): Promise<void>;
  deleteForUser(userId: string): Promise<number>;
  deleteExpired(now: string): Promise<number>;
}

export interface NewDevice {
  readonly id: string;
  readonly name: string;
  readonly type: DeviceType;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly createdAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  readonly nextCursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface DeviceRepository {
  create(device: NewDevice): Promise<Device>;
  get(id: string): Promise<Device | undefined>;
  /** Oldest first, keyset-paginated. @throws StoreError STORE_INVALID_CURSOR for a cursor it did not issue. */
  list(page: PageRequest): Promise<Page<Device>>;
}

/** A perfect-subtree node of the ledger's Merkle tree: level 0 holds leaf hashes. */
export interface LedgerNodeRow {
  readonly level: number;
  readonly index: number;
  /** SHA-256, lower-case hex. */
  readonly hash: string;
}

export interface LedgerLeafRow {
  readonly index: number;
  /** The entry as stored: canonical JSON. */
  readonly entry: string;
  readonly leafHash: string;
}

export interface LedgerRecordRow {
  readonly recordId: string;
  readonly version: number;
  readonly leafIndex: number;
}

/**
 * One sequenced batch: leaves `from`…`from + leaves.length - 1` and the interior nodes (level ≥ 1)
 * they complete. Level 0 is the leaves' own hashes: it is stored once, with the leaves.
 */
export interface LedgerBatch {
  readonly from: number;
  readonly leaves: readonly LedgerLeafRow[];
  readonly nodes: readonly LedgerNodeRow[];
  readonly records: readonly LedgerRecordRow[];
}

export interface LedgerCheckpointRow {
  readonly size: number;
  readonly note: string;
  readonly createdAt: string;
}

/**
 * Append-only storage of the integrity ledger. It keeps what the ledger package computes; it does
 * no hashing of its own. Nothing here updates or deletes a leaf, a node or a checkpoint.
 */
export interface LedgerRepository {
  size(): Promise<number>;
  /**
   * Stores a batch atomically, only if the ledger still has `from` leaves: STORE_CONFLICT
   * (`details.reason: 'ledger-moved'`) when another sequencer got there first, or
   * (`'record-version'`) when a record version was already committed. Nothing is written then.
   */
  append(batch: LedgerBatch): Promise<void>;
  /** Hashes of the nodes asked for, in order (level 0: leaf hashes); undefined for one not stored. */
  readNodes(ids: readonly { readonly level: number; readonly index: number }[]): Promise<(string | undefined)[]>;
  /** Nodes of one level with index in [start, end), in index order. */
  nodes(level: number, start: number, end: number): Promise<LedgerNodeRow[]>;
  /** Leaves with index in [start, end), in index order. */
  leaves(start: number, end: number): Promise<LedgerLeafRow[]>;
  saveCheckpoint(checkpoint: LedgerCheckpointRow): Promise<void>;
  latestCheckpoint(): Promise<LedgerCheckpointRow | undefined>;
  checkpoint(size: number): Promise<LedgerCheckpointRow | undefined>;
  /** Every checkpoint, newest first. */
  checkpoints(): Promise<LedgerCheckpointRow[]>;
  recordVersions(recordId: string): Promise<LedgerRecordRow[]>;
}

export interface Store {
  readonly kind: StoreKind;
  /** Where the data lives, for people: a folder for SQLite, the URL without password for PostgreSQL. */
  readonly location: string;
  readonly users: UserRepository;
  readonly tokens: TokenRepository;
  readonly sessions: SessionRepository;
  readonly devices: DeviceRepository;
  /** The device inventory with provenance (`inventory-repo.ts`); `devices` is its minimal view. */
  readonly inventory: InventoryRepository;
  readonly ledger: LedgerRepository;
  readonly observations: ObservationRepository;
  /** SBOMs attached to device models and firmware, and VEX decisions. */
  readonly software: SoftwareRepository;
  /** Imported vulnerability feeds, KEV and EPSS. */
  readonly vulnerabilities: VulnerabilityRepository;
  /** Where `ward feeds sync` stands per source and document. */
  readonly feedSync: FeedSyncRepository;
  /** The scheduled jobs of `ward serve`: schedules, last runs and leases. */
  readonly jobs: JobRepository;
  /** Findings with ids, open or closed, written by difference (`finding-repo.ts`). */
  readonly findings: FindingRepository;
  migrate(): Promise<MigrationReport>;
  /** Resolves when the database answers a trivial query. @throws StoreError STORE_UNAVAILABLE */
  ping(): Promise<void>;
  close(): Promise<void>;
}
