import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWardError } from '@ward/core';
import { readFhir } from './fhir-import.js';
import { openTestInventory, type TestInventory } from './test-helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// `../shared/data` beside the repository (the lead's checkout); a worktree one level deeper finds it
// one level up.
const dataDir = [resolve(repoRoot, '../shared/data'), resolve(repoRoot, '../../shared/data')].find((d) =>
  existsSync(d),
);
const fhirDir = resolve(dataDir ?? resolve(repoRoot, '../shared/data'), 'fhir');
const have = existsSync(fhirDir);
if (!have) console.warn(`skipping the real FHIR examples: ${fhirDir} is absent`);

const files = (sub: string, pattern: RegExp): string[] =>
  have
    ? readdirSync(join(fhirDir, sub))
        .filter((f) => pattern.test(f))
        .sort()
        .map((f) => join(fhirDir, sub, f))
    : [];

describe('FHIR import: problems', () => {
  it('rejects an invalid Device with the FHIR path of the problem, inside a Bundle too', () => {
    const single = readFhir(JSON.stringify({ resourceType: 'Device', id: 'd1', serialNumber: 42 }), 'd.json');
    expect(single.problems.map((p) => p.field)).toEqual(['Device.serialNumber']);
    expect(single.observations).toEqual([]);
    const bundle = readFhir(
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          { resource: { resourceType: 'Device', id: 'ok', serialNumber: 'A1' } },
          { resource: { resourceType: 'Device', id: 'bad', udiCarrier: [{ carrierHRF: '(01)51022222233337' }] } },
          {
            resource: {
              resourceType: 'Device',
              id: 'worse',
              deviceName: [{ name: 'x', type: 'model-name', colour: 1 }],
            },
          },
        ],
      }),
      'b.json',
    );
    expect(bundle.problems.map((p) => p.field)).toEqual([
      'Bundle.entry[2].resource.deviceName[0].colour',
      'Bundle.entry[1].resource.udiCarrier[0].carrierHRF',
    ]);
    expect(bundle.problems.map((p) => [p.code, p.severity, p.file, p.record, p.ref, p.row])).toEqual([
      ['INVENTORY_FHIR_INVALID', 'error', 'b.json', 'Bundle.entry[2].resource', 'Bundle.entry[2].resource', null],
      ['INVENTORY_FHIR_INVALID', 'error', 'b.json', 'Bundle.entry[1].resource', 'Bundle.entry[1].resource', null],
    ]);
    for (const p of bundle.problems) expect(p.reason).toBe(p.message);
    expect(bundle.observations).toHaveLength(1);
  });

  it('fills a Device from the DeviceDefinition it references, and never counts a definition as a device', () => {
    const r = readFhir(
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            resource: {
              resourceType: 'Device',
              id: 'pump-7',
              serialNumber: 'P7',
              definition: { reference: 'DeviceDefinition/alaris' },
            },
          },
          {
            resource: {
              resourceType: 'DeviceDefinition',
              id: 'alaris',
              manufacturerString: 'BD',
              modelNumber: '8015',
              type: { text: 'Infusion pump' },
            },
          },
          { resource: { resourceType: 'Patient', id: 'p1', name: [{ family: 'Shaw' }] } },
        ],
      }),
      'b.json',
    );
    expect(r).toMatchObject({ devices: 1, definitions: 1, skipped: { Patient: 1 }, problems: [] });
    expect(r.observations[0]?.fields).toMatchObject({
      manufacturer: 'BD',
      model: '8015',
      type: 'infusion-pump',
      serialNumber: 'P7',
    });
    expect(JSON.stringify(r.observations)).not.toContain('Shaw');
  });

  it('refuses what is not FHIR with INVENTORY_FHIR_INVALID, and never crashes on hostile text', () => {
    for (const text of [
      '{',
      '[]',
      '{"a":1}',
      '<Device><id value="x"></Device>',
      '<Device xmlns="urn:other"/>',
      '<a><b></a>',
    ]) {
      expect(() => readFhir(text, 'x')).toThrow(expect.objectContaining({ code: 'INVENTORY_FHIR_INVALID' }) as Error);
    }
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.string().map((s) => `<Device xmlns="http://hl7.org/fhir">${s}</Device>`),
          fc.anything().map((v) => JSON.stringify({ resourceType: 'Device', id: 'x', serialNumber: v, udiCarrier: v })),
        ),
        (text) => {
          try {
            const r = readFhir(text, 'fuzz');
            expect(r.observations.length).toBeLessThanOrEqual(1);
            if (r.observations.length === 0) expect(r.problems.length).toBeGreaterThan(0);
          } catch (error) {
            expect(isWardError(error) && error.code === 'INVENTORY_FHIR_INVALID').toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!have)('FHIR import: the real examples in ../shared/data/fhir', () => {
  let t: TestInventory;
  beforeEach(async () => {
    t = await openTestInventory();
  });
  afterEach(async () => {
    await t.close();
  });

  it('imports every R4 spec, US Core and PHD example with a Device or DeviceDefinition, then re-imports as a no-op', async () => {
    const all = [...files('r4-device-examples', /\.json$/), ...files('hl7-phd-ig-examples', /\.json$/)];
    let devices = 0;
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      const report = await t.service.import(text, { file });
      expect(`${file}: ${JSON.stringify(report.problems)}`).toBe(`${file}: []`);
      devices += report.created;
    }
    // R4: device-example, f001 feeding tube, US Core UDI (the DeviceDefinition is a model, not a device);
    // PHD: 3 devices, the gateway, and the 2 Devices of the Nonin transaction Bundle.
    expect(devices).toBe(9);
    for (const file of all) {
      const report = await t.service.import(readFileSync(file, 'utf8'), { file });
      expect(report.created + report.updated).toBe(0);
    }
    const udi = (await t.service.list({ q: '09504000059118', limit: 5 })).items;
    expect(udi).toHaveLength(1);
    expect(udi[0]?.udi).toMatchObject({ deviceIdentifier: '09504000059118', lot: '7654321D', serial: '10987654d321' });
    expect(udi[0]?.serialNumber).toBe('10987654d321');
    // Nothing about a patient is stored.
    for (const d of (await t.service.list({ limit: 100 })).items) {
      const row = await t.store.inventory.get(d.id);
      expect(row?.record).not.toMatch(/Patient\/|Amy Shaw/);
    }
  });

  it('imports the point-of-care patient monitor device tree (XML) with parents', async () => {
    const xml = files('hl7-pocd-ig-examples', /^Device-.*\.xml$/);
    expect(xml.length).toBeGreaterThanOrEqual(8);
    // One file at a time, in name order: channels and VMDs arrive before their MDS and wait for it.
    const pending: unknown[] = [];
    for (const file of xml) {
      const report = await t.service.import(readFileSync(file, 'utf8'), { file });
      expect(`${file}: ${JSON.stringify(report.problems)}`).toBe(`${file}: []`);
      for (const w of report.warnings) {
        expect(w).toMatchObject({ code: 'INVENTORY_PARENT_PENDING', severity: 'warning', file, field: 'parent' });
        pending.push(w);
      }
    }
    expect(pending.length).toBeGreaterThan(0);
    const devices = (await t.service.list({ limit: 50 })).items;
    expect(devices).toHaveLength(xml.length);
    const mds = devices.find((d) => d.serialNumber === '123456');
    expect(mds).toMatchObject({
      manufacturer: 'MyCompany',
      model: 'PM1',
      name: 'MyPhysioMonitor',
      type: 'patient-monitor',
      udi: { deviceIdentifier: '00012345678905', serial: '123456' },
    });
    const vmds = devices.filter((d) => d.parentId === mds?.id);
    expect(vmds.length).toBeGreaterThanOrEqual(3);
    const channels = devices.filter((d) => vmds.some((v) => v.id === d.parentId));
    expect(channels.length).toBeGreaterThanOrEqual(3);
  });

  it('reads the XML and a JSON rendering of the same resource identically', () => {
    const file = files('hl7-pocd-ig-examples', /^Device-PhysioMonitorMdsDevice\.xml$/)[0] ?? '';
    const fromXml = readFhir(readFileSync(file, 'utf8'), 'x.xml');
    const json = {
      resourceType: 'Device',
      id: 'PhysioMonitorMdsDevice',
      identifier: [{ system: 'urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680', value: '01-23-45-67-89-AB-CD-EF' }],
      udiCarrier: [{ deviceIdentifier: '00012345678905', carrierHRF: '(01)00012345678905(21)123456' }],
      status: 'active',
      manufacturer: 'MyCompany',
      serialNumber: '123456',
      deviceName: [{ name: 'MyPhysioMonitor', type: 'model-name' }],
      modelNumber: 'PM1',
      type: {
        coding: [
          { system: 'urn:iso:std:iso:11073:10101', code: '69965', display: 'MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS' },
        ],
        text: 'Patient Monitor',
      },
    };
    const fromJson = readFhir(JSON.stringify(json), 'x.json');
    expect(fromXml.problems).toEqual([]);
    expect(fromXml.observations).toEqual(fromJson.observations.map((o) => ({ ...o, ref: 'Device' })));
  });
});
