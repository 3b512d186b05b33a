// End to end: the built `ward` executable, as a user runs it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(repo, 'packages/cli/dist/bin.js');
const root = mkdtempSync(join(tmpdir(), 'ward-e2e-'));
const children: ChildProcess[] = [];

interface Started {
  readonly child: ChildProcess;
  readonly first: Record<string, unknown>;
  readonly output: () => string;
}

/** Starts `ward serve --json` and resolves with its first line (the listening event). */
function serve(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--data-dir', dataDir, '--port', '0', '--json', '--log-level', 'warn'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  let err = '';
  return new Promise((resolveStarted, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"event":"listening"'));
      if (line !== undefined)
        resolveStarted({ child, first: JSON.parse(line) as Record<string, unknown>, output: () => out });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      reject(new Error(`ward serve exited with ${String(code)}: ${err}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null) resolveExit(child.exitCode);
    else
      child.on('exit', (code) => {
        resolveExit(code);
      });
  });
}

beforeAll(() => {
  // The tests run the built executable; make sure it is current.
  execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: repo, stdio: 'inherit' });
}, 120_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('ward serve (the built executable)', () => {
  it('starts on an empty folder, prints a first admin password once, serves, and stops cleanly', async () => {
    const dataDir = join(root, 'fresh');
    const first = await serve(dataDir);
    const admin = first.first.firstAdmin as { username: string; password: string };
    expect(admin.username).toBe('admin');
    expect(admin.password).toHaveLength(24);
    const url = String(first.first.url);

    const health = await fetch(`${url}/api/v1/health`);
    expect(health.status).toBe(200);
    const devices = await fetch(`${url}/api/v1/devices`);
    expect(devices.status).toBe(401);
    expect(devices.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: admin.password }),
    });
    expect(login.status).toBe(200);

    // A second server on the same folder refuses to start and says why.
    const second = spawn(process.execPath, [bin, 'serve', '--data-dir', dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(second);
    let stderr = '';
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(second)).toBe(1);
    expect(stderr).toContain('STORE_LOCKED');
    expect(stderr).toContain('in use by another Ward server');

    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toBe(0);
    expect(existsSync(join(dataDir, 'ward.lock'))).toBe(false);

    // Restarted, it keeps the administrator and prints no password.
    const again = await serve(dataDir);
    expect(again.first.firstAdmin).toBeNull();
    again.child.kill('SIGTERM');
    expect(await exitOf(again.child)).toBe(0);
  });

  it('takes the first admin password from WARD_ADMIN_PASSWORD', async () => {
    const started = await serve(join(root, 'env-admin'), { WARD_ADMIN_PASSWORD: 'chosen by the operator' });
    expect(started.first.firstAdmin).toBeNull();
    const login = await fetch(`${String(started.first.url)}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'chosen by the operator' }),
    });
    expect(login.status).toBe(200);
    started.child.kill('SIGINT');
    expect(await exitOf(started.child)).toBe(0);
  });
});
