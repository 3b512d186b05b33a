import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_TYPES } from '@ward/core';
import { describe, expect, it } from 'vitest';
import { buildInventory, labelOf, TOOLS } from './outputs.js';
import { SCENARIOS_DIR } from './preflight.js';
import { ATTACK_KINDS, BENIGN_KINDS, parseScenario } from './scenario.js';
import { TECHNIQUES } from './techniques.js';
import { planTimeline } from './timeline.js';
import { layOut } from './topology.js';

const smoke = parseScenario(readFileSync(join(SCENARIOS_DIR, 'smoke.json'), 'utf8'), 'smoke.json');
const topology = layOut(smoke, 'abc123');
const t0 = new Date('2026-01-01T08:00:00Z');

describe('inventory', () => {
  const inventory = buildInventory(smoke, topology);

  it('has every device once, with a DEVICE_TYPES type and a distinct MAC', () => {
    expect(inventory.devices.map((d) => d.name)).toEqual(smoke.devices.map((d) => d.name));
    expect(new Set(inventory.devices.map((d) => d.mac)).size).toBe(smoke.devices.length);
    for (const device of inventory.devices) expect(DEVICE_TYPES).toContain(device.type);
  });

  it('adds the AE titles and HL7 applications a device presents in its attacks', () => {
    const ws = inventory.devices.find((d) => d.name === 'ws-1');
    expect(ws?.dicom.aeTitles).toEqual(['ANY-SCU', 'RAD_WS01']);
    expect(ws?.attacker).toBe(true);
    const rogue = inventory.devices.find((d) => d.name === 'rogue');
    expect(rogue?.dicom.aeTitles).toEqual(['STORESCU']);
    expect(rogue?.hl7).toEqual({ applications: ['ORDER_GW'], facilities: ['UNKNOWN'] });
    expect(inventory.devices.find((d) => d.name === 'pacs')?.attacker).toBe(false);
  });

  it('keeps MACs stable for the same scenario across runs', () => {
    expect(layOut(smoke, 'ffffff').devices.map((d) => d.mac)).toEqual(topology.devices.map((d) => d.mac));
  });
});

describe('labels', () => {
  const plan = planTimeline(smoke, 1);
  const record = (kind: string) => {
    const action = plan.find((a) => a.kind === kind);
    if (action === undefined) throw new Error(`no ${kind} in the plan`);
    return { action, start: new Date(t0.getTime() + 1000), end: new Date(t0.getTime() + 4500), exitCode: 0 };
  };

  it('labels attacks only', () => {
    for (const kind of BENIGN_KINDS) {
      if (plan.some((a) => a.kind === kind)) expect(labelOf(smoke, topology, 'abc123', t0, record(kind))).toBeNull();
    }
  });

  it('names source, destination, technique, times and the line of the step', () => {
    const scan = labelOf(smoke, topology, 'abc123', t0, record('port-scan'));
    expect(scan).toMatchObject({
      attack: 'port-scan',
      technique: 'T0846',
      enterpriseTechnique: 'T1046',
      tool: 'nmap',
      startOffset: 1,
      endOffset: 4.5,
      source: { device: 'ws-1', ip: '10.77.3.10' },
      destination: { cidr: '10.77.1.0/28', ip: null },
    });
    expect(scan?.line).toBe(smoke.stepLines[scan?.step ?? -1]);
    const beacon = labelOf(smoke, topology, 'abc123', t0, record('beacon-https'));
    expect(beacon?.destination).toMatchObject({
      device: 'c2',
      ip: '198.51.100.30',
      port: 443,
      domain: 'telemetry-sync.example',
    });
    const exfil = labelOf(smoke, topology, 'abc123', t0, record('exfiltrate'));
    expect(exfil?.destination).toMatchObject({ device: 'drop', ip: '198.51.100.20', port: 443 });
  });

  it('every attack kind has an ATT&CK for ICS and an Enterprise id, and a tool', () => {
    for (const kind of ATTACK_KINDS) {
      expect(TECHNIQUES[kind].ics).toMatch(/^T0\d{3}$/);
      expect(TECHNIQUES[kind].enterprise).toMatch(/^T1\d{3}(?:\.\d{3})?$/);
      expect(TOOLS[kind].tool).not.toBe('');
    }
  });
});
