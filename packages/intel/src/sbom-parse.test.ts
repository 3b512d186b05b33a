import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTEL_ERROR_CODES } from './errors.js';
import { parseSbom } from './sbom-parse.js';
import { dataDir, haveData, listFiles } from './test-data.js';

const have = haveData('sbom');
const samples = listFiles('sbom').filter((f) => !f.endsWith('.md'));

/** Independent count of components: a plain walk of the document, not the parser's code. */
function expectedCount(text: string): number | null {
  const t = text.trimStart();
  if (t.startsWith('{')) {
    const doc = JSON.parse(text) as Record<string, unknown>;
    if (doc.bomFormat === 'CycloneDX') {
      const walk = (list: unknown): number =>
        Array.isArray(list)
          ? list.reduce<number>((n, c) => n + 1 + walk((c as { components?: unknown }).components), 0)
          : 0;
      return walk(doc.components);
    }
    if (typeof doc.spdxVersion === 'string') return Array.isArray(doc.packages) ? doc.packages.length : 0;
    if ('@graph' in doc) {
      const types = new Set(['software_Package', 'ai_AIPackage', 'dataset_DatasetPackage']);
      return (doc['@graph'] as { type?: string }[]).filter((e) => types.has(e.type ?? '')).length;
    }
    return null;
  }
  if (t.startsWith('<') && /cyclonedx\.org\/schema\/bom/.test(text)) {
    const body = text.replace(/<metadata>[\s\S]*?<\/metadata>/, '');
    return [...body.matchAll(/<component[\s>]/g)].length;
  }
  if (/^SPDXVersion:/m.test(text)) return [...text.matchAll(/^PackageName:/gm)].length;
  return null;
}

describe.skipIf(!have)('parseSbom on every sample under shared/data/sbom', () => {
  it('finds samples', () => {
    expect(samples.length).toBeGreaterThan(100);
  });

  for (const file of samples) {
    const rel = path.relative(dataDir, file);
    it(rel, () => {
      const bytes = readFileSync(file);
      const result = parseSbom(bytes, rel);
      for (const p of result.problems) {
        expect(INTEL_ERROR_CODES).toContain(p.code);
        expect(p.file).toBe(rel);
      }
      const expected = expectedCount(bytes.toString('utf8'));
      if (expected === null) {
        // not an SBOM format Ward reads (SPDX YAML/RDF-XML): a coded format problem, no SBOM
        expect(result.sbom).toBeNull();
        expect(result.problems.map((p) => p.code)).toContain('INTEL_SBOM_FORMAT');
      } else {
        expect(result.sbom).not.toBeNull();
        expect(result.sbom?.components.length).toBe(expected);
      }
    });
  }
});

describe.skipIf(!have)('medical-device SBOMs', () => {
  for (const [name, count] of [
    ['extended.sbom.json', 65],
    ['narrow.sbom.json', 55],
  ] as const) {
    it(`${name}: identity, FDA support properties and the graph`, () => {
      const file = path.join(dataDir, 'sbom/medical-device-sbom-case-study', name);
      const { sbom, problems } = parseSbom(readFileSync(file), name);
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(sbom?.format).toBe('cyclonedx-json');
      expect(sbom?.components).toHaveLength(count);
      for (const c of sbom?.components ?? []) {
        expect(c.purl).toMatch(/^pkg:/);
        expect(c.cpe).toMatch(/^cpe:2\.3:/);
        expect(c.support?.endOfSupport).toBeTruthy();
        expect(c.support?.levelOfSupport).toBeTruthy();
      }
      const wolf = sbom?.components.find((c) => c.name.toLowerCase().includes('wolfssl'));
      expect(wolf?.version).toBe('4.8.1');
      expect(wolf?.cpe).toBe('cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*');
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: { dependsOn?: string[] }[] };
      const edges = (doc.dependencies ?? []).reduce((n, d) => n + (d.dependsOn?.length ?? 0), 0);
      expect(sbom?.dependencies).toHaveLength(edges);
    });
  }
});

describe.skipIf(!have)('bad input', () => {
  it('bad-purls.cdx.xml: each malformed purl reported with its record and field, the rest kept', () => {
    const file = path.join(dataDir, 'sbom/osv-scanner-fixtures/bad-purls.cdx.xml');
    const { sbom, problems } = parseSbom(readFileSync(file), 'bad-purls.cdx.xml');
    const purlProblems = problems.filter((p) => p.code === 'INTEL_PURL_INVALID');
    const text = readFileSync(file, 'utf8');
    const bad = [...text.matchAll(/<purl>(.*?)<\/purl>/g)]
      .map((m) => m[1] ?? '')
      .filter((p) => !/^pkg:[a-z]+\/[^/@]+(\/[^/@]+)*@/.test(p.replace(/&amp;/g, '&')));
    expect(purlProblems).toHaveLength(bad.length);
    for (const p of purlProblems) {
      expect(p.record).toBeTruthy();
      expect(p.field).toMatch(/^components\[\d+\]\.purl$/);
    }
    expect(problems.some((p) => p.code === 'INTEL_SBOM_INVALID' && p.field === 'components[0].name')).toBe(true);
    const good = sbom?.components.filter((c) => c.purl !== null) ?? [];
    expect(good.length).toBe([...text.matchAll(/<purl>/g)].length - bad.length);
  });

  it('not JSON, not XML, empty, binary: a coded problem and no SBOM', () => {
    for (const input of ['', '{', '<bom', 'hello', new Uint8Array([0, 1, 2, 255]), '{"bomFormat":"CycloneDX"', '[]']) {
      const r = parseSbom(input, 'x');
      expect(r.sbom).toBeNull();
      expect(r.problems.length).toBeGreaterThan(0);
      expect(['INTEL_SBOM_INVALID', 'INTEL_SBOM_FORMAT']).toContain(r.problems[0]?.code);
    }
  });

  it('refuses XML entity declarations', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaa">]><bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&a;</name></component></components></bom>`;
    const r = parseSbom(xml, 'x.xml');
    expect(r.sbom).toBeNull();
    expect(r.problems[0]?.code).toBe('INTEL_SBOM_INVALID');
  });
});

describe('properties', () => {
  const base = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    components: [
      { type: 'library', 'bom-ref': 'a', name: 'a', version: '1', purl: 'pkg:npm/a@1' },
      { type: 'library', 'bom-ref': 'b', name: 'b', version: '2', cpe: 'cpe:/a:acme:b:2' },
    ],
    dependencies: [{ ref: 'a', dependsOn: ['b'] }],
  };

  it('a CPE 2.2 URI becomes CPE 2.3', () => {
    const r = parseSbom(JSON.stringify(base), 'x.json');
    expect(r.sbom?.components[1]?.cpe).toBe('cpe:2.3:a:acme:b:2:*:*:*:*:*:*:*');
    expect(r.sbom?.dependencies).toEqual([{ from: 'a', to: 'b' }]);
  });

  it('any JSON value in any component field: no throw, coded problems only', () => {
    const fieldNames = [
      'bom-ref',
      'name',
      'version',
      'purl',
      'cpe',
      'hashes',
      'properties',
      'components',
      'type',
      'supplier',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...fieldNames), fc.jsonValue(), fc.nat(1), (key, value, index) => {
        const doc = structuredClone(base) as { components: Record<string, unknown>[] };
        const target = doc.components[index];
        if (target) target[key] = value;
        const r = parseSbom(JSON.stringify(doc), 'mut.json');
        expect(r.sbom?.components.length).toBeGreaterThanOrEqual(2);
        for (const p of r.problems) expect(INTEL_ERROR_CODES).toContain(p.code);
      }),
      { numRuns: 300 },
    );
  });

  it('truncated or byte-flipped documents never throw', () => {
    const text = JSON.stringify(base);
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(255), fc.boolean(), (at, byte, truncate) => {
        const bytes = new TextEncoder().encode(text);
        const mutated = truncate ? bytes.subarray(0, at) : bytes.map((b, i) => (i === at ? byte : b));
        const r = parseSbom(mutated, 'mut.json');
        for (const p of r.problems) expect(INTEL_ERROR_CODES).toContain(p.code);
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!have)('mutated real documents of every format', () => {
  const files = [
    'spdx-spec-2.3-examples/SPDXTagExample-v2.3.spdx',
    'spdx-spec-2.3-examples/SPDXJSONExample-v2.3.spdx.json',
    'spdx-examples/software/example14/spdx3.0/examplemaven-0.0.1-enriched.spdx3.json',
    'osv-scanner-fixtures/alpine.cdx.xml',
    'medical-device-sbom-case-study/narrow.sbom.json',
  ];
  for (const rel of files) {
    it(`${rel}: truncations, byte flips and deleted lines never throw`, () => {
      const bytes = readFileSync(path.join(dataDir, 'sbom', rel));
      const text = bytes.toString('utf8');
      const lines = text.split('\n');
      fc.assert(
        fc.property(
          fc.nat(bytes.length),
          fc.nat(255),
          fc.nat(lines.length),
          fc.constantFrom('cut', 'flip', 'drop'),
          (at, byte, line, how) => {
            const input =
              how === 'cut'
                ? bytes.subarray(0, at)
                : how === 'flip'
                  ? bytes.map((b, i) => (i === at ? byte : b))
                  : lines.filter((_, i) => i !== line).join('\n');
            const r = parseSbom(input, rel);
            for (const p of r.problems) expect(INTEL_ERROR_CODES).toContain(p.code);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
