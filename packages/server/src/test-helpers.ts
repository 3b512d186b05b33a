/**
 * @module test-helpers
 * Builds an app over a fresh store with one user and one API token per role, for tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, type Role } from '@ward/core';
import { openSqliteStore, type Store } from '@ward/store';
import type { FastifyInstance } from 'fastify';
import { generateSignerKey, signerFromKey } from '@ward/ledger';
import { buildApp, type AppOptions } from './app.js';
import type { Clock } from '@ward/services';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly store: Store;
  /** Bearer secret of a token for the user `u-<role>` of each role. */
  readonly tokens: Readonly<Record<Role, string>>;
  close(): Promise<void>;
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2026-06-01T08:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export async function createTestApp(options: Partial<AppOptions> & { readonly store?: Store } = {}): Promise<TestApp> {
  let dir: string | undefined;
  let store = options.store;
  if (store === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'ward-server-'));
    store = openSqliteStore({ dataDir: dir });
  }
  await store.migrate();
  const { signerKey, verifierKey } = generateSignerKey('ward.test/ledger');
  const app = await buildApp({
    ledgerKeys: { signer: signerFromKey(signerKey), verifierKeys: [verifierKey], pseudonymKey: randomBytes(32) },
    ...options,
    store,
  });
  await app.ready();
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const { user } = await app.accounts.addUser({ username: `u-${role}`, role, password: TEST_PASSWORD });
    tokens[role] = (await app.accounts.createToken({ user: user.id, name: `test ${role}` })).secret;
  }
  const owned = store;
  return {
    app,
    store: owned,
    tokens,
    close: async () => {
      await app.close();
      await owned.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function bearer(secret: string): { authorization: string } {
  return { authorization: `Bearer ${secret}` };
}
