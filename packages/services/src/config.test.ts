import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envNameOf, loadConfig } from './config.js';

describe('configuration', () => {
  it('has defaults for the embedded mode', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({ dataDir: './ward-data', port: 8080, host: '127.0.0.1', autoMigrate: true });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('takes a file, then WARD_* variables, then flags, later ones winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-config-'));
    const file = join(dir, 'ward.json');
    writeFileSync(file, JSON.stringify({ port: 9000, dataDir: '/from/file', logLevel: 'warn' }));
    const config = loadConfig({
      file,
      env: { WARD_PORT: '9100', WARD_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' },
      flags: { port: '9200', host: undefined },
    });
    expect(config).toMatchObject({
      port: 9200,
      dataDir: '/from/file',
      logLevel: 'warn',
      trustProxy: '10.0.0.5,10.1.0.0/16',
    });
  });

  it('names the key and its source when a value is bad', () => {
    expect(() => loadConfig({ env: { WARD_PORT: 'eighty' } })).toThrow(
      expect.objectContaining({ code: 'SERVER_CONFIG_INVALID', details: { key: 'port', source: 'WARD_PORT' } }),
    );
    expect(() => loadConfig({ flags: { port: '70000' } })).toThrow(
      expect.objectContaining({ details: { key: 'port', source: '--port' } }),
    );
    expect(() => loadConfig({ env: { WARD_DATABASE_URL: 'mysql://x' } })).toThrow(
      expect.objectContaining({ details: { key: 'databaseUrl', source: 'WARD_DATABASE_URL' } }),
    );
  });

  it('refuses an unknown key in the file, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-config-'));
    const file = join(dir, 'ward.json');
    writeFileSync(file, JSON.stringify({ prot: 8080 }));
    expect(() => loadConfig({ file })).toThrow(
      expect.objectContaining({ details: { key: 'prot', source: `${file}: prot` } }),
    );
    writeFileSync(file, '{ not json');
    expect(() => loadConfig({ file })).toThrow(
      expect.objectContaining({ code: 'SERVER_CONFIG_INVALID', details: { file } }),
    );
  });

  it('trusts proxies by hop count or address, never blindly', () => {
    expect(loadConfig({ env: { WARD_TRUST_PROXY: '1' } }).trustProxy).toBe(1);
    expect(loadConfig({ env: { WARD_TRUST_PROXY: 'false' } }).trustProxy).toBe(false);
    for (const bad of ['true', 'proxy.local', '10.0.0.1/abc']) {
      expect(() => loadConfig({ env: { WARD_TRUST_PROXY: bad } })).toThrow(
        expect.objectContaining({ details: { key: 'trustProxy', source: 'WARD_TRUST_PROXY' } }),
      );
    }
  });

  it('maps keys to WARD_ variables', () => {
    expect(envNameOf('dataDir')).toBe('WARD_DATA_DIR');
    expect(envNameOf('sessionIdleMinutes')).toBe('WARD_SESSION_IDLE_MINUTES');
  });
});
