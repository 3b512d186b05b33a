/**
 * @module lock
 * One `ward serve` per SQLite data folder. SQLite itself would let two servers share the file, but
 * two servers each running migrations, sequencing and session clean-up would step on each other; a
 * lock file held for the server's lifetime makes the second one stop with a clear message instead.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreError } from './errors.js';

export const LOCK_FILE = 'ward.lock';

/** Lock files this process holds. A file naming our pid that is not here was left by a former
 * process that had the same pid (a container's pid 1 after a crash), so it is stale. */
const HELD = new Set<string>();

/** A lock file still empty or half-written this recently may be another starter's, mid-write. */
const FRESH_MS = 10_000;

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value === 'object' && value !== null && 'pid' in value && 'host' in value) {
      const { pid, host, since } = value as Record<string, unknown>;
      if (typeof pid === 'number' && typeof host === 'string') {
        return { pid, host, since: typeof since === 'string' ? since : 'unknown' };
      }
    }
  } catch {
    // unreadable or half-written: treated as stale below
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isFresh(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < FRESH_MS;
  } catch {
    return false;
  }
}

/**
 * Takes the folder's lock or throws STORE_LOCKED naming the process that holds it. A lock left by
 * a process that no longer runs on this host is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError('STORE_UNAVAILABLE', `cannot create the lock file ${path}`, {
          cause: error,
          details: { file: path },
        });
      }
      const owner = readOwner(path);
      if (owner === undefined && isFresh(path)) {
        throw new StoreError('STORE_LOCKED', `another Ward server is taking the data folder ${dataDir} right now`, {
          details: { file: path },
        });
      }
      const ours = owner?.pid === process.pid && owner.host === hostname();
      const held = ours ? HELD.has(path) : owner !== undefined && (owner.host !== hostname() || isAlive(owner.pid));
      if (owner !== undefined && held) {
        throw new StoreError(
          'STORE_LOCKED',
          `the data folder ${dataDir} is in use by another Ward server (pid ${String(owner.pid)} on ${owner.host} since ${owner.since}); stop it or choose another --data-dir`,
          { details: { file: path, pid: owner.pid, host: owner.host } },
        );
      }
      rmSync(path, { force: true });
      continue;
    }
    const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    writeSync(fd, JSON.stringify(owner));
    closeSync(fd);
    HELD.add(path);
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        HELD.delete(path);
        const current = readOwner(path);
        if (current?.pid === process.pid && current.host === owner.host) rmSync(path, { force: true });
      },
    };
  }
  throw new StoreError('STORE_LOCKED', `could not take the lock ${path}`, { details: { file: path } });
}
