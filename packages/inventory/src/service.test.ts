import { blankDiscoveredDevice, type DiscoveredDevice } from '@ward/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryChangeEvent } from './service.js';
import { openTestInventory, type TestInventory } from './test-helpers.js';
import { validateR4 } from './fhir-r4.js';

const CMMS = [
  'Asset Tag,Serial No,Vendor,Model,Software Version,IP Address,MAC Address,Location,Department,Device Type,Criticality',
  'BME-00417,8015-1234567,BD,Alaris PC 8015,12.1.2,10.20.1.17,00:1e:c0:aa:00:17,Main / Tower A / ICU / Bed 4,ICU,infusion pump,life-sustaining',
  'BME-00918,SX-99102,Philips,IntelliVue MX800,M.00.03,10.20.2.40,00:09:fb:12:34:56,Main / Tower A / ICU / Bed 5,ICU,patient monitor,life-supporting',
  'BME-01207,CT-77001,Siemens Healthineers,SOMATOM go.Up,VA30A,10.30.0.5,,Main / Radiology / CT 1,Radiology,CT,diagnostic',
].join('\n');

function discovered(overrides: Partial<DiscoveredDevice>): DiscoveredDevice {
  return { ...blankDiscoveredDevice('mac:00:09:fb:12:34:56'), ...overrides };
}

describe('InventoryService', () => {
  let t: TestInventory;
  beforeEach(async () => {
    t = await openTestInventory();
  });
  afterEach(async () => {
    await t.close();
  });

  it('imports a CMMS export by its common headers, and re-importing it changes nothing', async () => {
    const events: InventoryChangeEvent[] = [];
    t.service.onChange((e) => events.push(e));
    const first = await t.service.import(CMMS, { file: 'cmms.csv' });
    expect(first).toMatchObject({ format: 'csv', records: 3, created: 3, updated: 0, problems: [], committed: true });
    expect(events.map((e) => e.kind)).toEqual(['created', 'created', 'created']);
    const page = await t.service.list({ limit: 10, sort: 'name' });
    const pump = page.items.find((d) => d.assetTag === 'BME-00417');
    expect(pump).toMatchObject({
      type: 'infusion-pump',
      manufacturer: 'BD',
      model: 'Alaris PC 8015',
      firmwareVersion: '12.1.2',
      ips: ['10.20.1.17'],
      macs: ['00:1e:c0:aa:00:17'],
      location: { site: 'Main', building: 'Tower A', unit: 'ICU', room: 'Bed 4' },
      department: 'ICU',
      criticality: 'life-sustaining',
      version: 1,
    });
    expect(pump?.provenance.model).toEqual({
      source: { kind: 'csv', file: 'cmms.csv', mapping: null },
      at: '2026-03-01T10:00:00.000Z',
    });

    t.setNow('2026-03-02T10:00:00.000Z');
    const again = await t.service.import(CMMS, { file: 'cmms.csv' });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const after = await t.service.get(pump?.id ?? '');
    expect(after?.version).toBe(1);
    expect(after?.updatedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(await t.service.history(pump?.id ?? '')).toHaveLength(1);
    expect(events).toHaveLength(3);
  });

  it('reports every bad row and column, commits nothing when atomic, the good rows when not', async () => {
    const bad = [
      CMMS,
      'BME-02000,X-1,BD,Alaris,1,10.0.0.300,zz:zz,ICU,ICU,toaster,very',
      'BME-02001,X-2,BD,Alaris,1,10.0.0.3,,ICU,ICU,infusion pump,diagnostic,extra',
    ].join('\n');
    const atomic = await t.service.import(bad, { file: 'bad.csv' });
    expect(atomic.committed).toBe(false);
    expect(atomic.problems.map((p) => [p.row, p.field])).toEqual([
      [5, 'IP Address'],
      [5, 'MAC Address'],
      [5, 'Device Type'],
      [5, 'Criticality'],
      [6, null],
    ]);
    // It still says what would have changed.
    expect(atomic.created).toBe(3);
    expect((await t.service.list({ limit: 10 })).items).toEqual([]);

    const lenient = await t.service.import(bad, { file: 'bad.csv', atomic: false });
    expect(lenient).toMatchObject({ committed: true, created: 3 });
    expect(lenient.problems).toHaveLength(5);
    expect((await t.service.list({ limit: 10 })).items).toHaveLength(3);
  });

  it('reports what a dry run would change and writes nothing', async () => {
    const events: InventoryChangeEvent[] = [];
    t.service.onChange((e) => events.push(e));
    const dry = await t.service.import(CMMS, { file: 'cmms.csv', dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, committed: false, created: 3 });
    expect(dry.outcomes[0]?.changes.map((c) => c.field)).toContain('serialNumber');
    expect((await t.service.list({ limit: 10 })).items).toEqual([]);
    expect(events).toEqual([]);
  });

  it('merges a capture, a CMMS export and a FHIR Device describing the same devices into one record each', async () => {
    t.setNow('2026-03-01T09:00:00.000Z');
    await t.service.applyDiscovery([
      discovered({
        id: 'mac:00:09:fb:12:34:56',
        macs: ['00:09:FB:12:34:56'],
        ips: ['10.20.2.40'],
        vendor: 'Philips Medical Systems',
        type: 'patient-monitor',
        firstSeen: '2026-02-28T08:00:00.000Z',
        lastSeen: '2026-03-01T08:59:00.000Z',
      }),
      discovered({
        id: 'mac:00:1b:fe:00:00:01',
        macs: ['00:1b:fe:00:00:01'],
        ips: ['10.30.0.9'],
        vendor: 'Siemens',
        type: 'ct',
        dicom: { aeTitles: ['CT_SCANNER_1'], roles: ['SCU'], sopClasses: [] },
      }),
    ]);
    t.setNow('2026-03-01T10:00:00.000Z');
    await t.service.import(CMMS, { file: 'cmms.csv' });
    t.setNow('2026-03-01T11:00:00.000Z');
    const fhir = JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Device',
            id: 'mx800',
            identifier: [{ system: 'http://hl7.org/fhir/sid/eui-48/ethernet', value: '00-09-FB-12-34-56' }],
            manufacturer: 'Philips',
            modelNumber: 'MX800',
            serialNumber: 'SX-99102',
            version: [{ type: { text: 'software' }, value: 'M.00.04' }],
          },
        },
      ],
    });
    const report = await t.service.import(fhir, { file: 'ehr.json' });
    expect(report).toMatchObject({ format: 'fhir', created: 0, updated: 1 });

    const all = (await t.service.list({ limit: 50 })).items;
    expect(all).toHaveLength(4);
    const monitor = all.find((d) => d.macs.includes('00:09:fb:12:34:56'));
    expect(monitor).toMatchObject({
      assetTag: 'BME-00918',
      model: 'IntelliVue MX800',
      manufacturer: 'Philips',
      firmwareVersion: 'M.00.03',
      type: 'patient-monitor',
      network: { firstSeen: '2026-02-28T08:00:00.000Z', lastSeen: '2026-03-01T08:59:00.000Z' },
    });
    expect(monitor?.provenance['network.lastSeen']?.source).toEqual({ kind: 'sensor', sensor: 'local' });
    expect(monitor?.provenance.firmwareVersion?.source.kind).toBe('csv');
    const firmware = monitor?.conflicts.find((c) => c.field === 'firmwareVersion');
    expect(firmware?.kept.value).toBe('M.00.03');
    expect(firmware?.others.map((o) => [o.value, o.source.kind])).toEqual([['M.00.04', 'fhir']]);
    expect(monitor?.conflicts.find((c) => c.field === 'manufacturer')?.others.map((o) => o.value)).toEqual([
      'Philips Medical Systems',
    ]);

    // Re-running every import is a no-op.
    const versions = all.map((d) => d.version);
    await t.service.import(CMMS, { file: 'cmms.csv' });
    await t.service.import(fhir, { file: 'ehr.json' });
    expect((await t.service.list({ limit: 50 })).items.map((d) => d.version)).toEqual(versions);
  });

  it('lets a person override any source, hand the field back, and retire without losing history', async () => {
    await t.service.import(CMMS, { file: 'cmms.csv' });
    const pump = (await t.service.list({ q: 'alaris', limit: 1 })).items[0];
    const id = pump?.id ?? '';
    t.setNow('2026-03-05T00:00:00.000Z');
    const edited = await t.service.edit(id, { department: 'Oncology', phi: 'yes' }, 'user-1');
    expect(edited).toMatchObject({ department: 'Oncology', phi: true, version: 2 });
    expect(edited.provenance.department?.source).toEqual({ kind: 'person', userId: 'user-1' });
    expect(edited.conflicts.find((c) => c.field === 'department')?.others[0]?.value).toBe('ICU');
    const handed = await t.service.edit(id, { department: null }, 'user-1');
    expect(handed.department).toBe('ICU');
    const retired = await t.service.retire(id, 'user-1');
    expect(retired.lifecycle).toBe('retired');
    const history = await t.service.history(id);
    expect(history.map((h) => [h.version, h.source.kind])).toEqual([
      [1, 'csv'],
      [2, 'person'],
      [3, 'person'],
      [4, 'person'],
    ]);
    expect((await t.service.list({ lifecycle: 'retired', limit: 5 })).items.map((d) => d.id)).toEqual([id]);
    await expect(t.service.edit(id, { criticality: 'very' }, 'u')).rejects.toMatchObject({
      code: 'INVENTORY_EDIT_INVALID',
    });
    await expect(t.service.edit(id, { nonsense: 1 }, 'u')).rejects.toMatchObject({ code: 'INVENTORY_EDIT_INVALID' });
    await expect(t.service.edit('missing', { owner: 'x' }, 'u')).rejects.toMatchObject({
      code: 'INVENTORY_DEVICE_NOT_FOUND',
    });
  });

  it('uses saved mappings by name, translating a CMMS vocabulary', async () => {
    await t.service.saveMapping('acme-cmms', {
      columns: { 'Equip #': 'id', Descr: 'name', Cat: 'type', Crit: 'criticality', 'Mfr Name': 'manufacturer' },
      values: { type: { 'LVP PUMP': 'infusion-pump' }, criticality: { 'A - Life Support': 'life-sustaining' } },
    });
    const csv = 'Equip #;Descr;Cat;Crit;Mfr Name\n10001;Pump bay 3;LVP Pump;A - Life Support;Baxter\n';
    const report = await t.service.import(csv, { file: 'acme.csv', mapping: 'acme-cmms' });
    expect(report).toMatchObject({ mapping: 'acme-cmms', created: 1, problems: [] });
    const d = (await t.service.list({ limit: 1 })).items[0];
    expect(d).toMatchObject({ name: 'Pump bay 3', type: 'infusion-pump', criticality: 'life-sustaining' });
    expect(d?.provenance.name?.source).toEqual({ kind: 'csv', file: 'acme.csv', mapping: 'acme-cmms' });
    // The same export under another file name is the same source: nothing changes.
    expect(await t.service.import(csv, { file: 'acme-2.csv', mapping: 'acme-cmms' })).toMatchObject({ unchanged: 1 });
    await expect(t.service.import(csv, { file: 'x.csv', mapping: 'nope' })).rejects.toMatchObject({
      code: 'INVENTORY_MAPPING_NOT_FOUND',
    });
    await expect(t.service.saveMapping('bad', { columns: { a: 'nowhere' } })).rejects.toMatchObject({
      code: 'INVENTORY_MAPPING_INVALID',
    });
  });

  it('exports FHIR R4 Devices that validate, and CSV that imports back as the same devices', async () => {
    await t.service.import(CMMS, { file: 'cmms.csv' });
    const first = (await t.service.list({ limit: 1 })).items[0];
    await t.service.edit(
      first?.id ?? '',
      { udi: '(01)51022222233336(11)141231(17)150707(10)A213B1(21)1234', phi: 'no' },
      'u',
    );
    const bundle = await t.service.exportFhir();
    const entries = bundle.entry as { resource: Record<string, unknown> }[];
    expect(entries).toHaveLength(3);
    expect(validateR4(bundle)).toEqual([]);
    for (const e of entries) expect(validateR4(e.resource)).toEqual([]);

    let csv = '';
    for await (const line of t.service.exportCsv()) csv += line;
    const other = await openTestInventory();
    try {
      const report = await other.service.import(csv, { file: 'export.csv' });
      expect(report.problems).toEqual([]);
      const strip = (d: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(d).filter(([k]) => !['id', 'provenance', 'conflicts', 'createdAt', 'updatedAt'].includes(k)),
        );
      const mine = (await t.service.list({ limit: 10, sort: 'name' })).items.map((d) => strip({ ...d }));
      const theirs = (await other.service.list({ limit: 10, sort: 'name' })).items.map((d) => strip({ ...d }));
      expect(theirs.map((d) => ({ ...d, version: 0 }))).toEqual(mine.map((d) => ({ ...d, version: 0 })));
    } finally {
      await other.close();
    }
  });

  it('filters and searches through the service', async () => {
    await t.service.import(CMMS, { file: 'cmms.csv' });
    const names = async (q: Parameters<typeof t.service.list>[0]) =>
      (await t.service.list(q)).items.map((d) => d.model);
    expect(await names({ limit: 9, type: 'ct' })).toEqual(['SOMATOM go.Up']);
    expect(await names({ limit: 9, criticality: 'life-supporting' })).toEqual(['IntelliVue MX800']);
    expect(await names({ limit: 9, department: 'ICU', sort: 'criticality' })).toEqual([
      'Alaris PC 8015',
      'IntelliVue MX800',
    ]);
    expect(await names({ limit: 9, vendor: 'siemens' })).toEqual(['SOMATOM go.Up']);
    expect(await names({ limit: 9, q: '00:09:fb' })).toEqual(['IntelliVue MX800']);
    expect(await names({ limit: 9, q: '10.30.0.5' })).toEqual(['SOMATOM go.Up']);
    expect(await names({ limit: 9, hasFindings: true })).toEqual([]);
  });
});
