/**
 * @module migrate
 * Runs pending migrations through Kysely's Migrator, which takes a lock and wraps every pending
 * migration in one transaction on both backends (both support transactional DDL): a failure rolls
 * the database back to where it was.
 */
import { Migrator, type Kysely, type Migration } from 'kysely';
import { StoreError } from './errors.js';
import { MIGRATIONS } from './migrations/index.js';

export interface MigrationReport {
  /** Migrations applied by this call, in order. */
  readonly applied: readonly string[];
  /** Every migration now recorded in the database. */
  readonly current: readonly string[];
}

export const MIGRATION_TABLE = 'ward_migration';
export const MIGRATION_LOCK_TABLE = 'ward_migration_lock';

export async function migrateToLatest(
  db: Kysely<unknown>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
  schema?: string,
): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    // Without a schema Kysely looks for its tables in every schema and may find another Ward's.
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    throw new StoreError(
      'STORE_MIGRATION_FAILED',
      failed === undefined
        ? `migration failed: ${error instanceof Error ? error.message : 'unknown error'}`
        : `migration ${failed} failed; the database was rolled back to its state before this run`,
      { cause: error, details: failed === undefined ? {} : { migration: failed } },
    );
  }
  const current = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined).map((m) => m.name);
  return { applied: results.map((r) => r.migrationName), current };
}
