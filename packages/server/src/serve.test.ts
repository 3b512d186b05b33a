import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ward/services';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './serve.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-serve-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('startServer', () => {
  it('starts the scheduled jobs with the server and stops them on close', async () => {
    const config = loadConfig({
      flags: { dataDir: dir, port: 0, logLevel: 'silent', adminPassword: 'correct horse battery staple' },
    });
    const server = await startServer(config);
    try {
      // sessions.prune is due at once on a new database, so the first tick runs it.
      await expect.poll(async () => (await server.store.jobs.get('sessions.prune'))?.runs).toBe(1);
    } finally {
      await server.close();
    }
    await expect(server.app.services.jobs.runNow('sessions.prune')).rejects.toMatchObject({ code: 'JOBS_STOPPED' });
  });
});
