/**
 * @module store.suite
 * The conformance suite every Store backend must pass. A backend's test file calls
 * `describeStoreConformance` with a factory that opens a fresh, empty store.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations/index.js';
import { migrateToLatest } from './migrate.js';
import type { NewDevice, NewUser, Store } from './store.js';

const T0 = '2026-01-01T00:00:00.000Z';

function newUser(n: number, overrides: Partial<NewUser> = {}): NewUser {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    username: `user${String(n)}`,
    displayName: `User ${String(n)}`,
    role: 'clinical-engineer',
    passwordHash: `$argon2id$fake-hash-${String(n)}`,
    createdAt: T0,
    ...overrides,
  };
}

function newDevice(n: number, createdAt: string): NewDevice {
  return {
    id: `dev-${String(n).padStart(4, '0')}`,
    name: `Infusion pump ${String(n)}`,
    type: 'infusion-pump',
    manufacturer: 'BD',
    model: 'Alaris 8015',
    createdAt,
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

export function describeStoreConformance(label: string, open: () => Promise<Store>): void {
  describe(`Store conformance: ${label}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
    });

    it('migrates forward once and then has nothing left to do', async () => {
      const again = await store.migrate();
      expect(again.applied).toEqual([]);
      expect(again.current).toEqual(Object.keys(MIGRATIONS).sort());
      await store.ping();
    });

    describe('users', () => {
      it('creates, reads, lists and counts users', async () => {
        const a = await store.users.create(newUser(2, { username: 'zed' }));
        await store.users.create(newUser(1, { username: 'amy', role: 'auditor', displayName: null }));
        expect(a).toEqual({
          id: newUser(2).id,
          username: 'zed',
          displayName: 'User 2',
          role: 'clinical-engineer',
          createdAt: T0,
          updatedAt: T0,
          disabledAt: null,
          lastLoginAt: null,
        });
        expect(await store.users.get(a.id)).toEqual(a);
        expect(await store.users.getByUsername('zed')).toEqual(a);
        expect(await store.users.get('missing')).toBeUndefined();
        expect((await store.users.list()).map((u) => u.username)).toEqual(['amy', 'zed']);
        expect(await store.users.count()).toBe(2);
        const creds = await store.users.credentials('zed');
        expect(creds?.passwordHash).toBe('$argon2id$fake-hash-2');
        expect(creds?.user).toEqual(a);
      });

      it('refuses a duplicate username with STORE_CONFLICT and keeps the first', async () => {
        await store.users.create(newUser(1, { username: 'dup' }));
        await expectCode(store.users.create(newUser(2, { username: 'dup' })), 'STORE_CONFLICT');
        expect(await store.users.count()).toBe(1);
        expect((await store.users.getByUsername('dup'))?.id).toBe(newUser(1).id);
      });

      it('updates only the fields given', async () => {
        const u = await store.users.create(newUser(1));
        const later = '2026-02-01T00:00:00.000Z';
        const disabled = await store.users.update(u.id, { disabledAt: later, updatedAt: later });
        expect(disabled).toEqual({ ...u, disabledAt: later, updatedAt: later });
        const roled = await store.users.update(u.id, { role: 'admin', updatedAt: later });
        expect(roled.role).toBe('admin');
        expect(roled.disabledAt).toBe(later);
        await store.users.update(u.id, { passwordHash: 'new', updatedAt: later });
        expect((await store.users.credentials(u.username))?.passwordHash).toBe('new');
        await expectCode(store.users.update('missing', { updatedAt: later }), 'STORE_NOT_FOUND');
      });
    });

    describe('keeping an administrator', () => {
      it('keeps one administrator when changes to every administrator race', async () => {
        const admins = await Promise.all(
          [1, 2, 3, 4, 5, 6].map((n) => store.users.create(newUser(n, { role: 'admin' }))),
        );
        const later = '2026-03-01T00:00:00.000Z';
        const results = await Promise.allSettled(
          admins.map((a, i) =>
            store.users.updateKeepingAnAdmin(
              a.id,
              i % 2 === 0 ? { disabledAt: later, updatedAt: later } : { role: 'auditor', updatedAt: later },
            ),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
        const refused = results.find((r) => r.status === 'rejected');
        expect(refused?.reason).toMatchObject({ code: 'STORE_CONFLICT', details: { reason: 'last-admin' } });
        const active = (await store.users.list()).filter((u) => u.role === 'admin' && u.disabledAt === null);
        expect(active).toHaveLength(1);
      });

      it('changes nothing when refused, and allows changes that keep one', async () => {
        const a = await store.users.create(newUser(1, { role: 'admin' }));
        const later = '2026-03-01T00:00:00.000Z';
        await expect(
          store.users.updateKeepingAnAdmin(a.id, { role: 'auditor', updatedAt: later }),
        ).rejects.toMatchObject({
          code: 'STORE_CONFLICT',
        });
        expect(await store.users.get(a.id)).toEqual(a);
        const b = await store.users.create(newUser(2));
        const renamed = await store.users.updateKeepingAnAdmin(b.id, { displayName: 'B', updatedAt: later });
        expect(renamed.displayName).toBe('B');
        await expect(store.users.updateKeepingAnAdmin('missing', { updatedAt: later })).rejects.toMatchObject({
          code: 'STORE_NOT_FOUND',
        });
      });
    });

    describe('tokens', () => {
      it('stores tokens by hash, lists them per user and revokes once', async () => {
        const u1 = await store.users.create(newUser(1));
        const u2 = await store.users.create(newUser(2));
        const t1 = await store.tokens.create({
          id: 'tok-1',
          userId: u1.id,
          name: 'sensor site A',
          prefix: 'ward_abc',
          tokenHash: 'h1',
          createdAt: T0,
          expiresAt: null,
        });
        await store.tokens.create({
          id: 'tok-2',
          userId: u2.id,
          name: 'siem',
          prefix: 'ward_def',
          tokenHash: 'h2',
          createdAt: T0,
          expiresAt: '2027-01-01T00:00:00.000Z',
        });
        expect(t1).toMatchObject({ id: 'tok-1', lastUsedAt: null, revokedAt: null, expiresAt: null });
        expect(t1).not.toHaveProperty('tokenHash');
        expect(await store.tokens.getByHash('h1')).toEqual(t1);
        expect(await store.tokens.getByHash('nope')).toBeUndefined();
        expect((await store.tokens.list()).map((t) => t.id)).toEqual(['tok-1', 'tok-2']);
        expect((await store.tokens.list({ userId: u2.id })).map((t) => t.id)).toEqual(['tok-2']);

        await store.tokens.touch('tok-1', '2026-01-02T00:00:00.000Z');
        expect((await store.tokens.get('tok-1'))?.lastUsedAt).toBe('2026-01-02T00:00:00.000Z');

        const revoked = await store.tokens.revoke('tok-1', '2026-01-03T00:00:00.000Z');
        expect(revoked.revokedAt).toBe('2026-01-03T00:00:00.000Z');
        const again = await store.tokens.revoke('tok-1', '2026-01-04T00:00:00.000Z');
        expect(again.revokedAt).toBe('2026-01-03T00:00:00.000Z');
        await expectCode(store.tokens.revoke('missing', T0), 'STORE_NOT_FOUND');
      });

      it('refuses a token for an unknown user or with a hash already used', async () => {
        const u = await store.users.create(newUser(1));
        const base = { name: 'n', prefix: 'p', createdAt: T0, expiresAt: null };
        await expectCode(store.tokens.create({ ...base, id: 't0', userId: 'ghost', tokenHash: 'x' }), 'STORE_CONFLICT');
        await store.tokens.create({ ...base, id: 't1', userId: u.id, tokenHash: 'same' });
        await expectCode(store.tokens.create({ ...base, id: 't2', userId: u.id, tokenHash: 'same' }), 'STORE_CONFLICT');
        expect(await store.tokens.list()).toHaveLength(1);
      });
    });

    describe('sessions', () => {
      it('finds a session by its secret hash, extends it and expires it', async () => {
        const u = await store.users.create(newUser(1));
        const s = await store.sessions.create({
          id: 's1',
          userId: u.id,
          secretHash: 'sh1',
          csrfHash: 'ch1',
          createdAt: T0,
          expiresAt: '2026-01-01T08:00:00.000Z',
        });
        expect(s).toEqual({
          id: 's1',
          userId: u.id,
          createdAt: T0,
          expiresAt: '2026-01-01T08:00:00.000Z',
          lastSeenAt: T0,
        });
        expect(await store.sessions.getBySecretHash('sh1')).toEqual({ session: s, csrfHash: 'ch1' });
        await store.sessions.touch('s1', '2026-01-01T01:00:00.000Z', '2026-01-01T09:00:00.000Z');
        const touched = await store.sessions.getBySecretHash('sh1');
        expect(touched?.session.expiresAt).toBe('2026-01-01T09:00:00.000Z');
        expect(touched?.session.lastSeenAt).toBe('2026-01-01T01:00:00.000Z');

        await store.sessions.create({
          id: 's2',
          userId: u.id,
          secretHash: 'sh2',
          csrfHash: 'ch2',
          createdAt: T0,
          expiresAt: '2026-01-01T02:00:00.000Z',
        });
        expect(await store.sessions.deleteExpired('2026-01-01T05:00:00.000Z')).toBe(1);
        expect(await store.sessions.getBySecretHash('sh2')).toBeUndefined();
        expect(await store.sessions.getBySecretHash('sh1')).toBeDefined();
        expect(await store.sessions.deleteForUser(u.id)).toBe(1);
        expect(await store.sessions.getBySecretHash('sh1')).toBeUndefined();
      });
    });

    describe('ledger', () => {
      const hex = (n: number): string => n.toString(16).padStart(64, '0');
      const batch = (from: number, count: number, records: { recordId: string; version: number }[] = []) => ({
        from,
        leaves: Array.from({ length: count }, (_, i) => ({
          index: from + i,
          entry: `{"n":${String(from + i)}}`,
          leafHash: hex(from + i),
        })),
        nodes: [] as { level: number; index: number; hash: string }[],
        records: records.map((r, i) => ({ ...r, leafIndex: from + i })),
      });

      it('appends batches in order and reads leaves, nodes and records back', async () => {
        expect(await store.ledger.size()).toBe(0);
        await store.ledger.append(batch(0, 3, [{ recordId: 'rec-1', version: 1 }]));
        await store.ledger.append({
          ...batch(3, 2, [{ recordId: 'rec-1', version: 2 }]),
          nodes: [
            { level: 1, index: 0, hash: hex(100) },
            { level: 1, index: 1, hash: hex(101) },
            { level: 2, index: 0, hash: hex(200) },
          ],
        });
        expect(await store.ledger.size()).toBe(5);
        expect((await store.ledger.leaves(1, 4)).map((l) => l.index)).toEqual([1, 2, 3]);
        expect((await store.ledger.leaves(4, 10))[0]).toEqual({ index: 4, entry: '{"n":4}', leafHash: hex(4) });
        expect(
          await store.ledger.readNodes([
            { level: 2, index: 0 },
            { level: 0, index: 4 },
            { level: 1, index: 7 },
          ]),
        ).toEqual([hex(200), hex(4), undefined]);
        expect((await store.ledger.nodes(1, 0, 10)).map((n) => n.hash)).toEqual([hex(100), hex(101)]);
        expect(await store.ledger.recordVersions('rec-1')).toEqual([
          { recordId: 'rec-1', version: 1, leafIndex: 0 },
          { recordId: 'rec-1', version: 2, leafIndex: 3 },
        ]);
        expect(await store.ledger.readNodes([])).toEqual([]);
      });

      it('refuses a batch sequenced against an old size, and a record version committed twice, writing nothing', async () => {
        await store.ledger.append(batch(0, 2, [{ recordId: 'rec-9', version: 1 }]));
        await expect(store.ledger.append(batch(0, 1))).rejects.toMatchObject({
          code: 'STORE_CONFLICT',
          details: { reason: 'ledger-moved' },
        });
        await expect(store.ledger.append(batch(2, 1, [{ recordId: 'rec-9', version: 1 }]))).rejects.toMatchObject({
          code: 'STORE_CONFLICT',
          details: { reason: 'record-version' },
        });
        expect(await store.ledger.size()).toBe(2);
        expect(await store.ledger.leaves(0, 10)).toHaveLength(2);
        expect(await store.ledger.readNodes([{ level: 0, index: 2 }])).toEqual([undefined]);
      });

      it('appends a large batch in one transaction', async () => {
        await store.ledger.append(batch(0, 5000));
        expect(await store.ledger.size()).toBe(5000);
        expect((await store.ledger.readNodes([{ level: 0, index: 4999 }]))[0]).toBe(hex(4999));
      });

      it('keeps checkpoints by size', async () => {
        expect(await store.ledger.latestCheckpoint()).toBeUndefined();
        await store.ledger.saveCheckpoint({ size: 2, note: 'two', createdAt: T0 });
        await store.ledger.saveCheckpoint({ size: 5, note: 'five', createdAt: T0 });
        await store.ledger.saveCheckpoint({ size: 5, note: 'five again', createdAt: T0 });
        expect(await store.ledger.latestCheckpoint()).toEqual({ size: 5, note: 'five', createdAt: T0 });
        expect((await store.ledger.checkpoint(2))?.note).toBe('two');
        expect(await store.ledger.checkpoint(3)).toBeUndefined();
        expect((await store.ledger.checkpoints()).map((c) => c.size)).toEqual([5, 2]);
      });
    });

    describe('devices', () => {
      it('pages through devices in creation order without gaps or repeats', async () => {
        // Three devices share a timestamp so that the id breaks the tie.
        for (let n = 0; n < 25; n += 1) {
          const minute = String(Math.min(n, 20)).padStart(2, '0');
          await store.devices.create(newDevice(n, `2026-01-01T00:${minute}:00.000Z`));
        }
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.devices.list({ limit: 10, cursor });
          seen.push(...page.items.map((d) => d.id));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor !== undefined);
        expect(pages).toBe(3);
        expect(seen).toEqual(Array.from({ length: 25 }, (_, n) => newDevice(n, T0).id));
        const one = await store.devices.get('dev-0003');
        expect(one).toMatchObject({ name: 'Infusion pump 3', type: 'infusion-pump', model: 'Alaris 8015' });
      });

      it('returns an empty first page with no cursor on an empty inventory', async () => {
        expect(await store.devices.list({ limit: 50 })).toEqual({ items: [], nextCursor: null });
      });

      it('rejects a cursor it did not issue', async () => {
        await expectCode(store.devices.list({ limit: 10, cursor: 'not-a-cursor' }), 'STORE_INVALID_CURSOR');
      });
    });
  });
}

/**
 * Given a Kysely over an empty database: a run whose last migration fails must leave the database
 * exactly as it was (all pending migrations share one transaction), and a later good run applies.
 */
export async function expectFailedMigrationRollsBack(db: Kysely<unknown>, schema?: string): Promise<void> {
  const failing: Migration = {
    async up(trx) {
      await trx.schema.createTable('half_written').addColumn('id', 'text').execute();
      await sql`insert into half_written (id) values ('x')`.execute(trx);
      await sql`select * from table_that_does_not_exist`.execute(trx);
    },
  };
  const tableNames = async (): Promise<string[]> =>
    (await db.introspection.getTables())
      .filter((t) => schema === undefined || t.schema === schema)
      .map((t) => t.name)
      .filter((n) => !n.startsWith('ward_migration'));
  const broken = { ...MIGRATIONS, '9999-broken': failing };

  // On an empty database, the good migrations in the same run are rolled back too.
  await expect(migrateToLatest(db, broken, schema)).rejects.toMatchObject({
    code: 'STORE_MIGRATION_FAILED',
    details: { migration: '9999-broken' },
  });
  expect(await tableNames()).toEqual([]);

  const good = await migrateToLatest(db, undefined, schema);
  expect(good.applied).toEqual(Object.keys(MIGRATIONS).sort());
  const before = (await tableNames()).sort();

  // On a migrated database, the failed one leaves it exactly as it was.
  await expect(migrateToLatest(db, broken, schema)).rejects.toMatchObject({ code: 'STORE_MIGRATION_FAILED' });
  expect((await tableNames()).sort()).toEqual(before);
  expect((await migrateToLatest(db, undefined, schema)).current).toEqual(Object.keys(MIGRATIONS).sort());
}
