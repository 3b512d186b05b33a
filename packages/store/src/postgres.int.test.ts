import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore, redactUrl } from './postgres.js';
import { MIGRATIONS } from './migrations/index.js';
import { describeInventoryConformance } from './inventory.suite.js';
import { describeObservationConformance } from './observation.suite.js';
import { describeSoftwareConformance } from './software.suite.js';
import { describeVulnerabilityConformance } from './vulnerability.suite.js';
import { describeFeedSyncConformance } from './feed-sync.suite.js';
import { describeJobsConformance } from './jobs.suite.js';
import { describeStoreConformance, expectFailedMigrationRollsBack } from './store.suite.js';

const url = process.env.WARD_TEST_PG_URL;
const schemas: string[] = [];
const freshSchema = (): string => {
  const name = `ward_test_${randomBytes(6).toString('hex')}`;
  schemas.push(name);
  return name;
};

if (url === undefined || url === '') {
  console.warn(
    'PostgreSQL store tests skipped: WARD_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test).',
  );
  describe.skip('Store conformance: PostgreSQL (WARD_TEST_PG_URL unset)', () => {
    it('needs WARD_TEST_PG_URL', () => undefined);
  });
} else {
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: url });
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  describeStoreConformance('PostgreSQL', () => openPostgresStore({ url, schema: freshSchema() }));
  describeObservationConformance('PostgreSQL', () => openPostgresStore({ url, schema: freshSchema() }));
  describeInventoryConformance('PostgreSQL', () => openPostgresStore({ url, schema: freshSchema() }));
  describeSoftwareConformance('PostgreSQL', () => openPostgresStore({ url, schema: freshSchema() }));
  describeVulnerabilityConformance('PostgreSQL', () => openPostgresStore({ url, schema: freshSchema() }));
  describeFeedSyncConformance('PostgreSQL', () => openPostgresStore({ url, schema: freshSchema() }));
  describeJobsConformance('PostgreSQL', () => openPostgresStore({ url, schema: freshSchema() }));

  describe('PostgreSQL backend', () => {
    it('rolls a failed migration back', async () => {
      const schema = freshSchema();
      const setup = await openPostgresStore({ url, schema });
      await setup.close();
      const db = new Kysely<unknown>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` }),
        }),
      });
      try {
        await expectFailedMigrationRollsBack(db, schema);
      } finally {
        await db.destroy();
      }
    });

    it('reports an unreachable server as STORE_UNAVAILABLE', async () => {
      // Port 1 on loopback: nothing listens there.
      await expect(openPostgresStore({ url: 'postgres://ward@127.0.0.1:1/none' })).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
    });

    it('migrates in the current schema when none is configured, beside another Ward in another schema', async () => {
      const database = `ward_test_db_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Pool({ connectionString: url });
      await admin.query(`CREATE DATABASE "${database}"`);
      const dbUrl = new URL(url);
      dbUrl.pathname = `/${database}`;
      try {
        const other = await openPostgresStore({ url: dbUrl.toString(), schema: 'site_b' });
        await other.migrate();
        await other.close();
        const store = await openPostgresStore({ url: dbUrl.toString() });
        try {
          expect(store.location).toContain('(schema public)');
          expect((await store.migrate()).applied).toEqual(Object.keys(MIGRATIONS).sort());
          expect((await store.migrate()).applied).toEqual([]);
          await store.users.create({
            id: 'u1',
            username: 'only-in-public',
            displayName: null,
            role: 'auditor',
            passwordHash: null,
            createdAt: '2026-01-01T00:00:00.000Z',
          });
          expect(await store.users.count()).toBe(1);
        } finally {
          await store.close();
        }
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.end();
      }
    });

    it('refuses a URL of another scheme and never prints a password', async () => {
      await expect(openPostgresStore({ url: 'mysql://x@y/z' })).rejects.toMatchObject({
        code: 'STORE_CONFIG_INVALID',
      });
      expect(redactUrl('postgres://ward:s3cret@db:5432/ward')).toBe('postgres://ward:***@db:5432/ward');
    });
  });
}
