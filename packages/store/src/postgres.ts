/**
 * @module postgres
 * The shared backend for a health system: PostgreSQL through `pg`. An optional schema isolates one
 * Ward (or one test run) from others in the same database.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { StoreError, toStoreError } from './errors.js';
import { KyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

export interface PostgresStoreOptions {
  /** `postgres://user[:password]@host:port/database` */
  readonly url: string;
  /** A schema to keep Ward's tables in; created when missing. Default: the server's search_path. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

function int8AsNumber(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  return types;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The URL with its password removed, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch (error) {
    throw new StoreError('STORE_CONFIG_INVALID', 'the database URL is not a valid URL', {
      cause: error,
      details: { field: 'databaseUrl' },
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreError('STORE_CONFIG_INVALID', 'the database URL must start with postgres://', {
      details: { field: 'databaseUrl', protocol: parsed.protocol },
    });
  }
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError('STORE_CONFIG_INVALID', `schema name ${JSON.stringify(schema)} is not allowed`, {
      details: { field: 'schema' },
    });
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5000,
    // bigint (int8) columns hold leaf indices and tree sizes, all below 2^53: read them as numbers.
    types: int8AsNumber(),
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client that loses its server emits 'error'; the next query reports it as a StoreError.
  pool.on('error', () => undefined);
  // The migrator must be told the schema: without one it looks for its tables in every schema of
  // the database and can find another Ward's. Without a configured schema, use the current one.
  let migrationSchema: string;
  try {
    if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const current = await pool.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    migrationSchema = schema ?? current.rows[0]?.schema ?? 'public';
  } catch (error) {
    await pool.end();
    throw toStoreError(error, 'open PostgreSQL');
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const location = `${redactUrl(options.url)} (schema ${migrationSchema})`;
  return new KyselyStore('postgres', location, db, { schema: migrationSchema });
}
