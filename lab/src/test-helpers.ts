/**
 * @module test-helpers
 * Shared by the lab's end-to-end tests: why the lab cannot run here (to skip with a reason), and
 * checks that a run left nothing behind.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { defaultPaths, labSupport } from './preflight.js';
import { listNamespaces } from './topology.js';

/** Why the end-to-end lab tests must skip here, or null. */
export function e2eSkipReason(): string | null {
  const why = labSupport();
  if (why !== null) return why;
  const paths = defaultPaths();
  if (!existsSync(paths.hl7Dir)) return `the shared HL7 samples are absent (${paths.hl7Dir})`;
  if (!existsSync(paths.dicomDir)) return `pydicom's test files are absent (${paths.dicomDir}; run lab/setup.sh)`;
  return null;
}

/** What of a run (by its namespace prefix) is still on the machine. */
export function remainsOf(prefix: string, pids: readonly number[]): string[] {
  const remains: string[] = [];
  for (const ns of listNamespaces()) if (ns.startsWith(prefix)) remains.push(`namespace ${ns}`);
  for (const name of readdirSync(tmpdir())) if (name.startsWith(prefix)) remains.push(`folder ${name}`);
  if (existsSync('/etc/netns'))
    for (const name of readdirSync('/etc/netns')) if (name.startsWith(prefix)) remains.push(`/etc/netns/${name}`);
  for (const pid of pids) {
    try {
      process.kill(pid, 0);
      remains.push(`process ${String(pid)}`);
    } catch {
      // gone, as it should be
    }
  }
  return remains;
}
