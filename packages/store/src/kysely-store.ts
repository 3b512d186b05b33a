/**
 * @module kysely-store
 * The Store written once against Kysely. The SQLite and PostgreSQL backends differ only in how they
 * open a connection (`sqlite.ts`, `postgres.ts`); every query here runs unchanged on both.
 */
import type { ApiToken, Device, DeviceType, Role, Session, User } from '@ward/core';
import { sql, type Kysely, type Selectable } from 'kysely';
import { guard, StoreError, toStoreError } from './errors.js';
import { chunks } from './batches.js';
import { KyselyFeedSync, type FeedSyncRepository } from './feed-sync-repo.js';
import { KyselyJobs, type JobRepository } from './job-repo.js';
import { KyselyFindings, type FindingRepository } from './finding-repo.js';
import { KyselyInventory, type InventoryRepository } from './inventory-repo.js';
import { migrateToLatest, type MigrationReport } from './migrate.js';
import { KyselyObservations, type ObservationRepository } from './observation-repo.js';
import type { ApiTokensTable, Database, DevicesTable, SessionsTable, UsersTable } from './schema.js';
import { KyselySoftware, type SoftwareRepository } from './software-repo.js';
import { KyselyVulnerabilities, type VulnerabilityRepository } from './vulnerability-repo.js';
import type {
  LedgerBatch,
  LedgerCheckpointRow,
  LedgerLeafRow,
  LedgerNodeRow,
  LedgerRecordRow,
  LedgerRepository,
  DeviceRepository,
  NewApiToken,
  NewDevice,
  NewSession,
  NewUser,
  Page,
  PageRequest,
  SessionRepository,
  SessionWithCsrf,
  Store,
  StoreKind,
  TokenRepository,
  UserCredentials,
  UserPatch,
  UserRepository,
} from './store.js';

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disabledAt: row.disabled_at,
    lastLoginAt: row.last_login_at,
  };
}

function toToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  };
}

function toDevice(row: Selectable<DevicesTable>): Device {
  return {
    id: row.id,
    name: row.name,
    type: row.type as DeviceType,
    manufacturer: row.manufacturer,
    model: row.model,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): readonly [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // fall through to the coded error below
  }
  throw new StoreError('STORE_INVALID_CURSOR', 'the pagination cursor is not one this store issued', {
    details: { field: 'cursor' },
  });
}

function userPatchValues(patch: UserPatch) {
  return {
    updated_at: patch.updatedAt,
    ...(patch.displayName === undefined ? {} : { display_name: patch.displayName }),
    ...(patch.role === undefined ? {} : { role: patch.role }),
    ...(patch.passwordHash === undefined ? {} : { password_hash: patch.passwordHash }),
    ...(patch.disabledAt === undefined ? {} : { disabled_at: patch.disabledAt }),
    ...(patch.lastLoginAt === undefined ? {} : { last_login_at: patch.lastLoginAt }),
  };
}

async function updateUserRow(db: Kysely<Database>, id: string, patch: UserPatch): Promise<User> {
  const row = await db
    .updateTable('users')
    .set(userPatchValues(patch))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) {
    throw new StoreError('STORE_NOT_FOUND', `no user with id ${id}`, { details: { id } });
  }
  return toUser(row);
}

class Users implements UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: StoreKind,
  ) {}

  create(user: NewUser): Promise<User> {
    return guard('create user', async () => {
      const row = await this.db
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username,
          display_name: user.displayName,
          role: user.role,
          password_hash: user.passwordHash,
          created_at: user.createdAt,
          updated_at: user.createdAt,
          disabled_at: null,
          last_login_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    });
  }

  get(id: string): Promise<User | undefined> {
    return guard('get user', async () => {
      const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    });
  }

  getByUsername(username: string): Promise<User | undefined> {
    return guard('get user', async () => {
      const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    });
  }

  credentials(username: string): Promise<UserCredentials | undefined> {
    return guard('get credentials', async () => {
      const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row === undefined ? undefined : { user: toUser(row), passwordHash: row.password_hash };
    });
  }

  list(): Promise<readonly User[]> {
    return guard('list users', async () => {
      const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
      return rows.map(toUser);
    });
  }

  count(): Promise<number> {
    return guard('count users', async () => {
      const row = await this.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    });
  }

  update(id: string, patch: UserPatch): Promise<User> {
    return guard('update user', () => updateUserRow(this.db, id, patch));
  }

  updateKeepingAnAdmin(id: string, patch: UserPatch): Promise<User> {
    return guard('update user', () =>
      this.db.transaction().execute(async (trx) => {
        const activeAdmins = () =>
          trx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null);
        // PostgreSQL: lock the active administrators first, so a concurrent change waits and then
        // sees this one. SQLite: the UPDATE below takes the database's write lock before the count.
        if (this.kind === 'postgres') await activeAdmins().forUpdate().execute();
        const user = await updateUserRow(trx, id, patch);
        if ((await activeAdmins().limit(1).execute()).length === 0) {
          throw new StoreError('STORE_CONFLICT', 'no active administrator would remain', {
            details: { reason: 'last-admin', id },
          });
        }
        return user;
      }),
    );
  }
}

class Tokens implements TokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  create(token: NewApiToken): Promise<ApiToken> {
    return guard('create token', async () => {
      const row = await this.db
        .insertInto('api_tokens')
        .values({
          id: token.id,
          user_id: token.userId,
          name: token.name,
          prefix: token.prefix,
          token_hash: token.tokenHash,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          last_used_at: null,
          revoked_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toToken(row);
    });
  }

  get(id: string): Promise<ApiToken | undefined> {
    return guard('get token', async () => {
      const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toToken(row);
    });
  }

  getByHash(tokenHash: string): Promise<ApiToken | undefined> {
    return guard('get token', async () => {
      const row = await this.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row === undefined ? undefined : toToken(row);
    });
  }

  list(filter: { readonly userId?: string } = {}): Promise<readonly ApiToken[]> {
    return guard('list tokens', async () => {
      let query = this.db.selectFrom('api_tokens').selectAll();
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      return rows.map(toToken);
    });
  }

  revoke(id: string, at: string): Promise<ApiToken> {
    return guard('revoke token', async () => {
      await this.db
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) {
        throw new StoreError('STORE_NOT_FOUND', `no token with id ${id}`, { details: { id } });
      }
      return toToken(row);
    });
  }

  touch(id: string, at: string): Promise<void> {
    return guard('touch token', async () => {
      await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    });
  }
}

class Sessions implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  create(session: NewSession): Promise<Session> {
    return guard('create session', async () => {
      const row = await this.db
        .insertInto('sessions')
        .values({
          id: session.id,
          user_id: session.userId,
          secret_hash: session.secretHash,
          csrf_hash: session.csrfHash,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
          last_seen_at: session.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSession(row);
    });
  }

  getBySecretHash(secretHash: string): Promise<SessionWithCsrf | undefined> {
    return guard('get session', async () => {
      const row = await this.db
        .selectFrom('sessions')
        .selectAll()
        .where('secret_hash', '=', secretHash)
        .executeTakeFirst();
      return row === undefined ? undefined : { session: toSession(row), csrfHash: row.csrf_hash };
    });
  }

  touch(id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    return guard('touch session', async () => {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
        .where('id', '=', id)
        .execute();
    });
  }

  delete(id: string): Promise<void> {
    return guard('delete session', async () => {
      await this.db.deleteFrom('sessions').where('id', '=', id).execute();
    });
  }

  deleteForUser(userId: string): Promise<number> {
    return guard('delete sessions', async () => {
      const result = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  deleteExpired(now: string): Promise<number> {
    return guard('delete expired sessions', async () => {
      const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}

class Devices implements DeviceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  create(device: NewDevice): Promise<Device> {
    return guard('create device', async () => {
      const row = await this.db
        .insertInto('devices')
        .values({
          id: device.id,
          name: device.name,
          type: device.type,
          manufacturer: device.manufacturer,
          model: device.model,
          created_at: device.createdAt,
          updated_at: device.createdAt,
          vendor_key: (device.manufacturer ?? '').trim().toLowerCase(),
          search: [device.name, device.manufacturer ?? '', device.model ?? ''].join(' ').toLowerCase(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDevice(row);
    });
  }

  get(id: string): Promise<Device | undefined> {
    return guard('get device', async () => {
      const row = await this.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toDevice(row);
    });
  }

  list(page: PageRequest): Promise<Page<Device>> {
    return guard('list devices', async () => {
      const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
      let query = this.db.selectFrom('devices').selectAll();
      if (after !== undefined) {
        const [createdAt, id] = after;
        query = query.where((eb) =>
          eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]),
        );
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('id')
        .limit(page.limit + 1)
        .execute();
      const items = rows.slice(0, page.limit).map(toDevice);
      const last = items.at(-1);
      const nextCursor = rows.length > page.limit && last !== undefined ? encodeCursor(last.createdAt, last.id) : null;
      return { items, nextCursor };
    });
  }
}

/** Rows per INSERT: well under SQLite's 32,766 bound variables, with three or four per row. */
const CHUNK = 2000;

export class KyselyLedger implements LedgerRepository {
  constructor(protected readonly db: Kysely<Database>) {}

  size(): Promise<number> {
    return guard('read ledger size', async () => {
      const row = await this.db.selectFrom('ledger_state').select('size').where('id', '=', 1).executeTakeFirstOrThrow();
      return row.size;
    });
  }

  append(batch: LedgerBatch): Promise<void> {
    return guard('append to the ledger', () =>
      this.db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable('ledger_state')
          .set({ size: batch.from + batch.leaves.length })
          .where('id', '=', 1)
          .where('size', '=', batch.from)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) {
          throw new StoreError('STORE_CONFLICT', 'the ledger moved on since this batch was sequenced', {
            details: { reason: 'ledger-moved', from: batch.from },
          });
        }
        for (const part of chunks(batch.leaves, CHUNK)) {
          await trx
            .insertInto('ledger_leaves')
            .values(part.map((l) => ({ idx: l.index, entry: l.entry, leaf_hash: l.leafHash })))
            .execute();
        }
        for (const part of chunks(batch.nodes, CHUNK)) {
          await trx
            .insertInto('ledger_nodes')
            .values(part.map((n) => ({ level: n.level, idx: n.index, hash: n.hash })))
            .execute();
        }
        for (const part of chunks(batch.records, CHUNK)) {
          try {
            await trx
              .insertInto('ledger_records')
              .values(part.map((r) => ({ record_id: r.recordId, version: r.version, leaf_idx: r.leafIndex })))
              .execute();
          } catch (error) {
            const wrapped = toStoreError(error, 'append to the ledger');
            if (wrapped.code !== 'STORE_CONFLICT') throw wrapped;
            throw new StoreError('STORE_CONFLICT', 'a version of this record was already committed', {
              cause: error,
              details: { reason: 'record-version', records: part.map((r) => `${r.recordId}@${String(r.version)}`) },
            });
          }
        }
      }),
    );
  }

  readNodes(ids: readonly { readonly level: number; readonly index: number }[]): Promise<(string | undefined)[]> {
    return guard('read ledger nodes', async () => {
      const found = new Map<string, string>();
      const leafIds = ids.filter((id) => id.level === 0).map((id) => id.index);
      for (const part of chunks(leafIds, 500)) {
        const rows = await this.db
          .selectFrom('ledger_leaves')
          .select(['idx', 'leaf_hash'])
          .where('idx', 'in', part)
          .execute();
        for (const row of rows) found.set(`0:${String(row.idx)}`, row.leaf_hash);
      }
      for (const part of chunks(
        ids.filter((id) => id.level > 0),
        500,
      )) {
        const rows = await this.db
          .selectFrom('ledger_nodes')
          .select(['level', 'idx', 'hash'])
          .where((eb) =>
            eb(
              eb.refTuple('level', 'idx'),
              'in',
              part.map((id) => eb.tuple(id.level, id.index)),
            ),
          )
          .execute();
        for (const row of rows) found.set(`${String(row.level)}:${String(row.idx)}`, row.hash);
      }
      return ids.map((id) => found.get(`${String(id.level)}:${String(id.index)}`));
    });
  }

  nodes(level: number, start: number, end: number): Promise<LedgerNodeRow[]> {
    return guard('read ledger nodes', async () => {
      if (level === 0) {
        const leaves = await this.db
          .selectFrom('ledger_leaves')
          .select(['idx', 'leaf_hash'])
          .where('idx', '>=', start)
          .where('idx', '<', end)
          .orderBy('idx')
          .execute();
        return leaves.map((l) => ({ level: 0, index: l.idx, hash: l.leaf_hash }));
      }
      const rows = await this.db
        .selectFrom('ledger_nodes')
        .select(['level', 'idx', 'hash'])
        .where('level', '=', level)
        .where('idx', '>=', start)
        .where('idx', '<', end)
        .orderBy('idx')
        .execute();
      return rows.map((r) => ({ level: r.level, index: r.idx, hash: r.hash }));
    });
  }

  leaves(start: number, end: number): Promise<LedgerLeafRow[]> {
    return guard('read ledger leaves', async () => {
      const rows = await this.db
        .selectFrom('ledger_leaves')
        .selectAll()
        .where('idx', '>=', start)
        .where('idx', '<', end)
        .orderBy('idx')
        .execute();
      return rows.map((r) => ({ index: r.idx, entry: r.entry, leafHash: r.leaf_hash }));
    });
  }

  saveCheckpoint(checkpoint: LedgerCheckpointRow): Promise<void> {
    return guard('save checkpoint', async () => {
      await this.db
        .insertInto('ledger_checkpoints')
        .values({ size: checkpoint.size, note: checkpoint.note, created_at: checkpoint.createdAt })
        .onConflict((oc) => oc.column('size').doNothing())
        .execute();
    });
  }

  latestCheckpoint(): Promise<LedgerCheckpointRow | undefined> {
    return guard('read checkpoint', async () => {
      const row = await this.db
        .selectFrom('ledger_checkpoints')
        .selectAll()
        .orderBy('size', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : { size: row.size, note: row.note, createdAt: row.created_at };
    });
  }

  checkpoint(size: number): Promise<LedgerCheckpointRow | undefined> {
    return guard('read checkpoint', async () => {
      const row = await this.db
        .selectFrom('ledger_checkpoints')
        .selectAll()
        .where('size', '=', size)
        .executeTakeFirst();
      return row === undefined ? undefined : { size: row.size, note: row.note, createdAt: row.created_at };
    });
  }

  checkpoints(): Promise<LedgerCheckpointRow[]> {
    return guard('read checkpoints', async () => {
      const rows = await this.db.selectFrom('ledger_checkpoints').selectAll().orderBy('size', 'desc').execute();
      return rows.map((row) => ({ size: row.size, note: row.note, createdAt: row.created_at }));
    });
  }

  recordVersions(recordId: string): Promise<LedgerRecordRow[]> {
    return guard('read record versions', async () => {
      const rows = await this.db
        .selectFrom('ledger_records')
        .selectAll()
        .where('record_id', '=', recordId)
        .orderBy('version')
        .execute();
      return rows.map((r) => ({ recordId: r.record_id, version: r.version, leafIndex: r.leaf_idx }));
    });
  }
}

/** A Store over an open Kysely instance; `onClose` releases what the backend holds besides it. */
export class KyselyStore implements Store {
  readonly users: UserRepository;
  readonly tokens: TokenRepository;
  readonly sessions: SessionRepository;
  readonly devices: DeviceRepository;
  readonly inventory: InventoryRepository;
  readonly ledger: LedgerRepository;
  readonly observations: ObservationRepository;
  readonly software: SoftwareRepository;
  readonly vulnerabilities: VulnerabilityRepository;
  readonly feedSync: FeedSyncRepository;
  readonly jobs: JobRepository;
  readonly findings: FindingRepository;
  #closed = false;

  constructor(
    readonly kind: StoreKind,
    readonly location: string,
    private readonly db: Kysely<Database>,
    private readonly options: {
      readonly schema?: string;
      readonly onClose?: () => Promise<void>;
      /** A backend's own ledger (a faster append path) instead of the shared one. */
      readonly ledger?: LedgerRepository;
    } = {},
  ) {
    this.users = new Users(db, kind);
    this.tokens = new Tokens(db);
    this.sessions = new Sessions(db);
    this.devices = new Devices(db);
    this.inventory = new KyselyInventory(db, kind);
    this.ledger = options.ledger ?? new KyselyLedger(db);
    this.observations = new KyselyObservations(db);
    this.software = new KyselySoftware(db);
    this.vulnerabilities = new KyselyVulnerabilities(db);
    this.feedSync = new KyselyFeedSync(db);
    this.jobs = new KyselyJobs(db);
    this.findings = new KyselyFindings(db);
  }

  migrate(): Promise<MigrationReport> {
    return migrateToLatest(this.db as Kysely<unknown>, undefined, this.options.schema);
  }

  ping(): Promise<void> {
    return guard('ping', async () => {
      await sql`select 1`.execute(this.db);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
    await this.options.onClose?.();
  }
}
