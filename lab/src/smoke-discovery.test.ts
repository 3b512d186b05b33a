// Does `ward scan` find, in the smoke capture, every hospital device of inventory.json with the right
// type, AE titles and HL7 applications? Uses the public `ward scan FILE --json` contract
// (DiscoveredDevice in packages/core/src/discovery.ts). Skips with a printed reason until the CLI
// has a `scan` command (issue 3), and where the lab cannot run. Set WARD_LAB_SMOKE_OUT to the
// output folder of an earlier `ward lab run smoke` to reuse its capture.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiscoveredDevice } from '@ward/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from './outputs.js';
import { SCENARIOS_DIR } from './preflight.js';
import { runScenario } from './runner.js';
import { loadScenario } from './scenario.js';
import { e2eSkipReason } from './test-helpers.js';

interface CliModule {
  createProgram(io: unknown): { commands: readonly { name(): string }[] };
  run(argv: readonly string[], io: unknown): Promise<number>;
}

const cli = (await import('@ward/cli')) as unknown as CliModule;
const silent = { stdout: () => undefined, stderr: () => undefined, env: {}, readLine: () => '', readAll: () => '' };
const hasScan = cli.createProgram(silent).commands.some((c) => c.name() === 'scan');
const reused = process.env['WARD_LAB_SMOKE_OUT'] ?? '';
const reuse = reused !== '' && existsSync(join(reused, 'capture.pcap'));
const skip = !hasScan ? 'ward scan does not exist yet (issue 3)' : reuse ? null : e2eSkipReason();
if (skip !== null) console.warn(`skipping the smoke discovery comparison: ${skip}`);

const sorted = (values: readonly string[]): string[] => [...new Set(values)].sort();

describe.skipIf(skip !== null)('ward scan on the smoke capture', () => {
  let out = reused;
  let inventory: Inventory;
  let devices: DiscoveredDevice[];

  beforeAll(async () => {
    if (!reuse) out = mkdtempSync(join(tmpdir(), 'ward-smoke-scan-'));
    if (!reuse) await runScenario({ scenario: loadScenario(join(SCENARIOS_DIR, 'smoke.json')), outDir: out });
    inventory = JSON.parse(readFileSync(join(out, 'inventory.json'), 'utf8')) as Inventory;
    let stdout = '';
    const io = { ...silent, stdout: (text: string) => (stdout += text) };
    const code = await cli.run(['scan', join(out, 'capture.pcap'), '--json'], io);
    expect(code).toBe(0);
    devices = (JSON.parse(stdout) as { devices: DiscoveredDevice[] }).devices;
  }, 240_000);
  afterAll(() => {
    if (!reuse) rmSync(out, { recursive: true, force: true });
  });

  it('finds every hospital device with its type, AE titles and HL7 applications', () => {
    const hospital = inventory.devices.filter((d) => d.zone === 'hospital');
    const found = hospital.map((truth) => {
      const seen = devices.find((d) => d.macs.includes(truth.mac)) ?? devices.find((d) => d.ips.includes(truth.ip));
      return {
        name: truth.name,
        found: seen !== undefined,
        // A device the scenario leaves untyped (the rogue laptop) is typed by what it does on the
        // wire (it sends MR images like a modality would): only its discovery is compared.
        type: truth.type === 'unknown' ? 'unknown' : (seen?.type ?? null),
        aeTitles: sorted(seen?.dicom.aeTitles ?? []),
        hl7Applications: sorted(seen?.hl7.applications ?? []),
      };
    });
    const expected = hospital.map((truth) => ({
      name: truth.name,
      found: true,
      type: truth.type,
      aeTitles: sorted(truth.dicom.aeTitles),
      hl7Applications: sorted(truth.hl7.applications),
    }));
    expect(found).toEqual(expected);
  });
});
