/**
 * @module context
 * What every command shares: reading configuration from flags, environment and file through the
 * server's one schema, opening the store, and printing results as text or JSON.
 */
import { Option, type Command } from 'commander';
import { loadConfig, type WardConfig } from '@ward/server';
import { openStore, type Store } from '@ward/store';
import type { CliIo } from './io.js';

export interface StoreFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly databaseUrl?: string;
  readonly json?: boolean;
}

/** Adds the options of every command that touches the store. */
export function storeOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data folder of the embedded SQLite store (env WARD_DATA_DIR)')
    .option('--database-url <url>', 'use PostgreSQL instead: postgres://… (env WARD_DATABASE_URL)')
    .option('--config <file>', 'JSON configuration file (env WARD_CONFIG)')
    .addOption(new Option('--json', 'print machine-readable JSON'));
}

export function configFrom(io: CliIo, flags: StoreFlags, extra: Record<string, unknown> = {}): WardConfig {
  return loadConfig({
    file: flags.config,
    env: io.env,
    flags: { dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, ...extra },
  });
}

/**
 * Opens the store for a command and always closes it. Migrates first when autoMigrate is on, unless
 * the command migrates itself (`migrate: false`).
 */
export async function withStore<T>(
  io: CliIo,
  flags: StoreFlags,
  fn: (store: Store) => Promise<T>,
  options: { readonly migrate?: boolean } = {},
): Promise<T> {
  const config = configFrom(io, flags);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
  });
  try {
    if (config.autoMigrate && options.migrate !== false) await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Prints `value` as one JSON document when --json was given, else the text `human()` makes. */
export function emit(io: CliIo, flags: { readonly json?: boolean }, value: unknown, human: () => string): void {
  io.stdout(flags.json === true ? `${JSON.stringify(value, null, 2)}\n` : human());
}
