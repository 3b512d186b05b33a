/**
 * @module clean
 * Removes what crashed runs left behind: their namespaces (with every process inside and every
 * interface), `/etc/netns` entries and working folders. A run that is still going (its owner
 * process is alive) is left alone.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroyNamespaces, listNamespaces, NAMESPACE_PREFIX } from './topology.js';

export interface CleanReport {
  readonly namespaces: readonly string[];
  readonly folders: readonly string[];
  /** Runs left alone because their owner is alive. */
  readonly live: readonly string[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The owner pid of each run, from the working folders (`/tmp/wardlab-<run>-*`/owner.json). */
function owners(): Map<string, { pid: number; folder: string }> {
  const result = new Map<string, { pid: number; folder: string }>();
  for (const name of readdirSync(tmpdir())) {
    const match = /^wardlab-([0-9a-f]{6})-/.exec(name);
    if (match?.[1] === undefined) continue;
    const folder = join(tmpdir(), name);
    let pid = 0;
    try {
      pid = (JSON.parse(readFileSync(join(folder, 'owner.json'), 'utf8')) as { pid?: number }).pid ?? 0;
    } catch {
      pid = 0;
    }
    result.set(match[1], { pid, folder });
  }
  return result;
}

/** Cleans every leftover of runs whose owner is gone. */
export function cleanLeftovers(): CleanReport {
  const runs = owners();
  const live = new Set(
    [...runs].filter(([, o]) => o.pid !== 0 && o.pid !== process.pid && alive(o.pid)).map(([id]) => id),
  );
  const namespaces = listNamespaces().filter((ns) => {
    if (!ns.startsWith(NAMESPACE_PREFIX)) return false;
    const id = ns.slice(NAMESPACE_PREFIX.length, NAMESPACE_PREFIX.length + 6);
    return !live.has(id);
  });
  destroyNamespaces(namespaces);
  const folders: string[] = [];
  for (const [id, owner] of runs) {
    if (live.has(id)) continue;
    rmSync(owner.folder, { recursive: true, force: true });
    folders.push(owner.folder);
  }
  try {
    for (const name of readdirSync('/etc/netns')) {
      if (
        name.startsWith(NAMESPACE_PREFIX) &&
        !live.has(name.slice(NAMESPACE_PREFIX.length, NAMESPACE_PREFIX.length + 6))
      )
        rmSync(join('/etc/netns', name), { recursive: true, force: true });
    }
  } catch {
    // no /etc/netns
  }
  return { namespaces, folders, live: [...live] };
}
