import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ward } from './test-helpers.js';

const url = process.env.WARD_TEST_PG_URL;

if (url === undefined || url === '') {
  console.warn('PostgreSQL CLI tests skipped: WARD_TEST_PG_URL is not set.');
  describe.skip('ward CLI on PostgreSQL (WARD_TEST_PG_URL unset)', () => {
    it('needs WARD_TEST_PG_URL', () => undefined);
  });
} else {
  const schema = `ward_test_${randomBytes(6).toString('hex')}`;
  const env = { WARD_DATABASE_URL: url, WARD_DATABASE_SCHEMA: schema };
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: url });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  describe('ward CLI on PostgreSQL', () => {
    it('migrates, adds a user and creates a token in the configured schema', async () => {
      const migrated = await ward(['db', 'migrate', '--json'], { env });
      expect(migrated.code).toBe(0);
      expect(migrated.json()).toMatchObject({
        store: 'postgres',
        applied: ['0001-accounts-and-devices', '0002-ledger', '0003-inventory'],
      });
      expect(String(migrated.json().location)).toContain(`schema ${schema}`);
      const added = await ward(['user', 'add', 'pg-analyst', '--role', 'security-analyst', '--json'], { env });
      expect(added.code).toBe(0);
      const token = await ward(['token', 'create', '--user', 'pg-analyst', '--name', 'siem', '--json'], { env });
      expect(token.code).toBe(0);
      const list = await ward(['user', 'list', '--json', '--database-url', url], {
        env: { WARD_DATABASE_SCHEMA: schema },
      });
      expect(list.json<{ items: { username: string }[] }>().items.map((u) => u.username)).toEqual(['pg-analyst']);
    });
  });
}
