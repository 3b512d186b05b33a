import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateR4 } from '@ward/inventory';
import { afterAll, describe, expect, it } from 'vitest';
import { CMMS_CSV } from '../../../test/support/cmms.js';
import { ward } from './test-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ward-cli-devices-'));
let n = 0;
const freshDir = (): string => join(root, `d${String((n += 1))}`);
const file = (name: string, text: string): string => {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
};
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const CMMS = CMMS_CSV;

const FHIR = JSON.stringify({
  resourceType: 'Device',
  id: 'mx800',
  identifier: [{ system: 'http://hl7.org/fhir/sid/eui-48/ethernet', value: '00-09-FB-12-34-56' }],
  manufacturer: 'Philips',
  serialNumber: 'SN-2',
  version: [{ type: { text: 'software' }, value: 'M.00.04' }],
});

interface Report {
  created: number;
  updated: number;
  unchanged: number;
  committed: boolean;
  problems: { row: number | null; field: string | null }[];
}

describe('ward devices', () => {
  it('has help for every subcommand', async () => {
    for (const sub of ['list', 'show', 'import', 'export', 'edit', 'mapping']) {
      const r = await ward(['devices', sub, '--help']);
      expect(r.code, sub).toBe(0);
      expect(r.stdout).toMatch(/^Usage: ward devices/);
    }
    expect((await ward(['devices', 'import', '--help'])).stdout).toContain('--no-atomic');
    expect((await ward(['devices'])).code).toBe(2);
  });

  it('imports, re-imports as a no-op, merges FHIR, shows provenance and conflicts, edits and keeps history', async () => {
    const dir = freshDir();
    const csv = file('cmms.csv', CMMS);
    const first = await ward(['devices', 'import', csv, '--data-dir', dir, '--json']);
    expect(first.code).toBe(0);
    expect(first.json<{ reports: Report[] }>().reports[0]).toMatchObject({ created: 2, committed: true });
    const again = await ward(['devices', 'import', csv, '--data-dir', dir, '--json']);
    expect(again.json<{ reports: Report[] }>().reports[0]).toMatchObject({ created: 0, updated: 0, unchanged: 2 });

    const fhir = await ward(['devices', 'import', file('mx800.json', FHIR), '--data-dir', dir]);
    expect(fhir.code).toBe(0);
    expect(fhir.stdout).toContain('0 created, 1 updated');

    const list = await ward(['devices', 'list', '--criticality', 'life-supporting', '--data-dir', dir, '--json']);
    const items = list.json<{ items: { id: string; model: string }[] }>().items;
    expect(items.map((d) => d.model)).toEqual(['IntelliVue MX800']);
    const id = items[0]?.id ?? '';

    const shown = await ward(['devices', 'show', id, '--data-dir', dir]);
    expect(shown.stdout).toMatch(/firmware\s+M\.00\.03\s+csv cmms\.csv/);
    expect(shown.stdout).toMatch(/Conflicts/);
    expect(shown.stdout).toMatch(/M\.00\.04\s+fhir mx800\.json\s+not shown/);

    const edited = await ward([
      'devices',
      'edit',
      id,
      '--set',
      'location.room=Bed 5',
      '--set',
      'phi=yes',
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(edited.code).toBe(0);
    expect(edited.json()).toMatchObject({ location: { room: 'Bed 5' }, phi: true });
    const badEdit = await ward(['devices', 'edit', id, '--set', 'criticality=high', '--data-dir', dir]);
    expect(badEdit.code).toBe(2);
    expect(badEdit.stderr).toContain('INVENTORY_EDIT_INVALID');

    const history = await ward(['devices', 'show', id, '--history', '--data-dir', dir, '--json']);
    expect(history.json<{ history: { source: { kind: string } }[] }>().history.map((h) => h.source.kind)).toEqual([
      'csv',
      'fhir',
      'person',
    ]);
    const missing = await ward(['devices', 'show', 'nope', '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('INVENTORY_DEVICE_NOT_FOUND');
  });

  it('reports every bad row and commits nothing with --atomic; --no-atomic commits the good rows', async () => {
    const dir = freshDir();
    const bad = file('bad.csv', `${CMMS}\nBME-3,SN-3,GE,B650,1,10.0.0.999,,ICU,patient monitor,urgent\n`);
    const rejected = await ward(['devices', 'import', bad, '--data-dir', dir, '--json']);
    expect(rejected.code).toBe(1);
    expect(rejected.json<{ reports: Report[] }>().reports[0]?.problems.map((p) => [p.row, p.field])).toEqual([
      [4, 'IP Address'],
      [4, 'Criticality'],
    ]);
    expect(JSON.parse(rejected.stderr)).toMatchObject({ error: { code: 'INVENTORY_IMPORT_REJECTED' } });
    expect((await ward(['devices', 'list', '--data-dir', dir, '--json'])).json<{ items: unknown[] }>().items).toEqual(
      [],
    );

    const dry = await ward(['devices', 'import', csvFile(), '--dry-run', '--data-dir', dir]);
    expect(dry.stdout).toContain('dry run, nothing written');
    expect((await ward(['devices', 'list', '--data-dir', dir, '--json'])).json<{ items: unknown[] }>().items).toEqual(
      [],
    );

    const lenient = await ward(['devices', 'import', bad, '--no-atomic', '--data-dir', dir]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('row 4, IP Address');
    expect(
      (await ward(['devices', 'list', '--data-dir', dir, '--json'])).json<{ items: unknown[] }>().items,
    ).toHaveLength(2);
  });

  it('saves a mapping, imports with it by name, and exports FHIR R4 and CSV', async () => {
    const dir = freshDir();
    const mapping = file(
      'acme.json',
      JSON.stringify({
        columns: { 'Equip #': 'id', Descr: 'name', Cat: 'type' },
        values: { type: { 'LVP Pump': 'infusion-pump' } },
      }),
    );
    expect((await ward(['devices', 'mapping', 'save', 'acme', mapping, '--data-dir', dir])).code).toBe(0);
    const tsv = file('acme.tsv', 'Equip #\tDescr\tCat\n777\tPump 7\tLVP Pump\n');
    const imported = await ward(['devices', 'import', tsv, '--mapping', 'acme', '--data-dir', dir, '--json']);
    expect(imported.json<{ reports: Report[] }>().reports[0]).toMatchObject({
      created: 1,
      mapping: 'acme',
      format: 'tsv',
    });
    expect((await ward(['devices', 'mapping', 'list', '--data-dir', dir])).stdout).toContain('acme');

    const out = join(root, 'export.json');
    expect((await ward(['devices', 'export', '--out', out, '--data-dir', dir])).code).toBe(0);
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as { entry: { resource: unknown }[] };
    expect(bundle.entry).toHaveLength(1);
    for (const e of bundle.entry) expect(validateR4(e.resource)).toEqual([]);
    const csv = await ward(['devices', 'export', '--format', 'csv', '--type', 'infusion-pump', '--data-dir', dir]);
    expect(csv.stdout.split('\r\n')[1]).toContain('Pump 7');
  });
});

function csvFile(): string {
  return file('good.csv', CMMS);
}
