import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVICE_TYPES } from '@ward/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory, Label } from './outputs.js';
import { SCENARIOS_DIR } from './preflight.js';
import { runScenario, type RunReport } from './runner.js';
import { ATTACK_KINDS, loadScenario } from './scenario.js';
import { e2eSkipReason, remainsOf } from './test-helpers.js';
import { planTimeline } from './timeline.js';

const skip = e2eSkipReason();
if (skip !== null) console.warn(`skipping the smoke run: ${skip}`);

describe.skipIf(skip !== null)('ward lab run smoke', () => {
  // A path only: the run creates it (a skipped suite leaves nothing).
  const out = join(tmpdir(), `ward-smoke-${String(process.pid)}-${String(Date.now())}`);
  const scenario = loadScenario(join(SCENARIOS_DIR, 'smoke.json'));
  let report: RunReport;

  beforeAll(async () => {
    report = await runScenario({ scenario, outDir: out, seed: 11 });
  }, 240_000);
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('leaves no namespace, interface, folder or process behind', () => {
    expect(report.leftovers).toEqual([]);
    expect(report.namespaces.length).toBe(scenario.devices.length + 1);
    expect(remainsOf(`wardlab-${report.runId}`, report.pids)).toEqual([]);
  });

  it('runs every planned action, and every one succeeds', () => {
    expect(report.actions.planned).toBe(planTimeline(scenario, 11).length);
    expect(report.actions.ok + report.actions.failed).toBe(report.actions.planned);
    expect(report.actions.failed).toBe(0);
  });

  it('writes a pcap capture of the hospital bridge', () => {
    const pcap = readFileSync(join(out, 'capture.pcap'));
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.readUInt32LE(20)).toBe(1); // LINKTYPE_ETHERNET
    expect(pcap.length).toBeGreaterThan(1_000_000); // the exfiltration alone is 3 MB
  });

  it('labels every attack action with its technique, source and destination', () => {
    const labels = readFileSync(join(out, 'labels.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Label);
    const plannedAttacks = planTimeline(scenario, 11).filter((a) => a.attack);
    expect(labels.map((l) => l.id).sort((a, b) => a - b)).toEqual(plannedAttacks.map((a) => a.id));
    expect(new Set(labels.map((l) => l.attack))).toEqual(new Set(ATTACK_KINDS));
    const inventory = JSON.parse(readFileSync(join(out, 'inventory.json'), 'utf8')) as Inventory;
    const ips = new Set(inventory.devices.map((d) => d.ip));
    for (const label of labels) {
      expect(label.scenario).toBe('smoke');
      expect(label.technique).toMatch(/^T0\d{3}$/);
      expect(label.enterpriseTechnique).toMatch(/^T1\d{3}(?:\.\d{3})?$/);
      expect(Date.parse(label.end)).toBeGreaterThanOrEqual(Date.parse(label.start));
      expect(ips.has(label.source.ip)).toBe(true);
      expect(label.destination.ip !== null || label.destination.cidr !== null).toBe(true);
      expect(label.exitCode).toBe(0);
    }
    const exfil = labels.find((l) => l.attack === 'exfiltrate');
    expect(exfil?.destination.ip).toMatch(/^198\.51\.100\./);
  });

  it('writes the ground truth of every device', () => {
    const inventory = JSON.parse(readFileSync(join(out, 'inventory.json'), 'utf8')) as Inventory;
    expect(inventory.devices).toHaveLength(scenario.devices.length);
    const macs = new Set(inventory.devices.map((d) => d.mac));
    expect(macs.size).toBe(inventory.devices.length);
    for (const device of inventory.devices) {
      expect(DEVICE_TYPES).toContain(device.type);
      expect(device.mac).toMatch(/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/);
    }
    expect(inventory.devices.find((d) => d.name === 'pacs')?.dicom.aeTitles).toEqual(['PACS01']);
    expect(inventory.devices.find((d) => d.name === 'rogue')?.hl7.applications).toEqual(['ORDER_GW']);
  });

  it('records the seed, the plan and the versions of the tools used', () => {
    const summary = JSON.parse(readFileSync(join(out, 'scenario.json'), 'utf8')) as {
      seed: number;
      runId: string;
      timeline: unknown[];
      tools: { debian: Record<string, string>; agents: Record<string, string> };
    };
    expect(summary.seed).toBe(11);
    expect(summary.runId).toBe(report.runId);
    expect(summary.timeline).toEqual(JSON.parse(JSON.stringify(planTimeline(scenario, 11))));
    for (const pkg of ['dcmtk', 'tcpdump', 'samba', 'nmap', 'hydra', 'dnsmasq-base', 'openssh-server'])
      expect(summary.tools.debian[pkg]).toMatch(/\d/);
    expect(summary.tools.agents['@medplum/hl7']).toMatch(/^\d+\.\d+\.\d+/);
  });
});
