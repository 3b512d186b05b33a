/**
 * @module context
 * What every command shares: reading configuration from flags, environment and file through the
 * one schema, opening the store or the application services, and printing results as text or JSON.
 */
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import { WardClient } from '@ward/client';
import { WardServices, cliActor, ledgerKeysFor, loadConfig, type Actor, type WardConfig } from '@ward/services';
import { openStore, type Store } from '@ward/store';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

export interface StoreFlags {
  readonly server?: string;
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

/** The operating-system user running the command, as the actor the audit trail names. */
export function osActor(io: CliIo): Actor {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = io.env.USER ?? io.env.LOGNAME;
  }
  return cliActor(name ?? 'unknown');
}

/**
 * Runs `fn` with the application services over the command's store, acting as the operating-system
 * user. Every change they commit reaches the integrity ledger (signed with the configured ledger
 * key) before the command returns.
 */
export async function withServices<T>(
  io: CliIo,
  flags: StoreFlags,
  fn: (services: WardServices, actor: Actor) => Promise<T>,
): Promise<T> {
  const config = configFrom(io, flags);
  return withStore(io, flags, async (store) => {
    const failures: unknown[] = [];
    const services = new WardServices({
      store,
      ledgerKeys: await ledgerKeysFor(config, store),
      ledgerBatchDelayMs: 0,
      onError: (error) => failures.push(error),
    });
    let result: T;
    try {
      result = await fn(services, osActor(io));
    } finally {
      await services.close();
    }
    // A change that was committed but could not be audited is reported, never hidden.
    if (failures.length > 0) {
      throw new CliError('CLI_AUDIT_FAILED', 'the change was stored but could not be written to the integrity ledger', {
        cause: failures[0],
      });
    }
    return result;
  });
}

/** Adds `--server` to a command that can also run against a Ward server (remote mode). */
export function remoteOption(command: Command): Command {
  return command.option(
    '--server <url>',
    'run against this Ward server instead of a local store (env WARD_SERVER; the API token in WARD_TOKEN)',
  );
}

/** The API client when the command runs in remote mode (`--server` or WARD_SERVER), else undefined. */
export function remoteOf(io: CliIo, flags: StoreFlags): WardClient | undefined {
  const server = flags.server ?? io.env['WARD_SERVER'];
  if (server === undefined || server === '') return undefined;
  if (!/^https?:\/\//i.test(server)) {
    throw new CliError('CLI_USAGE', `--server ${server}: expected an http:// or https:// URL`, {
      details: { field: 'server' },
    });
  }
  const token = io.env['WARD_TOKEN'];
  if (token === undefined || token === '') {
    throw new CliError('CLI_USAGE', 'remote mode needs an API token in WARD_TOKEN (ward token create)', {
      details: { field: 'WARD_TOKEN' },
    });
  }
  return new WardClient({ baseUrl: server, token });
}

/** Prints `value` as one JSON document when --json was given, else the text `human()` makes. */
export function emit(io: CliIo, flags: { readonly json?: boolean }, value: unknown, human: () => string): void {
  io.stdout(flags.json === true ? `${JSON.stringify(value, null, 2)}\n` : human());
}
