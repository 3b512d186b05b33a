import { validateR4 } from '@ward/inventory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-helpers.js';

const CMMS = [
  'Asset Tag,Serial No,Vendor,Model,Software Version,IP Address,MAC Address,Department,Device Type,Criticality',
  'BME-1,SN-1,BD,Alaris PC 8015,12.1.2,10.20.1.17,00:1e:c0:aa:00:17,ICU,infusion pump,life-sustaining',
  'BME-2,SN-2,Philips,IntelliVue MX800,M.00.03,10.20.2.40,00:09:fb:12:34:56,ICU,patient monitor,life-supporting',
  'BME-3,SN-3,Siemens Healthineers,SOMATOM go.Up,VA30A,10.30.0.5,,Radiology,CT,diagnostic',
].join('\n');

const MDS_XML = `<?xml version="1.0" encoding="utf-8"?>
<Device xmlns="http://hl7.org/fhir">
  <id value="mx800"/>
  <identifier><system value="http://hl7.org/fhir/sid/eui-48/ethernet"/><value value="00-09-FB-12-34-56"/></identifier>
  <manufacturer value="Philips"/>
  <serialNumber value="SN-2"/>
  <modelNumber value="MX800"/>
  <version><type><text value="software"/></type><value value="M.00.04"/></version>
</Device>`;

interface Device {
  id: string;
  model: string | null;
  firmwareVersion: string | null;
  version: number;
  conflicts: { field: string; others: { value: unknown }[] }[];
  provenance: Record<string, { source: { kind: string; userId?: string } }>;
  identifiers: { kind: string; value: string }[];
}

describe('device routes', () => {
  let t: TestApp;
  const engineer = () => bearer(t.tokens['clinical-engineer']);
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const importCsv = (body: string, query = '', headers = engineer()) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/devices/import?file=cmms.csv${query}`,
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: body,
    });

  it('refuses an import from a role that may not write devices', async () => {
    const res = await importCsv(CMMS, '', bearer(t.tokens.auditor));
    expect(res.statusCode).toBe(403);
  });

  it('answers 422 with every bad row when atomic, and writes nothing', async () => {
    const res = await importCsv(`${CMMS}\nBME-9,SN-9,BD,X,1,999.1.1.1,,ICU,toaster,diagnostic`);
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; errors: { field: string }[]; report: { committed: boolean } }>();
    expect(body.code).toBe('INVENTORY_IMPORT_REJECTED');
    expect(body.errors.map((e) => e.field)).toEqual(['row 5: IP Address', 'row 5: Device Type']);
    expect(body.report.committed).toBe(false);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: engineer() });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('imports CSV, previews with dryRun, and re-imports as a no-op', async () => {
    const dry = await importCsv(CMMS, '&dryRun=true');
    expect(dry.json()).toMatchObject({ created: 3, committed: false, dryRun: true });
    const first = await importCsv(CMMS);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ created: 3, committed: true, format: 'csv' });
    const again = await importCsv(CMMS);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('merges a FHIR XML Device into the same record and shows the conflict and identifiers', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/devices/import?file=ehr.xml',
      headers: { ...engineer(), 'content-type': 'application/fhir+xml' },
      payload: MDS_XML,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ format: 'fhir', created: 0, updated: 1 });
    const page = await t.app.inject({ method: 'GET', url: '/api/v1/devices?q=mx800', headers: engineer() });
    const id = page.json<{ items: Device[] }>().items[0]?.id ?? '';
    const shown = await t.app.inject({
      method: 'GET',
      url: `/api/v1/devices/${id}`,
      headers: bearer(t.tokens.auditor),
    });
    const device = shown.json<Device>();
    expect(device.model).toBe('IntelliVue MX800');
    expect(device.conflicts.find((c) => c.field === 'firmwareVersion')?.others.map((o) => o.value)).toEqual([
      'M.00.04',
    ]);
    expect(device.identifiers).toContainEqual({ kind: 'mac', value: '00:09:fb:12:34:56' });
    expect(device.identifiers).toContainEqual({ kind: 'fhir', value: 'Device/mx800' });
  });

  it("records a person's edit under their user id and keeps the history", async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/v1/devices?type=ct', headers: engineer() });
    const id = page.json<{ items: Device[] }>().items[0]?.id ?? '';
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${id}`,
      headers: engineer(),
      payload: { location: { room: 'CT 1' }, phi: true, lifecycle: 'maintenance' },
    });
    expect(edit.statusCode).toBe(200);
    const edited = edit.json<Device & { location: { room: string } }>();
    expect(edited.location.room).toBe('CT 1');
    const engineerId = (await t.app.accounts.listUsers()).find((u) => u.username === 'u-clinical-engineer')?.id;
    expect(edited.provenance['location.room']?.source).toEqual({ kind: 'person', userId: engineerId });
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${id}`,
      headers: engineer(),
      payload: { macs: ['not-a-mac'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVENTORY_EDIT_INVALID', errors: [{ field: 'macs' }] });
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/devices/${id}/history`, headers: engineer() });
    expect(
      history.json<{ items: { version: number; source: { kind: string } }[] }>().items.map((h) => h.source.kind),
    ).toEqual(['csv', 'person']);
    const missing = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/devices/none',
      headers: engineer(),
      payload: {},
    });
    expect(missing.statusCode).toBe(404);
  });

  it('filters, sorts and pages', async () => {
    const get = async (query: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/devices?${query}`, headers: engineer() })).json<{
        items: Device[];
        nextCursor: string | null;
      }>();
    expect((await get('criticality=life-sustaining')).items.map((d) => d.model)).toEqual(['Alaris PC 8015']);
    expect((await get('department=ICU&sort=criticality&order=desc')).items.map((d) => d.model)).toEqual([
      'IntelliVue MX800',
      'Alaris PC 8015',
    ]);
    expect((await get('vendor=siem')).items).toHaveLength(1);
    expect((await get('hasFindings=true')).items).toEqual([]);
    const first = await get('limit=2&sort=name');
    expect(first.items).toHaveLength(2);
    const second = await get(`limit=2&sort=name&cursor=${first.nextCursor ?? ''}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/v1/devices?limit=2&sort=type&cursor=${first.nextCursor ?? ''}`,
      headers: engineer(),
    });
    expect(bad.json()).toMatchObject({ code: 'STORE_INVALID_CURSOR' });
  });

  it('exports valid FHIR R4 and CSV', async () => {
    const fhir = await t.app.inject({ method: 'GET', url: '/api/v1/devices/export', headers: engineer() });
    expect(fhir.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = fhir.json<{ entry: { resource: unknown }[] }>();
    expect(bundle.entry).toHaveLength(3);
    for (const e of bundle.entry) expect(validateR4(e.resource)).toEqual([]);
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/v1/devices/export?format=csv&type=ct',
      headers: engineer(),
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.trim().split('\r\n')).toHaveLength(2);
  });

  it('saves a mapping by name and imports with it', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/devices/mappings/acme',
      headers: engineer(),
      payload: {
        columns: { 'Equip #': 'id', Descr: 'name', Cat: 'type' },
        values: { type: { 'LVP Pump': 'infusion-pump' } },
      },
    });
    expect(put.statusCode).toBe(200);
    const res = await importCsv('Equip #\tDescr\tCat\n777\tPump 7\tLVP Pump\n', '&mapping=acme');
    expect(res.json()).toMatchObject({ created: 1, mapping: 'acme', format: 'tsv' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/devices/mappings', headers: engineer() });
    expect(list.json<{ items: { name: string }[] }>().items.map((m) => m.name)).toEqual(['acme']);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/devices/mappings/x',
      headers: engineer(),
      payload: { columns: 3 },
    });
    expect(bad.json()).toMatchObject({ code: 'INVENTORY_MAPPING_INVALID' });
    const unknown = await importCsv('a\n1\n', '&mapping=nope');
    expect(unknown.statusCode).toBe(404);
  });
});
