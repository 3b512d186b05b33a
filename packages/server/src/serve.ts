/**
 * @module serve
 * Runs Ward as a server: opens the store (holding the SQLite folder's lock), migrates, creates the
 * first administrator when there is no user, listens, and starts the scheduled jobs. Returns a
 * handle whose `close` shuts everything down in order (the jobs first, waiting for a running one).
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '@ward/store';
import { buildApp } from './app.js';
import {
  DEFAULT_SOURCES,
  ServerError,
  createEntryHasher,
  feedsSyncJob,
  ledgerKeysFor,
  readSourcesFile,
  type WardConfig,
} from '@ward/services';

export interface ServeEvents {
  /** Called once when the first administrator was created with a generated password. */
  readonly onFirstAdmin?: (username: string, password: string) => void;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  /** The address it listens on, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  close(): Promise<void>;
}

function readTls(config: WardConfig): { cert: Buffer; key: Buffer } | undefined {
  if (config.tlsCertFile === undefined || config.tlsKeyFile === undefined) return undefined;
  const read = (file: string, key: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ServerError('SERVER_CONFIG_INVALID', `cannot read ${key} ${file}`, {
        cause: error,
        details: { key, file },
      });
    }
  };
  return { cert: read(config.tlsCertFile, 'tlsCertFile'), key: read(config.tlsKeyFile, 'tlsKeyFile') };
}

export async function startServer(config: WardConfig, events: ServeEvents = {}): Promise<RunningServer> {
  const https = readTls(config);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    exclusive: true,
  });
  let app: FastifyInstance | undefined;
  try {
    if (config.autoMigrate) await store.migrate();
    const ledgerKeys = await ledgerKeysFor(config, store);
    app = await buildApp({
      store,
      ledgerKeys,
      ledgerHasher: createEntryHasher(),
      logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
      trustProxy: config.trustProxy,
      cookieSecure: config.cookieSecure,
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionMaxHours: config.sessionMaxHours,
      ...(https === undefined ? {} : { https }),
    });
    // Listen first: if the port is taken, no administrator is created whose password nobody saw.
    const url = await app.listen({ host: config.host, port: config.port });
    const first = await app.accounts.ensureFirstAdmin(config.adminPassword);
    if (first?.generatedPassword !== undefined) events.onFirstAdmin?.(first.user.username, first.generatedPassword);
    const running = app;
    if (config.feedSyncHours > 0) {
      const sources = config.feedSources === undefined ? DEFAULT_SOURCES : readSourcesFile(config.feedSources);
      running.services.jobs.register(
        feedsSyncJob(
          (actor) => running.services.feeds(actor),
          sources,
          config.feedSyncHours,
          config.nvdApiKey === undefined ? {} : { nvdApiKey: config.nvdApiKey },
        ),
      );
    }
    // The scheduled jobs (sessions.prune, feeds.sync…): stopped by app.close(), which closes the services.
    await running.services.jobs.start();
    let closing: Promise<void> | undefined;
    return {
      app: running,
      store,
      url,
      close: () => {
        closing ??= (async () => {
          await running.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
}
