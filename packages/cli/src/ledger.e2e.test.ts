// The built `ward ledger` on a batch large enough to be hashed on the worker thread: the tree it
// stores must be the one the inline path computes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TreeAppender, toHex } from '@ward/ledger';
import { prepareEntries } from '@ward/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(repo, 'packages/cli/dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ward-ledger-e2e-'));

beforeAll(() => {
  execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: repo, stdio: 'inherit' });
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function ward(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('ward ledger append (built, worker-hashed)', () => {
  it('stores the same tree as the inline computation', () => {
    const entries = Array.from({ length: 45_000 }, (_, i) => ({
      kind: 'access' as const,
      at: '2026-11-28T10:00:00.000Z',
      actor: `user-${String(i % 97)}`,
      role: 'auditor',
      action: 'GET /api/v1/devices/:id',
      object: `dev-${String(i)}`,
      outcome: 'allowed' as const,
      status: 200,
    }));
    expect(ward(['ledger', 'init', '--dir', dir, '--origin', 'e2e.example/ledger']).code).toBe(0);
    const appended = ward(
      ['ledger', 'append', '--dir', dir, '--json'],
      entries.map((e) => JSON.stringify(e)).join('\n'),
    );
    expect(appended.stderr).toBe('');
    expect(JSON.parse(appended.stdout)).toMatchObject({ first: 0, count: 45_000, size: 45_000 });

    const { hashes } = prepareEntries(entries);
    const appender = new TreeAppender();
    for (let i = 0; i < entries.length; i += 1) appender.append(hashes.subarray(32 * i, 32 * i + 32));
    const checkpoint = JSON.parse(ward(['ledger', 'checkpoint', '--dir', dir, '--json']).stdout) as {
      rootHash: string;
    };
    expect(checkpoint.rootHash).toBe(toHex(appender.root()));
    expect(ward(['ledger', 'verify', '--dir', dir]).code).toBe(0);
  }, 180_000);
});
