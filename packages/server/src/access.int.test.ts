import { randomBytes } from 'node:crypto';
import { openPostgresStore } from '@ward/store';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { describeAccessWalk } from './access.suite.js';

const url = process.env.WARD_TEST_PG_URL;

if (url === undefined || url === '') {
  console.warn('PostgreSQL access walk skipped: WARD_TEST_PG_URL is not set.');
  describe.skip('access control on every route (PostgreSQL; WARD_TEST_PG_URL unset)', () => {
    it('needs WARD_TEST_PG_URL', () => undefined);
  });
} else {
  const schema = `ward_test_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: url });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  describeAccessWalk('PostgreSQL', () => openPostgresStore({ url, schema }));
}
