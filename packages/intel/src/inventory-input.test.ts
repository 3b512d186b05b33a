import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceFromFhir, parseCsvRows, parseInventory } from './inventory-input.js';
import { INTEL_MATCH_ERROR_CODES } from './match-errors.js';
import { dataDir, haveData } from './test-data.js';
import { normaliseVendor } from './vendor-name.js';

describe('inventory input', () => {
  it('reads CSV with quotes, extra columns, CRLF, and reports bad rows by line and field', () => {
    const csv =
      'location,id,manufacturer,model,firmware\r\nICU,"pump,1",Baxter,"ExactaMix ""EM2400""",1.11\r\nER,m2,,IntelliVue,1\r\nER,m3,Philips,IntelliVue MX450,\r\nER,m3,Philips,dup,1\r\n';
    const { devices, problems } = parseInventory(csv, 'inv.csv');
    expect(devices).toEqual([
      { id: 'pump,1', manufacturer: 'Baxter', model: 'ExactaMix "EM2400"', firmware: '1.11' },
      { id: 'm3', manufacturer: 'Philips', model: 'IntelliVue MX450', firmware: null },
    ]);
    expect(problems.map((p) => [p.code, p.record, p.field])).toEqual([
      ['INTEL_INVENTORY_INVALID', 'line 3', 'manufacturer'],
      ['INTEL_INVENTORY_INVALID', 'line 5', 'id'],
    ]);
    expect(parseInventory('id,model\n1,2\n', 'x.csv').problems.map((p) => [p.record, p.field])).toEqual([
      [null, 'manufacturer,firmware'],
    ]);
  });

  it('round-trips generated CSV cells', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n');
          expect(parseCsvRows(text)).toEqual(rows.filter((r) => !(r.length === 1 && (r[0] ?? '').trim() === '')));
        },
      ),
    );
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          for (const p of parseInventory(text, 'x').problems)
            expect([...INTEL_MATCH_ERROR_CODES, 'INTEL_CPE_INVALID']).toContain(p.code);
        },
      ),
    );
  });
});

describe.skipIf(!haveData('fhir/hl7-phd-ig-examples'))('FHIR R4 Device', () => {
  it('maps a real personal-health Device: manufacturer, model number, the firmware-typed version', () => {
    const resource = JSON.parse(
      readFileSync(path.join(dataDir, 'fhir/hl7-phd-ig-examples/phd-711000FEFF5F49B0.B0495F001071.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(deviceFromFhir(resource)).toEqual({
      id: 'phd-711000FEFF5F49B0.B0495F001071',
      manufacturer: 'OMRONHEALTHCARE',
      model: 'HEM-9200T',
      firmware: 'C.00.7AJ-02',
    });
    expect(normaliseVendor('OMRONHEALTHCARE')).toBe(normaliseVendor('Omron Healthcare Co., Ltd.'));
    const bundle = JSON.stringify({
      resourceType: 'Bundle',
      entry: [
        { resource },
        { resource: { resourceType: 'Observation', id: 'o' } },
        { resource: { resourceType: 'Device', id: 'x', manufacturer: 'A' } },
      ],
    });
    const r = parseInventory(bundle, 'b.json');
    expect(r.devices.map((d) => d.id)).toEqual(['phd-711000FEFF5F49B0.B0495F001071']);
    expect(r.problems.map((p) => [p.code, p.record, p.field])).toEqual([
      ['INTEL_INVENTORY_INVALID', 'x', 'modelNumber'],
    ]);
  });
});
