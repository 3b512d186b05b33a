import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ward } from './test-helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir =
  [path.resolve(repoRoot, '../shared/data'), path.resolve(repoRoot, '../../shared/data')].find((d) => existsSync(d)) ??
  path.resolve(repoRoot, '../shared/data');
const have = existsSync(path.join(dataDir, 'vulnerability'));
if (!have) console.warn(`skipping ward match tests: ${dataDir} is absent`);
const vuln = (sub: string) => path.join(dataDir, 'vulnerability', sub);

const tmp = mkdtempSync(path.join(tmpdir(), 'ward-match-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
const write = (name: string, text: string): string => {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
};

const FIELDS = [
  'device',
  'component',
  'purl',
  'cpe',
  'vulnerability',
  'aliases',
  'source',
  'matchedBy',
  'confidence',
  'cvss',
  'kev',
  'epss',
  'vexStatus',
  'justification',
];

interface Out {
  findings: Record<string, unknown>[];
  problems: { code: string; file: string; record: string | null; field: string | null }[];
}

describe.skipIf(!have)('ward match', () => {
  it('matches a CSV inventory against ICSMA advisories by product tree, KEV-flagged, no match on other firmware, exact field names', async () => {
    // ICSMA-20-170-01 names Baxter ExactaMix EM2400 1.10 | 1.11 | 1.13 | 1.14; ICSMA-17-250-02 Smiths Medical Medfusion 4000.
    const inventory = write(
      'inventory.csv',
      'id,manufacturer,model,firmware,location\npump-1,Baxter International Inc.,ExactaMix EM2400,1.11,ICU\npump-2,Baxter,ExactaMix EM2400,1.12,ICU\n"mon,3",Philips,Unknown monitor,1.0,ER\n',
    );
    const r = await ward([
      'match',
      '--inventory',
      inventory,
      '--vulns',
      vuln('cisa-csaf-icsma'),
      vuln('cisa-kev/known_exploited_vulnerabilities.json'),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.json<Out>();
    const pump1 = out.findings.filter((f) => f['device'] === 'pump-1');
    expect(pump1.map((f) => f['vulnerability'])).toContain('CVE-2020-12016');
    expect(out.findings.filter((f) => f['device'] === 'pump-2')).toEqual([]);
    expect(out.findings.filter((f) => f['device'] === 'mon,3')).toEqual([]);
    const f = pump1.find((x) => x['vulnerability'] === 'CVE-2020-12016');
    for (const k of FIELDS) expect(f).toHaveProperty(k);
    expect(f).toMatchObject({
      source: 'csaf',
      matchedBy: 'csaf-product-tree',
      confidence: 'medium',
      purl: null,
      cpe: null,
      kev: false,
      epss: null,
      vexStatus: null,
      justification: null,
    });
    expect(f?.['aliases']).toEqual(['ICSMA-20-170-01']);
    expect(f?.['id']).toMatch(/^f-[0-9a-f]{32}$/);
    expect(f?.['because']).toMatchObject({ rule: 'csaf-product-tree', matchedOn: 'product', vex: null });
    expect(f?.['cvss']).toEqual({ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 8.1 });
  });

  it('flags KEV CVEs, reads a FHIR Bundle inventory, and attaches an SBOM to its device model', async () => {
    // A CycloneDX 1.4 SBOM for a Cisco RV340 (built here), firmware and hardware CPEs as NVD names them.
    const sbom = write(
      'rv340.cdx.json',
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        version: 1,
        metadata: {
          component: {
            type: 'device',
            name: 'RV340',
            version: '1.0.03.22',
            manufacturer: { name: 'Cisco Systems, Inc.' },
          },
        },
        components: [
          {
            type: 'firmware',
            'bom-ref': 'fw',
            name: 'RV340 firmware',
            version: '1.0.03.22',
            cpe: 'cpe:2.3:o:cisco:rv340_firmware:1.0.03.22:*:*:*:*:*:*:*',
          },
          { type: 'device', 'bom-ref': 'hw', name: 'RV340', cpe: 'cpe:2.3:h:cisco:rv340:-:*:*:*:*:*:*:*' },
        ],
      }),
    );
    const bundle = write(
      'devices.json',
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            resource: {
              resourceType: 'Device',
              id: 'router-7',
              manufacturer: 'Cisco',
              deviceName: [{ name: 'RV340', type: 'model-name' }],
              version: [{ type: { text: 'firmware' }, value: '1.0.03.22' }],
            },
          },
          { resource: { resourceType: 'Device', id: 'nameless' } },
        ],
      }),
    );
    const r = await ward([
      'match',
      '--sbom',
      sbom,
      '--inventory',
      bundle,
      '--vulns',
      vuln('nvd-api2-json-nvdlib-fixtures'),
      vuln('cisa-kev'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = r.json<Out>();
    const rv = out.findings.filter((f) => f['vulnerability'] === 'CVE-2022-20699');
    expect(rv.map((f) => [f['device'], f['component'], f['matchedBy'], f['cpe']])).toEqual([
      [
        'router-7',
        'RV340 firmware@1.0.03.22',
        'cpe-hw-fw-pair',
        'cpe:2.3:o:cisco:rv340_firmware:1.0.03.22:*:*:*:*:*:*:*',
      ],
    ]);
    // CVE-2022-20699 is in CISA's KEV catalogue.
    expect(rv[0]?.['kev']).toBe(true);
    expect(out.problems.map((p) => [p.code, p.record, p.field])).toContainEqual([
      'INTEL_INVENTORY_INVALID',
      'nameless',
      'manufacturer',
    ]);
  });

  it('runs the medical-device SBOMs stand-alone (device null) against NVD, CVE 5 and OSV samples', async () => {
    const sboms = ['extended.sbom.json', 'narrow.sbom.json'].map((n) =>
      path.join(dataDir, 'sbom/medical-device-sbom-case-study', n),
    );
    const r = await ward([
      'match',
      '--sbom',
      ...sboms,
      '--vulns',
      vuln('nvd-api2-json-nvdlib-fixtures'),
      vuln('cve-json5-vulnrichment-icsma'),
      vuln('osv-samples'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = r.json<Out>();
    // None of their components is named by these samples (see the intel test that computes this independently).
    expect(out.findings).toEqual([]);
    expect(out.problems.some((p) => p.code === 'INTEL_FEED_RECORD_INVALID' && p.file.includes('nointroduced'))).toBe(
      true,
    );
  });

  it('prints a table without --json, and fails cleanly on bad input', async () => {
    const inventory = write('inv2.csv', 'id,manufacturer,model,firmware\npump-1,Baxter,ExactaMix EM2400,1.11\n');
    const table = await ward([
      'match',
      '--inventory',
      inventory,
      '--vulns',
      vuln('cisa-csaf-icsma/2020/icsma-20-170-01.json'),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^DEVICE\s+COMPONENT\s+VULNERABILITY/);
    const missing = await ward(['match', '--inventory', inventory, '--vulns', path.join(tmp, 'nope'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'CLI_INPUT' } });
    const badCsv = write('bad.csv', 'name,vendor\nx,y\n');
    const bad = await ward([
      'match',
      '--inventory',
      badCsv,
      '--vulns',
      vuln('cisa-kev/known_exploited_vulnerabilities.json'),
      '--json',
    ]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr)).toMatchObject({
      error: { code: 'INTEL_INVENTORY_INVALID', details: { field: 'id,manufacturer,model,firmware' } },
    });
    const notSbom = await ward([
      'match',
      '--sbom',
      badCsv,
      '--vulns',
      vuln('cisa-kev/known_exploited_vulnerabilities.json'),
      '--json',
    ]);
    expect(notSbom.code).toBe(1);
    expect(JSON.parse(notSbom.stderr)).toMatchObject({ error: { code: 'CLI_INPUT' } });
    expect((await ward(['match', '--help'])).stdout).toContain('--inventory');
  });
});
