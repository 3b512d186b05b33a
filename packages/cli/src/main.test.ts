import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expiryFrom } from './commands/token.js';
import { ward } from './test-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ward-cli-'));
let n = 0;
const freshDir = (): string => join(root, `d${String((n += 1))}`);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const PASSWORD = 'a long enough passphrase';

describe('ward CLI', () => {
  describe('usage and exit codes', () => {
    it('prints help for every command and exits 0', async () => {
      for (const argv of [
        ['--help'],
        ['serve', '--help'],
        ['db', '--help'],
        ['db', 'migrate', '--help'],
        ['user', '--help'],
        ['user', 'add', '--help'],
        ['user', 'list', '--help'],
        ['user', 'disable', '--help'],
        ['token', '--help'],
        ['token', 'create', '--help'],
        ['token', 'revoke', '--help'],
      ]) {
        const result = await ward(argv);
        expect(result.code, argv.join(' ')).toBe(0);
        expect(result.stdout, argv.join(' ')).toMatch(/^Usage: ward/);
      }
      const serve = await ward(['serve', '--help']);
      expect(serve.stdout).toContain('--data-dir');
      expect(serve.stdout).toContain('--port');
    });

    it('exits 2 on a usage error', async () => {
      expect((await ward([])).code).toBe(2);
      for (const group of ['user', 'token', 'db']) expect((await ward([group])).code, group).toBe(2);
      expect((await ward(['frobnicate'])).code).toBe(2);
      expect((await ward(['user', 'add', 'alice'])).code).toBe(2); // --role is required
      const badRole = await ward(['user', 'add', 'alice', '--role', 'janitor', '--data-dir', freshDir()]);
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toContain('janitor');
      expect(
        (
          await ward([
            'token',
            'create',
            '--user',
            'x',
            '--name',
            'y',
            '--expires-in',
            'soon',
            '--data-dir',
            freshDir(),
          ])
        ).code,
      ).toBe(2);
    });

    it('exits 2 naming the key when configuration is bad', async () => {
      const env = await ward(['user', 'list', '--data-dir', freshDir()], { env: { WARD_PORT: 'eighty' } });
      expect(env.code).toBe(2);
      expect(env.stderr).toContain('SERVER_CONFIG_INVALID');
      expect(env.stderr).toContain('port (from WARD_PORT)');
      const flag = await ward(['serve', '--port', '99999', '--data-dir', freshDir()]);
      expect(flag.code).toBe(2);
      expect(flag.stderr).toContain('port (from --port)');
      const json = await ward(['user', 'list', '--json', '--data-dir', freshDir()], {
        env: { WARD_SESSION_MAX_HOURS: '0' },
      });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stderr)).toMatchObject({
        error: { code: 'SERVER_CONFIG_INVALID', details: { key: 'sessionMaxHours', source: 'WARD_SESSION_MAX_HOURS' } },
      });
    });
  });

  describe('db migrate', () => {
    it('migrates once and then reports it is up to date', async () => {
      const dir = freshDir();
      const first = await ward(['db', 'migrate', '--data-dir', dir, '--json']);
      expect(first.code).toBe(0);
      expect(first.json()).toMatchObject({
        store: 'sqlite',
        applied: ['0001-accounts-and-devices', '0002-ledger', '0003-inventory'],
      });
      const second = await ward(['db', 'migrate', '--data-dir', dir, '--json']);
      expect(second.json()).toMatchObject({ applied: [] });
      const text = await ward(['db', 'migrate', '--data-dir', dir]);
      expect(text.stdout).toMatch(/^Up to date/);
    });
  });

  describe('users', () => {
    it('adds, lists, disables and enables users', async () => {
      const dir = freshDir();
      const added = await ward(
        ['user', 'add', 'Alice', '--role', 'admin', '--password-stdin', '--json', '--data-dir', dir],
        {
          stdin: `${PASSWORD}\n`,
        },
      );
      expect(added.code).toBe(0);
      expect(added.json()).toMatchObject({ user: { username: 'alice', role: 'admin', disabledAt: null } });
      expect(added.stdout).not.toContain(PASSWORD);

      const generated = await ward(['user', 'add', 'bob', '--role', 'auditor', '--data-dir', dir]);
      expect(generated.code).toBe(0);
      expect(generated.stdout).toMatch(/Password \(shown only now\): \S{24}/);

      const list = await ward(['user', 'list', '--json', '--data-dir', dir]);
      expect(list.json<{ items: { username: string }[] }>().items.map((u) => u.username)).toEqual(['alice', 'bob']);
      expect(list.stdout).not.toMatch(/argon2|password/i);

      const disabled = await ward(['user', 'disable', 'bob', '--json', '--data-dir', dir]);
      expect(disabled.code).toBe(0);
      expect(disabled.json<{ disabledAt: string | null }>().disabledAt).not.toBeNull();
      const enabled = await ward(['user', 'enable', 'bob', '--json', '--data-dir', dir]);
      expect(enabled.json<{ disabledAt: string | null }>().disabledAt).toBeNull();
      const table = await ward(['user', 'list', '--data-dir', dir]);
      expect(table.stdout).toMatch(/^USERNAME\s+ROLE\s+STATUS/);
    });

    it('fails with 1 on a duplicate and on disabling the last administrator, 2 on a weak password', async () => {
      const dir = freshDir();
      await ward(['user', 'add', 'root-admin', '--role', 'admin', '--password-stdin', '--data-dir', dir], {
        stdin: PASSWORD,
      });
      const dup = await ward(['user', 'add', 'root-admin', '--role', 'auditor', '--data-dir', dir]);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toContain('STORE_CONFLICT');
      const last = await ward(['user', 'disable', 'root-admin', '--data-dir', dir]);
      expect(last.code).toBe(1);
      expect(last.stderr).toContain('AUTH_LAST_ADMIN');
      const weak = await ward(['user', 'add', 'carol', '--role', 'auditor', '--password-stdin', '--data-dir', dir], {
        stdin: 'short',
      });
      expect(weak.code).toBe(2);
      expect(weak.stderr).toContain('AUTH_WEAK_PASSWORD');
      const missing = await ward(['user', 'disable', 'nobody', '--data-dir', dir]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('SERVER_RESOURCE_NOT_FOUND');
    });
  });

  describe('tokens', () => {
    it('creates a token whose secret appears once, lists it without the secret, and revokes it', async () => {
      const dir = freshDir();
      await ward(['user', 'add', 'sensor-bot', '--role', 'security-analyst', '--data-dir', dir]);
      const created = await ward([
        'token',
        'create',
        '--user',
        'sensor-bot',
        '--name',
        'sensor ward 4',
        '--expires-in',
        '90d',
        '--json',
        '--data-dir',
        dir,
      ]);
      expect(created.code).toBe(0);
      const { token, secret } = created.json<{ token: { id: string; expiresAt: string }; secret: string }>();
      expect(secret).toMatch(/^ward_/);
      expect(Date.parse(token.expiresAt)).toBeGreaterThan(Date.now() + 89 * 86_400_000);

      const list = await ward(['token', 'list', '--data-dir', dir]);
      expect(list.stdout).toContain(token.id);
      expect(list.stdout).toContain('active');
      expect(list.stdout).not.toContain(secret);

      const revoked = await ward(['token', 'revoke', token.id, '--json', '--data-dir', dir]);
      expect(revoked.code).toBe(0);
      expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
      expect((await ward(['token', 'list', '--data-dir', dir])).stdout).toContain('revoked');
      const unknown = await ward(['token', 'revoke', 'no-such-token', '--data-dir', dir]);
      expect(unknown.code).toBe(1);
    });

    it('parses lifetimes', () => {
      const now = new Date('2026-01-01T00:00:00.000Z');
      expect(expiryFrom('12h', now)).toBe('2026-01-01T12:00:00.000Z');
      expect(expiryFrom(undefined, now)).toBeNull();
      expect(() => expiryFrom('0d', now)).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
    });
  });
});
