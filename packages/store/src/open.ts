/**
 * @module open
 * Chooses the backend from configuration: PostgreSQL when a database URL is given, otherwise the
 * embedded SQLite file in the data folder.
 */
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  readonly databaseSchema?: string | undefined;
  /** SQLite only: hold the data folder's lock (one server per folder). */
  readonly exclusive?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    return openPostgresStore({
      url: options.databaseUrl,
      ...(options.databaseSchema === undefined ? {} : { schema: options.databaseSchema }),
    });
  }
  return openSqliteStore({ dataDir: options.dataDir, exclusive: options.exclusive ?? false });
}
