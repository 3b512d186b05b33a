/**
 * @module test-data
 * Locates the shared real-data folder for tests (`../shared/data` from the repository root) and
 * lists its files. Test-only: tests skip with a printed reason when it is absent.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** `../shared/data` beside the checkout (the lead's `/work/main`), or two levels up from a worktree. */
export const dataDir =
  [path.resolve(repoRoot, '../shared/data'), path.resolve(repoRoot, '../../shared/data')].find((d) => existsSync(d)) ??
  path.resolve(repoRoot, '../shared/data');

export function haveData(sub: string): boolean {
  const have = existsSync(path.join(dataDir, sub));
  if (!have) console.warn(`skipping: ${path.join(dataDir, sub)} is absent`);
  return have;
}

export function listFiles(sub: string): string[] {
  const root = path.join(dataDir, sub);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(root);
  return out;
}
