import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTEL_MATCH_ERROR_CODES } from '../match-errors.js';
import { dataDir, haveData, listFiles } from '../test-data.js';
import { parseCsaf } from './csaf.js';
import { validateCsaf } from './csaf-validate.js';
import { detectFeedFormat, parseFeed } from './detect.js';
import { parseEpss } from './epss.js';
import { parseKev } from './kev.js';
import { parseNvdApi2 } from './nvd.js';
import { parseOsv } from './osv.js';

const vulnDir = (sub: string) => path.join(dataDir, 'vulnerability', sub);
const read = (file: string) => readFileSync(file, 'utf8');
const json = (file: string): unknown => JSON.parse(read(file));

describe.skipIf(!haveData('vulnerability'))('feed formats are detected by content', () => {
  it('names every sample folder’s format', () => {
    const expected: [string, string][] = [
      ['nvd-api2-json-nvdlib-fixtures', 'nvd-api2'],
      ['cve-json5-vulnrichment-icsma', 'cve5'],
      ['osv-samples', 'osv'],
      ['cisa-csaf-icsma', 'csaf'],
      ['oasis-csaf-examples', 'csaf'],
    ];
    for (const [folder, format] of expected) {
      for (const f of listFiles(`vulnerability/${folder}`).filter((f) => f.endsWith('.json'))) {
        expect(`${path.basename(f)} ${String(detectFeedFormat(read(f)))}`).toBe(`${path.basename(f)} ${format}`);
      }
    }
    expect(detectFeedFormat(read(vulnDir('cisa-kev/known_exploited_vulnerabilities.json')))).toBe('kev');
    expect(detectFeedFormat(read(vulnDir('cisa-kev/known_exploited_vulnerabilities_schema.json')))).toBeNull();
    expect(
      detectFeedFormat('#model_version:v2023.03.01,score_date:2023-03-15T00:00:00+0000\ncve,epss,percentile\n'),
    ).toBe('epss');
  });
});

describe.skipIf(!haveData('vulnerability/nvd-api2-json-nvdlib-fixtures'))('NVD API 2.0', () => {
  it('reads ids, CVSS and configurations with version bounds', () => {
    const { vulnerabilities, problems } = parseNvdApi2(
      json(vulnDir('nvd-api2-json-nvdlib-fixtures/CVE-2022-24646.json')),
      'CVE-2022-24646.json',
    );
    expect(problems).toEqual([]);
    const v = vulnerabilities[0];
    // nvdlib's fixture named CVE-2022-24646.json holds the response for CVE-2021-45357.
    expect(v?.id).toBe('CVE-2021-45357');
    expect(v?.cvss.map((c) => `${c.version} ${String(c.score)}`)).toEqual(['3.1 6.1', '2.0 4.3']);
    expect(v?.affected).toEqual([
      {
        kind: 'cpe-config',
        nodes: [
          {
            operator: 'OR',
            negate: false,
            children: [],
            matches: [
              {
                vulnerable: true,
                criteria: 'cpe:2.3:a:piwigo:piwigo:*:*:*:*:*:*:*:*',
                range: { scheme: 'generic', startIncluding: '12.0.0', endIncluding: '12.1.0' },
              },
            ],
          },
        ],
      },
    ]);
  });
  it('keeps AND configurations (hardware + firmware) as trees', () => {
    const { vulnerabilities } = parseNvdApi2(
      json(vulnDir('nvd-api2-json-nvdlib-fixtures/search_full_page.json')),
      'page',
    );
    expect(vulnerabilities).toHaveLength(47);
    const rv = vulnerabilities.find((v) => v.id === 'CVE-2022-20699');
    const spec = rv?.affected[0];
    expect(spec?.kind === 'cpe-config' && spec.nodes[0]?.operator).toBe('AND');
    expect(spec?.kind === 'cpe-config' && spec.nodes[0]?.children.length).toBeGreaterThan(1);
  });
  it('reports a record without an id, a bad CPE, and processes the rest', () => {
    const doc = json(vulnDir('nvd-api2-json-nvdlib-fixtures/search_full_page.json')) as {
      vulnerabilities: { cve: Record<string, unknown> }[];
    };
    delete doc.vulnerabilities[3]?.cve['id'];
    const cfg = (
      doc.vulnerabilities[5]?.cve['configurations'] as { nodes: { cpeMatch: { criteria: string }[] }[] }[]
    )[0];
    const m = cfg?.nodes[0]?.cpeMatch[0];
    if (m !== undefined) m.criteria = 'cpe:2.3:a:broken';
    const { vulnerabilities, problems } = parseNvdApi2(doc, 'page.json');
    expect(vulnerabilities).toHaveLength(46);
    expect(problems.map((p) => [p.code, p.file, p.record, p.field])).toEqual([
      ['INTEL_FEED_RECORD_INVALID', 'page.json', 'vulnerabilities[3]', 'cve.id'],
      [
        'INTEL_CPE_INVALID',
        'page.json',
        doc.vulnerabilities[5]?.cve['id'],
        'cve.configurations[0].nodes[0].cpeMatch[0].criteria',
      ],
    ]);
  });
});

describe.skipIf(!haveData('vulnerability/cve-json5-vulnrichment-icsma'))('CVE JSON 5', () => {
  it('reads CNA named products and ADP CPEs with ranges, CVSS 3.1 and 4.0', async () => {
    const r = await parseFeed(read(vulnDir('cve-json5-vulnrichment-icsma/CVE-2023-40159.json')), 'CVE-2023-40159.json');
    expect(r.kind).toBe('vulnerabilities');
    if (r.kind !== 'vulnerabilities') return;
    const v = r.vulnerabilities[0];
    expect(v?.aliases).toEqual(['ICSMA-24-200-01']);
    expect(v?.cvss.map((c) => c.version).sort()).toEqual(['3.1', '4.0']);
    const named = v?.affected.find((a) => a.kind === 'named-product');
    expect(named?.kind === 'named-product' && named.products[0]).toMatchObject({
      vendor: 'Philips',
      product: 'Vue PACS',
      versionRange: 'vers:generic/<12.2.8.410',
    });
    const cpe = v?.affected.find((a) => a.kind === 'cpe-config');
    expect(cpe?.kind === 'cpe-config' && cpe.nodes[0]?.matches[0]).toEqual({
      vulnerable: true,
      criteria: 'cpe:2.3:a:philips:vue_pacs:*:*:*:*:*:*:*:*',
      range: { scheme: 'generic', introduced: '0', endExcluding: '12.2.8.410' },
    });
  });
  it('reads all 29 records; "n/a" affected entries are reported', async () => {
    let n = 0;
    for (const f of listFiles('vulnerability/cve-json5-vulnrichment-icsma')) {
      const r = await parseFeed(read(f), path.basename(f));
      if (r.kind !== 'vulnerabilities') throw new Error(f);
      n += r.vulnerabilities.length;
      for (const p of r.problems) expect([p.code, p.severity]).toEqual(['INTEL_FEED_RECORD_INVALID', 'warning']);
    }
    expect(n).toBe(29);
  });
});

describe.skipIf(!haveData('vulnerability/osv-samples'))('OSV', () => {
  const osv = (name: string) => parseOsv(json(vulnDir(`osv-samples/${name}`)), name);
  it('turns events into intervals in the ecosystem’s order', () => {
    const { vulnerabilities, problems } = osv('ghsa-converted-npm_greater_than.osv.json');
    expect(problems).toEqual([]);
    expect(vulnerabilities[0]?.id).toBe('CVE-2016-10707');
    expect(vulnerabilities[0]?.aliases).toContain('GHSA-mhpp-875w-9cpv');
    expect(vulnerabilities[0]?.affected).toEqual([
      { kind: 'purl', purl: 'pkg:npm/jquery', ranges: [{ scheme: 'semver', introduced: '2.1.1-0', fixed: '3.0.0' }] },
    ]);
    const alpine = osv('CVE-2018-5407.json').vulnerabilities[0]?.affected[0];
    expect(alpine).toEqual({
      kind: 'purl',
      purl: 'pkg:apk/alpine/openssl?arch=source',
      ranges: [{ scheme: 'ecosystem:Alpine:v3.3', introduced: '0', fixed: '1.0.2q-r0' }],
    });
    expect(osv('ghsa-converted-withdrawn.osv.json').vulnerabilities[0]?.withdrawn).toBe(true);
  });
  it('reports the deliberately invalid records with code, record and field, and keeps the rest', () => {
    const noIntro = osv('nointroduced-CVE-2023-41045.json');
    expect(noIntro.problems.map((p) => [p.code, p.severity, p.record, p.field])).toEqual([
      ['INTEL_FEED_RECORD_INVALID', 'error', 'CVE-2023-41045', 'affected[0].ranges[0].events'],
    ]);
    const nonDistinct = osv('nondistinct-CVE-2018-5407.json');
    expect(nonDistinct.problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.field])).toEqual([
      ['INTEL_FEED_RECORD_INVALID', 'affected[6].ranges[1].events'],
    ]);
    expect(nonDistinct.vulnerabilities[0]?.affected).toHaveLength(6);
    // GIT ranges are ignored, and say so.
    expect(osv('PYSEC-2023-74.json').problems.map((p) => [p.code, p.severity])).toEqual([
      ['INTEL_FEED_RANGE_UNSUPPORTED', 'info'],
    ]);
  });
  it('never throws on hostile records', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = parseOsv(value, 'x.json');
        for (const p of r.problems) expect([...INTEL_MATCH_ERROR_CODES, 'INTEL_CPE_INVALID']).toContain(p.code);
      }),
    );
  });
});

describe.skipIf(!haveData('vulnerability/cisa-kev'))('CISA KEV and EPSS', () => {
  const kevDoc = () =>
    json(vulnDir('cisa-kev/known_exploited_vulnerabilities.json')) as { vulnerabilities: Record<string, unknown>[] };
  it('reads the catalogue; a bad entry is reported and skipped', () => {
    const doc = kevDoc();
    expect(parseKev(doc, 'kev.json').kev).toHaveLength(1404);
    doc.vulnerabilities[10] = { ...doc.vulnerabilities[10], cveID: 'CVE-XX' };
    const r = parseKev(doc, 'kev.json');
    expect(r.kev).toHaveLength(1403);
    expect(r.problems.map((p) => [p.code, p.record, p.field])).toEqual([
      ['INTEL_FEED_RECORD_INVALID', 'CVE-XX', 'cveID'],
    ]);
  });
  it('reads EPSS in its published CSV form (built here from the KEV ids)', () => {
    const ids = parseKev(kevDoc(), 'kev.json')
      .kev.slice(0, 50)
      .map((k) => k.cve);
    const csv = [
      '#model_version:v2023.03.01,score_date:2025-08-25T00:00:00+0000',
      'cve,epss,percentile',
      ...ids.map((id, i) => `${id},${(0.9 - i / 100).toFixed(5)},${(0.99 - i / 1000).toFixed(5)}`),
    ].join('\n');
    const r = parseEpss(`${csv}\nCVE-2020-0001,1.5,0.2\nnot-a-cve,0.1,0.1\n`, 'epss.csv');
    expect(r.modelVersion).toBe('v2023.03.01');
    expect(r.scoreDate).toBe('2025-08-25T00:00:00+0000');
    expect(r.epss).toHaveLength(50);
    expect(r.epss[0]).toEqual({ cve: ids[0], epss: 0.9, percentile: 0.99 });
    expect(r.problems.map((p) => [p.code, p.record, p.field])).toEqual([
      ['INTEL_FEED_RECORD_INVALID', 'CVE-2020-0001', 'epss'],
      ['INTEL_FEED_RECORD_INVALID', 'line 54', 'cve'],
    ]);
  });
  it('never throws on hostile CSV', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseEpss(`cve,epss,percentile\n${s}`, 'x.csv')));
  });
});

describe.skipIf(!haveData('vulnerability/cisa-csaf-icsma'))('CSAF 2.0', () => {
  it('maps ICSMA product trees to named products with CVEs, CVSS and remediations', () => {
    const { vulnerabilities, products } = parseCsaf(
      json(vulnDir('cisa-csaf-icsma/2020/icsma-20-170-01.json')),
      'icsma-20-170-01.json',
    );
    expect([...products.values()]).toEqual([
      {
        productId: 'CSAFPID-0001',
        vendor: 'Baxter',
        product: 'ExactaMix EM2400',
        version: '1.10 | 1.11 | 1.13 | 1.14',
        versionRange: null,
      },
      {
        productId: 'CSAFPID-0002',
        vendor: 'Baxter',
        product: 'ExactaMix EM1200',
        version: '1.1 | 1.2 | 1.4 | 1.5',
        versionRange: null,
      },
    ]);
    const v = vulnerabilities.find((x) => x.id === 'CVE-2020-12016');
    expect(v?.aliases).toEqual(['ICSMA-20-170-01']);
    expect(v?.cvss).toEqual([{ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 8.1 }]);
    expect(v?.remediations?.[0]?.category).toBe('vendor_fix');
  });
  it('reads relationships and product helpers (OASIS Red Hat example)', () => {
    const { products, vulnerabilities } = parseCsaf(
      json(vulnDir('oasis-csaf-examples/rhsa-2021_5186.json')),
      'rhsa.json',
    );
    const related = [...products.values()].filter((p) => p.relatesTo !== undefined);
    expect(related.length).toBeGreaterThan(0);
    expect(vulnerabilities.length).toBeGreaterThan(0);
  });
  it('validates with the schema and mandatory tests: every ICSMA advisory passes', async () => {
    for (const f of listFiles('vulnerability/cisa-csaf-icsma').slice(0, 30)) {
      expect(`${path.basename(f)} ${String((await validateCsaf(json(f), f, null)).length)}`).toBe(
        `${path.basename(f)} 0`,
      );
    }
  });
  it('reports, does not reject, an advisory that fails the tests', async () => {
    const doc = json(vulnDir('cisa-csaf-icsma/2020/icsma-20-170-01.json')) as {
      document: { tracking: Record<string, unknown> };
      vulnerabilities: { product_status: { known_affected: string[] } }[];
    };
    delete doc.document.tracking['current_release_date'];
    doc.vulnerabilities[0]?.product_status.known_affected.push('CSAFPID-9999');
    const r = await parseFeed(JSON.stringify(doc), 'broken.json');
    expect(r.kind).toBe('vulnerabilities');
    if (r.kind !== 'vulnerabilities') return;
    expect(r.vulnerabilities.length).toBeGreaterThan(0);
    const codes = new Set(r.problems.map((p) => `${p.code}/${p.severity}`));
    expect([...codes].sort()).toEqual(['INTEL_CSAF_INVALID/warning', 'INTEL_FEED_RECORD_INVALID/warning']);
    expect(r.problems.some((p) => p.field === '/document/tracking')).toBe(true);
  });
  it('refuses a document without tracking id, and unknown JSON', async () => {
    const r = await parseFeed('{"document":{"csaf_version":"2.0"}}', 'x.json');
    expect(r.problems.map((p) => p.code)).toEqual(['INTEL_CSAF_INVALID']);
    expect((await parseFeed('{"hello":1}', 'y.json')).problems.map((p) => p.code)).toEqual(['INTEL_FEED_UNRECOGNISED']);
    expect((await parseFeed('{"hel', 'z.json')).problems.map((p) => p.code)).toEqual(['INTEL_FEED_MALFORMED']);
  });
  it('never throws on hostile JSON of any detected shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.constantFrom(
          '{"document":{"tracking":{"id":"X"}},',
          '{"cveMetadata":{"cveId":"CVE-2020-1234"},',
          '{"resultsPerPage":1,',
          '{"catalogVersion":"1",',
          '',
        ),
        async (value, prefix) => {
          const body = JSON.stringify(value);
          const text = prefix === '' ? body : `${prefix}"x":${body}}`;
          const r = await parseFeed(text, 'fuzz.json');
          for (const p of r.problems) expect([...INTEL_MATCH_ERROR_CODES, 'INTEL_CPE_INVALID']).toContain(p.code);
        },
      ),
      { numRuns: 200 },
    );
  });
});
