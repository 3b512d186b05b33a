import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanLeftovers } from './clean.js';
import { defaultPaths } from './preflight.js';
import { runSync } from './processes.js';
import { runScenario } from './runner.js';
import { parseScenario } from './scenario.js';
import { e2eSkipReason, remainsOf } from './test-helpers.js';
import { listNamespaces } from './topology.js';

const skip = e2eSkipReason();
if (skip !== null) console.warn(`skipping the teardown tests: ${skip}`);

/** A small scenario: an interface engine and a lab analyser sending to it, for a long time. */
const small = (seconds: number): string =>
  JSON.stringify(
    {
      name: 'teardown',
      description: 'teardown test',
      durationSeconds: seconds,
      devices: [
        {
          name: 'engine',
          type: 'interface-engine',
          role: 'engine',
          ip: '10.77.1.20',
          services: ['hl7-engine', 'ssh-server'],
          hl7: { application: 'IE', facility: 'H' },
        },
        {
          name: 'lab-1',
          type: 'lab-analyser',
          role: 'analyser',
          ip: '10.77.2.30',
          hl7: { application: 'LAB', facility: 'H' },
        },
      ],
      steps: [
        {
          kind: 'hl7-send',
          from: 'lab-1',
          to: 'engine',
          every: 1,
          messages: ['hl7-dotnetcore-samples/Sample-ADT.txt'],
        },
      ],
    },
    null,
    1,
  );

describe.skipIf(skip !== null)('teardown', () => {
  const out = join(tmpdir(), `ward-teardown-${String(process.pid)}-${String(Date.now())}`);
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('an interrupted run tears everything down and says so', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const run = runScenario({
      scenario: parseScenario(small(600), 'small.json'),
      outDir: join(out, 'interrupted'),
      signal: controller.signal,
      progress: (line) => {
        lines.push(line);
        if (line.includes('timeline starts'))
          setTimeout(() => {
            controller.abort();
          }, 3000);
      },
    });
    const error = (await run.then(
      () => ({}),
      (e: unknown) => e,
    )) as { code?: string; details?: { runId?: string; pids?: number[] } };
    expect(error.code).toBe('LAB_INTERRUPTED');
    expect(lines[0]).toContain(error.details?.runId ?? 'no run id');
    expect(error.details?.pids?.length).toBeGreaterThan(2);
    expect(remainsOf(`wardlab-${error.details?.runId ?? ''}`, error.details?.pids ?? [])).toEqual([]);
  }, 60_000);

  it('a service that fails to start aborts the run with its log, and cleans up', async () => {
    // An agents folder without the interface engine: the engine's node process exits at once.
    const agents = join(out, 'agents');
    mkdirSync(agents, { recursive: true });
    cpSync(join(defaultPaths().agentsDir, 'hl7-send.mjs'), join(agents, 'hl7-send.mjs'));
    const lines: string[] = [];
    const run = runScenario({
      scenario: parseScenario(small(5), 'small.json'),
      outDir: join(out, 'failed'),
      paths: { agentsDir: agents },
      progress: (line) => lines.push(line),
    });
    await expect(run).rejects.toMatchObject({
      code: 'LAB_SERVICE_FAILED',
      details: { device: 'engine', service: 'hl7-engine' },
    });
    const runId = /run ([0-9a-f]{6})/.exec(lines[0] ?? '')?.[1] ?? 'none';
    expect(remainsOf(`wardlab-${runId}`, [])).toEqual([]);
  }, 60_000);

  it('ward lab clean removes what a crashed run left, and spares a live run', () => {
    const dead = 'c0ffee';
    const live = 'beefed';
    for (const id of [dead, live]) runSync(['ip', 'netns', 'add', `wardlab-${id}-sw`]);
    const deadDir = mkdtempSync(join(tmpdir(), `wardlab-${dead}-`));
    writeFileSync(join(deadDir, 'owner.json'), JSON.stringify({ pid: 2 ** 22 + 1 }));
    const liveDir = mkdtempSync(join(tmpdir(), `wardlab-${live}-`));
    writeFileSync(join(liveDir, 'owner.json'), JSON.stringify({ pid: process.ppid }));
    try {
      const report = cleanLeftovers();
      expect(report.namespaces).toContain(`wardlab-${dead}-sw`);
      expect(report.live).toContain(live);
      expect(listNamespaces()).not.toContain(`wardlab-${dead}-sw`);
      expect(listNamespaces()).toContain(`wardlab-${live}-sw`);
      expect(remainsOf(`wardlab-${dead}`, [])).toEqual([]);
    } finally {
      runSync(['ip', 'netns', 'del', `wardlab-${live}-sw`]);
      rmSync(liveDir, { recursive: true, force: true });
    }
  });
});
