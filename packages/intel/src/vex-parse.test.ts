import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTEL_ERROR_CODES } from './errors.js';
import { parseVex } from './vex-parse.js';
import { validateCsafVex } from './vex-csaf.js';
import { dataDir, haveData, listFiles } from './test-data.js';

interface CdxVuln {
  analysis?: { state?: string; justification?: string; detail?: string };
  affects?: { ref: string; versions?: unknown[] }[];
}

const haveCdx = haveData('sbom/cyclonedx-bom-examples/VEX');
const cdxFiles = listFiles('sbom/cyclonedx-bom-examples/VEX').filter((f) => /vex[^/]*\.json$/.test(f));

describe.skipIf(!haveCdx)('CycloneDX VEX (CycloneDX and CISA use cases)', () => {
  it('finds the use cases', () => {
    expect(cdxFiles.length).toBeGreaterThanOrEqual(20);
  });
  for (const file of cdxFiles) {
    const rel = path.relative(dataDir, file);
    it(`${rel}: one statement per vulnerability × target × version entry`, () => {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { vulnerabilities?: CdxVuln[] };
      let expected = 0;
      for (const v of doc.vulnerabilities ?? []) {
        if (!v.analysis || !v.affects) continue;
        const unjustified = v.analysis.state === 'not_affected' && !v.analysis.justification && !v.analysis.detail;
        for (const a of v.affects) {
          const n = Math.max(1, a.versions?.length ?? 0);
          if (!unjustified) expected += n;
        }
      }
      const r = parseVex(readFileSync(file), rel);
      expect(r.format).toBe('cyclonedx');
      expect(r.statements).toHaveLength(expected);
      for (const p of r.problems) expect(INTEL_ERROR_CODES).toContain(p.code);
      for (const s of r.statements) {
        expect(s.component).toBeTruthy();
        if (s.status === 'not_affected') expect(s.justification ?? s.impactStatement).toBeTruthy();
      }
    });
  }

  it('CISA case 1: the four statuses', () => {
    const dir = path.join(dataDir, 'sbom/cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-1');
    const status = (name: string) => parseVex(readFileSync(path.join(dir, name)), name).statements.map((s) => s.status);
    expect(status('vex-affected.json')).toEqual(['affected']);
    expect(status('vex-fixed.json')).toEqual(['fixed']);
    expect(status('vex-not_affected.json')).toEqual(['not_affected']);
    expect(status('vex-under_investigation.json')).toEqual(['under_investigation']);
    const [na] = parseVex(readFileSync(path.join(dir, 'vex-not_affected.json')), 'x').statements;
    expect(na?.justification).toBe('vulnerable_code_not_present');
    expect(na?.sourceJustification).toBe('code_not_present');
  });

  it('CISA case 6: per-version status, never per CVE alone', () => {
    const file = path.join(dataDir, 'sbom/cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-6/vex.json');
    const { statements } = parseVex(readFileSync(file), 'case6');
    const byRange = new Map(statements.map((s) => [s.versionRange, s.status]));
    expect(byRange.get('vers:generic/2.4')).toBe('affected');
    expect(byRange.get('vers:generic/>=2.9|<=4.1')).toBe('affected');
    expect(byRange.get('vers:generic/4.2')).toBe('not_affected');
    expect(byRange.get('vers:generic/>=1.0|<=2.3')).toBe('not_affected');
  });
});

const haveCsaf = haveData('vulnerability/oasis-csaf-examples/csaf_vex');
const csafFiles = listFiles('vulnerability/oasis-csaf-examples/csaf_vex').filter((f) => f.endsWith('.json'));

interface CsafVuln {
  product_status?: Record<string, string[]>;
  flags?: { product_ids?: string[]; group_ids?: string[] }[];
  threats?: { category: string; product_ids?: string[]; group_ids?: string[] }[];
}

describe.skipIf(!haveCsaf)('CSAF VEX (OASIS examples)', () => {
  it('finds the 13 documents', () => {
    expect(csafFiles).toHaveLength(13);
  });
  for (const file of csafFiles) {
    const rel = path.relative(dataDir, file);
    it(`${rel}: one statement per vulnerability × product status entry`, async () => {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as {
        vulnerabilities?: CsafVuln[];
        product_tree?: { product_groups?: { group_id: string; product_ids: string[] }[] };
      };
      const groups = new Map((doc.product_tree?.product_groups ?? []).map((g) => [g.group_id, g.product_ids]));
      const expand = (e: { product_ids?: string[]; group_ids?: string[] }) => [
        ...(e.product_ids ?? []),
        ...(e.group_ids ?? []).flatMap((g) => groups.get(g) ?? []),
      ];
      let expected = 0;
      for (const v of doc.vulnerabilities ?? []) {
        const justified = new Set([
          ...(v.flags ?? []).flatMap(expand),
          ...(v.threats ?? []).filter((t) => t.category === 'impact').flatMap(expand),
        ]);
        for (const [key, ids] of Object.entries(v.product_status ?? {})) {
          if (
            ![
              'known_not_affected',
              'known_affected',
              'fixed',
              'first_fixed',
              'first_affected',
              'last_affected',
              'under_investigation',
            ].includes(key)
          )
            continue;
          expected += key === 'known_not_affected' ? ids.filter((id) => justified.has(id)).length : ids.length;
        }
      }
      const r = parseVex(readFileSync(file), rel);
      expect(r.format).toBe('csaf');
      expect(r.statements).toHaveLength(expected);
      expect(r.statements.length).toBeGreaterThan(0);
      for (const p of r.problems) expect(INTEL_ERROR_CODES).toContain(p.code);
      // the validator Ward uses for its own output accepts the published examples
      expect(await validateCsafVex(readFileSync(file, 'utf8'), rel)).toEqual([]);
    });
  }

  it('use case 6: components by vendor + product name, version ranges from the tree', () => {
    const file = path.join(dataDir, 'vulnerability/oasis-csaf-examples/csaf_vex/2022-evd-uc-06-001.json');
    const { statements } = parseVex(readFileSync(file), 'uc6');
    const s = statements.find((x) => x.versionRange === 'vers:generic/>=1.0|<=2.3');
    expect(s?.component).toBe('Example Company ABC');
    expect(s?.status).toBe('not_affected');
    expect(s?.impactStatement).toBeTruthy();
    expect(statements.find((x) => x.versionRange === 'vers:generic/2.4')?.status).toBe('affected');
  });
});

describe('CycloneDX VEX rules', () => {
  it('an unjustified not_affected is reported and not applied; a justified one for another component is', () => {
    const doc = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        { type: 'library', 'bom-ref': 'a', name: 'a', purl: 'pkg:npm/a@1.0.0' },
        { type: 'library', 'bom-ref': 'b', name: 'b', purl: 'pkg:npm/b@2.0.0' },
      ],
      vulnerabilities: [
        { id: 'CVE-2024-1', analysis: { state: 'not_affected' }, affects: [{ ref: 'a' }] },
        {
          id: 'CVE-2024-1',
          analysis: { state: 'not_affected', justification: 'protected_at_runtime' },
          affects: [{ ref: 'b' }],
        },
      ],
    };
    const r = parseVex(JSON.stringify(doc), 'x.cdx.json');
    expect(r.statements.map((s) => [s.vulnerability, s.component, s.justification, s.sourceJustification])).toEqual([
      ['CVE-2024-1', 'pkg:npm/b@2.0.0', 'inline_mitigations_already_exist', 'protected_at_runtime'],
    ]);
    expect(r.problems.map((p) => [p.code, p.severity, p.field])).toEqual([
      ['INTEL_VEX_JUSTIFICATION_MISSING', 'error', 'vulnerabilities[0].analysis.justification'],
    ]);
  });
});

describe('OpenVEX', () => {
  const doc = (statements: unknown[]) =>
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://openvex.dev/docs/example/vex-9fb3463de1b57',
      author: 'Wolfi J Inkinson',
      role: 'Document Creator',
      timestamp: '2023-01-08T18:02:03.647787998-06:00',
      version: 1,
      statements,
    });

  it('one statement per subcomponent within a product', () => {
    const r = parseVex(
      doc([
        {
          vulnerability: { name: 'CVE-2023-1234' },
          products: [
            {
              '@id': 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64',
              subcomponents: [{ '@id': 'pkg:apk/wolfi/openssl@3.0.7' }, { '@id': 'pkg:apk/wolfi/curl@8.0' }],
            },
          ],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ]),
      'a.openvex.json',
    );
    expect(r.format).toBe('openvex');
    expect(r.problems).toEqual([]);
    expect(r.statements.map((s) => [s.component, s.product, s.status, s.justification])).toEqual([
      [
        'pkg:apk/wolfi/openssl@3.0.7',
        'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64',
        'not_affected',
        'vulnerable_code_not_in_execute_path',
      ],
      [
        'pkg:apk/wolfi/curl@8.0',
        'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64',
        'not_affected',
        'vulnerable_code_not_in_execute_path',
      ],
    ]);
  });

  it('not_affected without justification or impact statement is reported and not applied', () => {
    const r = parseVex(
      doc([{ vulnerability: { name: 'CVE-2023-1' }, products: [{ '@id': 'pkg:npm/a@1' }], status: 'not_affected' }]),
      'b.json',
    );
    expect(r.statements).toEqual([]);
    expect(r.problems.map((p) => [p.code, p.record, p.field])).toEqual([
      ['INTEL_VEX_JUSTIFICATION_MISSING', 'statements[0]', 'statements[0].justification'],
    ]);
  });

  it('a statement without products cannot be applied per component', () => {
    const r = parseVex(
      doc([{ vulnerability: { name: 'CVE-2023-1' }, status: 'affected', action_statement: 'update' }]),
      'c.json',
    );
    expect(r.statements).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['INTEL_VEX_INVALID']);
  });

  it('hostile input never throws and yields only catalogued codes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('openvex', 'csaf', 'cdx'), (value, shape) => {
        const wrapped =
          shape === 'openvex'
            ? {
                '@context': 'https://openvex.dev/ns/v0.2.0',
                statements: [value, { products: value, vulnerability: value, status: 'affected' }],
              }
            : shape === 'csaf'
              ? {
                  document: { csaf_version: '2.0', category: 'csaf_vex' },
                  product_tree: value,
                  vulnerabilities: [value, { product_status: value, flags: value }],
                }
              : {
                  bomFormat: 'CycloneDX',
                  specVersion: '1.6',
                  vulnerabilities: [value, { id: 'CVE-1', analysis: value, affects: value }],
                };
        const r = parseVex(JSON.stringify(wrapped), 'fuzz.json');
        for (const p of r.problems) expect(INTEL_ERROR_CODES).toContain(p.code);
      }),
      { numRuns: 300 },
    );
  });
});
