/**
 * @module preflight
 * What a run needs before it changes anything: root, `ip netns`, the real programs, and the sample
 * files its steps name. Each missing piece is a coded error; tests use `labSupport()` to skip with
 * a reason instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabPaths } from './context.js';
import { LabError } from './errors.js';
import type { Scenario } from './scenario.js';

/** Programs every run calls (services, steps, the capture and the topology). */
export const REQUIRED_PROGRAMS = [
  'ip',
  'ss',
  'sysctl',
  'ethtool',
  'tcpdump',
  'dnsmasq',
  'dcmqrscp',
  'storescu',
  'echoscu',
  'findscu',
  'smbd',
  'smbclient',
  '/usr/sbin/sshd',
  'ssh',
  'ssh-keygen',
  'nmap',
  'hydra',
  'curl',
  'dig',
  'busybox',
  'openssl',
] as const;

const here = dirname(fileURLToPath(import.meta.url));
/** The lab package folder (`lab/`), from source or from dist. */
export const LAB_DIR = resolve(here, '..');
export const SCENARIOS_DIR = join(LAB_DIR, 'scenarios');

function onPath(program: string): boolean {
  if (program.startsWith('/')) return existsSync(program);
  return spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0;
}

/** Why the lab cannot run here, or null when it can. */
export function labSupport(): string | null {
  if (process.platform !== 'linux') return 'the lab needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'the lab must run as root (network namespaces)';
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.status !== 0) return '`ip netns` is unavailable';
  const missing = REQUIRED_PROGRAMS.filter((p) => !onPath(p));
  if (missing.length > 0) return `missing programs: ${missing.join(', ')} (run lab/setup.sh)`;
  return null;
}

/**
 * The shared real samples: `$WARD_SHARED_DATA`, else `../shared/data` beside the repository (a
 * checkout such as /work/main), else two levels up (a worktree such as /work/wt/lab).
 */
export function sharedDataDir(): string {
  const fromEnv = process.env['WARD_SHARED_DATA'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  const repoRoot = resolve(LAB_DIR, '..');
  const candidates = [resolve(repoRoot, '..', 'shared', 'data'), resolve(repoRoot, '..', '..', 'shared', 'data')];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0] ?? '';
}

/** Default locations of the real samples and agents. */
export function defaultPaths(): LabPaths {
  const shared = sharedDataDir();
  return {
    dicomDir: '/usr/lib/python3/dist-packages/pydicom/data/test_files',
    hl7Dir: join(shared, 'hl7v2'),
    fhirDirs: [join(shared, 'fhir', 'r4-device-examples'), join(shared, 'fhir', 'hl7-phd-ig-examples')],
    agentsDir: join(LAB_DIR, 'agents'),
    node: process.execPath,
  };
}

/** Throws the coded error for the first thing a run of `scenario` lacks. */
export function checkPrerequisites(scenario: Scenario, paths: LabPaths): void {
  const why = labSupport();
  if (why !== null) {
    const code = why.startsWith('missing programs') ? 'LAB_TOOL_MISSING' : 'LAB_UNSUPPORTED';
    throw new LabError(code, why, { details: { reason: why } });
  }
  const need: { file: string; line: number }[] = [];
  scenario.steps.forEach((step, index) => {
    const line = scenario.stepLines[index] ?? 0;
    if (step.kind === 'dicom-store' || step.kind === 'dicom-rogue-store')
      for (const f of step.files) need.push({ file: join(paths.dicomDir, f), line });
    if (step.kind === 'hl7-send' || step.kind === 'hl7-inject')
      for (const f of step.messages) need.push({ file: join(paths.hl7Dir, f), line });
  });
  if (scenario.devices.some((d) => d.services.includes('fhir-server')))
    for (const dir of paths.fhirDirs) need.push({ file: dir, line: 0 });
  need.push({ file: join(paths.agentsDir, 'hl7-send.mjs'), line: 0 });
  for (const { file, line } of need) {
    if (!existsSync(file))
      throw new LabError('LAB_DATA_MISSING', `${scenario.file}:${String(line)}: missing ${file}`, {
        details: { file: scenario.file, line, missing: file },
      });
  }
}
