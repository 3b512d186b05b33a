import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsaf } from './feeds/csaf.js';
import { parseFeed } from './feeds/detect.js';
import { parseKev } from './feeds/kev.js';
import { FleetIndex, matchAll, matchNewVulnerability, matchSubject, VulnerabilityIndex } from './match.js';
import type {
  Component,
  EpssScore,
  Finding,
  KevEntry,
  MatchableDevice,
  NamedProduct,
  VexStatement,
  Vulnerability,
} from '@ward/core';
import { parseProductVersion, productVersionCovers } from './product-version.js';
import { parseSbom } from './sbom-parse.js';
import { dataDir, haveData, listFiles } from './test-data.js';
import { normaliseModel, normaliseVendor } from './vendor-name.js';
import { compareGeneric } from './versions/generic.js';
import { versContains } from './versions/vers.js';

const read = (f: string) => readFileSync(f, 'utf8');

async function loadVulns(...folders: string[]): Promise<Vulnerability[]> {
  const out: Vulnerability[] = [];
  for (const folder of folders) {
    for (const f of listFiles(`vulnerability/${folder}`)) {
      if (!f.endsWith('.json')) continue;
      const r = await parseFeed(read(f), path.basename(f));
      if (r.kind === 'vulnerabilities') out.push(...r.vulnerabilities);
    }
  }
  return out;
}

function loadKev(): Map<string, KevEntry> {
  const r = parseKev(
    JSON.parse(read(path.join(dataDir, 'vulnerability/cisa-kev/known_exploited_vulnerabilities.json'))),
    'kev.json',
  );
  return new Map(r.kev.map((k) => [k.cve, k]));
}

const component = (c: Partial<Component> & { name: string }): Component => ({
  ref: c.ref ?? c.name,
  version: null,
  supplier: null,
  purl: null,
  cpe: null,
  hashes: [],
  kind: 'library',
  ...c,
});

describe('vendor and model names', () => {
  it('normalises case, spacing, punctuation, suffixes and known misspellings', () => {
    const same = [
      ['Philips', 'Phillips', 'PHILIPS ', 'Philips Healthcare', 'Philips Medical Systems'],
      ['GE Healthcare', 'General Electric (GE)', 'GE'],
      ['Becton, Dickinson and Company (BD)', 'BD', 'Becton Dickinson'],
      ['B. Braun Medical', 'B. Braun', 'B Braun Melsungen AG'],
      ['Dräger', 'Draeger', 'Drager'],
      ['Medtronic ', 'Medtronic, Inc.', 'medtronic plc'],
      ['Hillrom', 'Hill-Rom', 'Hill-Rom Holdings, Inc.'],
      ['SOOIL Developments Co, Ltd.', 'Sooil Developments'],
    ];
    for (const group of same)
      for (const name of group)
        expect(`${name} → ${normaliseVendor(name)}`).toBe(`${name} → ${normaliseVendor(group[0] ?? '')}`);
    expect(normaliseVendor('Baxter')).not.toBe(normaliseVendor('BD'));
    expect(normaliseModel('Philips IntelliVue X2', 'Philips')).toBe(normaliseModel('IntelliVue  X2'));
  });
  it('reads the version forms advisories use', () => {
    const covers = (version: string | null, range: string | null, fw: string) =>
      productVersionCovers(parseProductVersion(version, range), fw);
    expect(covers(null, '<= 4.1', '4.1')).toBe(true);
    expect(covers(null, '<= 4.1', '4.2')).toBe(false);
    expect(covers(null, '>= 5.01 | <= 6.3.1', '6.0')).toBe(true);
    expect(covers(null, '>= 5.01 | <= 6.3.1', '4.9')).toBe(false);
    expect(covers(null, '<7.6.2', '7.6.1')).toBe(true);
    expect(covers(null, 'vers:all/*', 'anything')).toBe(true);
    expect(covers(null, 'vers:generic/>=1.0|<2.0', '1.5')).toBe(true);
    expect(covers(null, '2.3.6 and  below', '2.3.6')).toBe(true);
    expect(covers('1.10 | 1.11 | 1.13 | 1.14', null, '1.13')).toBe(true);
    expect(covers('1.10 | 1.11 | 1.13 | 1.14', null, '1.12')).toBe(false);
    expect(covers('v9.x (with Wireless Battery Module >= v22D19 | <= v22D28)', null, '9.1')).toBeNull();
    expect(covers(null, null, '1.0')).toBeNull();
  });
});

describe.skipIf(!haveData('vulnerability/cisa-csaf-icsma'))(
  'ICSMA advisories against an inventory built from their product trees',
  () => {
    interface Case {
      readonly file: string;
      readonly product: NamedProduct;
      readonly cves: readonly string[];
    }
    const load = (): { vulns: Vulnerability[]; cases: Case[] } => {
      const vulns: Vulnerability[] = [];
      const cases: Case[] = [];
      for (const f of listFiles('vulnerability/cisa-csaf-icsma')) {
        if (!f.endsWith('.json')) continue;
        const r = parseCsaf(JSON.parse(read(f)), path.basename(f));
        vulns.push(...r.vulnerabilities);
        for (const v of r.vulnerabilities) {
          for (const spec of v.affected) {
            if (spec.kind !== 'named-product') continue;
            for (const p of spec.products) {
              const prev = cases.find((c) => c.file === f && c.product.productId === p.productId);
              if (prev === undefined) cases.push({ file: f, product: p, cves: [v.id] });
              else (prev.cves as string[]).push(v.id);
            }
          }
        }
      }
      return { vulns, cases };
    };

    /** A firmware version the product's entry covers, chosen from its own text; null when none can be read. */
    function inside(p: NamedProduct): string | null {
      const spec = parseProductVersion(p.version, p.versionRange);
      switch (spec.kind) {
        case 'all':
          return '1.0';
        case 'versions':
          return spec.versions[0] ?? null;
        case 'range':
          return (
            ['0', ...spec.range.constraints.map((c) => c.version)].find((v) => versContains(spec.range, v)) ?? null
          );
        case 'unparsed':
        case 'none':
          return null;
      }
    }

    it('every affected product with a readable version matches its advisory’s CVEs, as csaf-product-tree', () => {
      const { vulns, cases } = load();
      const index = VulnerabilityIndex.of(vulns);
      const devices: MatchableDevice[] = [];
      const expected = new Map<string, Set<string>>();
      for (const [i, c] of cases.entries()) {
        const fw = inside(c.product);
        if (fw === null) continue;
        const id = `dev-${String(i)}`;
        devices.push({ id, manufacturer: c.product.vendor, model: c.product.product, firmware: fw });
        expected.set(id, new Set(c.cves));
      }
      expect(devices.length).toBeGreaterThan(200);
      expect(new Set(cases.map((c) => path.basename(c.file))).size).toBe(124);
      const findings = matchAll(
        index,
        devices.map((device) => ({ device, components: [] })),
      );
      for (const [id, cves] of expected) {
        const got = new Set(
          findings.filter((f) => f.device === id && f.matchedBy === 'csaf-product-tree').map((f) => f.vulnerability),
        );
        for (const cve of cves) expect(`${id} ${cve} ${String(got.has(cve))}`).toBe(`${id} ${cve} true`);
      }
      for (const f of findings.filter((x) => x.matchedBy === 'csaf-product-tree')) {
        expect(f.confidence).toBe('medium');
        expect(f.explanation).toContain('icsma-');
      }
    });

    it('other firmware versions of the same model do not match', () => {
      const { vulns, cases } = load();
      const index = VulnerabilityIndex.of(vulns);
      // Models whose every entry (across all advisories) is bounded above: a far newer firmware is outside all of them.
      const groups = new Map<string, Case[]>();
      for (const c of cases) {
        const key = `${normaliseVendor(c.product.vendor)}|${normaliseModel(c.product.product, c.product.vendor)}`;
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      const bounded = (p: NamedProduct): boolean => {
        const spec = parseProductVersion(p.version, p.versionRange);
        if (spec.kind === 'versions') return true;
        if (spec.kind !== 'range') return false;
        const last = spec.range.constraints[spec.range.constraints.length - 1];
        return last !== undefined && (last.comparator === '<' || last.comparator === '<=' || last.comparator === '=');
      };
      const devices: MatchableDevice[] = [];
      for (const [key, group] of groups) {
        if (!group.every((c) => bounded(c.product) && inside(c.product) !== null)) continue;
        const p = group[0]?.product;
        if (p === undefined) continue;
        // Newer than every version any entry of this model names.
        const named = group.flatMap((c) => {
          const spec = parseProductVersion(c.product.version, c.product.versionRange);
          return spec.kind === 'versions'
            ? spec.versions
            : spec.kind === 'range'
              ? spec.range.constraints.map((x) => x.version)
              : [];
        });
        const newest = named.sort(compareGeneric).at(-1) ?? '0';
        devices.push({ id: key, manufacturer: p.vendor, model: p.product, firmware: `${newest}.1` });
        // …and the same model on a covered version still matches (the control).
        devices.push({ id: `${key}|control`, manufacturer: p.vendor, model: p.product, firmware: inside(p) ?? '' });
      }
      expect(devices.length).toBeGreaterThan(150);
      const findings = matchAll(
        index,
        devices.map((device) => ({ device, components: [] })),
      );
      const outside = findings.filter((f) => !(f.device ?? '').endsWith('|control'));
      expect(outside.map((f) => `${f.device ?? ''} ${f.vulnerability} ${f.matchedBy}`)).toEqual([]);
      const controls = new Set(findings.filter((f) => (f.device ?? '').endsWith('|control')).map((f) => f.device));
      expect(controls.size).toBe(devices.length / 2);
    });

    it('matches through vendor spelling variants, and labels a version-less device name-only', () => {
      const { vulns } = load();
      const index = VulnerabilityIndex.of(vulns);
      // ICSMA-20-170-01 names Baxter's ExactaMix EM2400 versions 1.10 | 1.11 | 1.13 | 1.14.
      const baxter = matchSubject(index, {
        device: { id: 'a', manufacturer: 'Baxter International Inc.', model: 'exactamix  em2400', firmware: 'v1.11' },
        components: [],
      });
      expect(baxter.map((f) => `${f.vulnerability} ${f.matchedBy}`)).toContain('CVE-2020-12016 csaf-product-tree');
      const unknown = matchSubject(index, {
        device: { id: 'b', manufacturer: 'Baxter', model: 'ExactaMix EM2400', firmware: null },
        components: [],
      });
      expect(unknown.length).toBeGreaterThan(0);
      for (const f of unknown) expect([f.matchedBy, f.confidence]).toEqual(['name-only', 'low']);
      // "Phillips" in ICSMA-18-025-01 / ICSMA-18-058-02 is Philips.
      const phillips = vulns.filter((v) => v.aliases.some((a) => /ICSMA-18-(025|058)/.test(a)));
      expect(phillips.length).toBeGreaterThan(0);
    });
  },
);

describe.skipIf(!haveData('vulnerability/nvd-api2-json-nvdlib-fixtures'))(
  'components against NVD, CVE 5 and OSV records',
  () => {
    it('matches a CPE inside a record’s range and not just outside it', async () => {
      const vulns = await loadVulns('nvd-api2-json-nvdlib-fixtures');
      const index = VulnerabilityIndex.of(vulns);
      // From CVE-2021-45357's configuration: piwigo 12.0.0 … 12.1.0 inclusive.
      const at = (v: string) =>
        matchSubject(index, {
          device: null,
          components: [component({ name: 'piwigo', version: v, cpe: `cpe:2.3:a:piwigo:piwigo:${v}:*:*:*:*:*:*:*` })],
        }).map((f) => f.vulnerability);
      expect(at('12.1.0')).toContain('CVE-2021-45357');
      expect(at('12.0.0')).toContain('CVE-2021-45357');
      expect(at('12.1.1')).not.toContain('CVE-2021-45357');
      expect(at('11.5.0')).not.toContain('CVE-2021-45357');
    });

    it('matches router firmware only on its hardware (CVE-2022-20699), as cpe-hw-fw-pair', async () => {
      const index = VulnerabilityIndex.of(await loadVulns('nvd-api2-json-nvdlib-fixtures'));
      const fw = component({
        name: 'RV340 firmware',
        version: '1.0.03.22',
        cpe: 'cpe:2.3:o:cisco:rv340_firmware:1.0.03.22:*:*:*:*:*:*:*',
        kind: 'firmware',
      });
      const hw = component({ name: 'RV340', cpe: 'cpe:2.3:h:cisco:rv340:-:*:*:*:*:*:*:*', kind: 'device' });
      const both = matchSubject(index, { device: null, components: [fw, hw] }).filter(
        (f) => f.vulnerability === 'CVE-2022-20699',
      );
      expect(both.map((f) => [f.component, f.matchedBy, f.confidence])).toEqual([
        ['RV340 firmware@1.0.03.22', 'cpe-hw-fw-pair', 'high'],
      ]);
      expect(
        matchSubject(index, { device: null, components: [fw] }).filter((f) => f.vulnerability === 'CVE-2022-20699'),
      ).toEqual([]);
    });

    it('flags KEV, attaches EPSS and the best CVSS, and applies VEX per CVE + component', async () => {
      const index = VulnerabilityIndex.of(await loadVulns('nvd-api2-json-nvdlib-fixtures'));
      const kev = loadKev();
      expect(kev.has('CVE-2021-26855')).toBe(true);
      const exchange = component({
        name: 'Exchange Server',
        version: '2016',
        cpe: 'cpe:2.3:a:microsoft:exchange_server:2016:cumulative_update_18:*:*:*:*:*:*',
      });
      const other = component({
        name: 'Exchange Server B',
        ref: 'b',
        version: '2019',
        cpe: 'cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_7:*:*:*:*:*:*',
      });
      const epss = new Map<string, EpssScore>([
        ['CVE-2021-26855', { cve: 'CVE-2021-26855', epss: 0.97, percentile: 0.999 }],
      ]);
      const vex: VexStatement[] = [
        {
          vulnerability: 'CVE-2021-26855',
          component: exchange.cpe ?? '',
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          origin: 'test',
        },
      ];
      const findings = matchSubject(index, { device: null, components: [exchange, other], vex }, { kev, epss }).filter(
        (f) => f.vulnerability === 'CVE-2021-26855',
      );
      expect(findings.map((f) => [f.component, f.kev, f.epss, f.cvss?.version, f.vexStatus, f.justification])).toEqual([
        ['Exchange Server B@2019', true, 0.97, '3.1', null, null],
        ['Exchange Server@2016', true, 0.97, '3.1', 'not_affected', 'vulnerable_code_not_in_execute_path'],
      ]);
      expect(findings.map((f) => f.because.vex)).toEqual([
        null,
        { status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', origin: 'test' },
      ]);
    });

    it('matches purls with ecosystem version semantics (OSV), never across ecosystems', async () => {
      const index = VulnerabilityIndex.of(await loadVulns('osv-samples'));
      const at = (purl: string) =>
        matchSubject(index, { device: null, components: [component({ name: purl, purl })] }).map(
          (f) => `${f.vulnerability} ${f.matchedBy}`,
        );
      expect(at('pkg:npm/jquery@2.2.4')).toContain('CVE-2016-10707 purl-range');
      const jquery = matchSubject(index, {
        device: null,
        components: [component({ name: 'jquery', purl: 'pkg:npm/jquery@2.2.4' })],
      }).find((f) => f.vulnerability === 'CVE-2016-10707');
      expect(jquery?.because).toMatchObject({
        rule: 'purl-range',
        matchedOn: 'purl',
        componentValue: 'pkg:npm/jquery@2.2.4',
        componentVersion: '2.2.4',
        vex: null,
      });
      expect(jquery?.because.advisoryValue).toMatch(/^pkg:npm\/jquery/);
      expect(jquery?.explanation).toContain(jquery?.because.range ?? '-');
      expect(at('pkg:npm/jquery@3.0.0')).not.toContain('CVE-2016-10707 purl-range');
      expect(at('pkg:nuget/jQuery@2.2.4')).toEqual([]);
      expect(at('pkg:apk/alpine/openssl@1.0.2p-r0?arch=source&distro=v3.8')).toContain('CVE-2018-5407 purl-range');
      expect(at('pkg:apk/alpine/openssl@1.0.2q-r0?distro=v3.8')).not.toContain('CVE-2018-5407 purl-range');
    });
  },
);

describe.skipIf(!haveData('sbom/medical-device-sbom-case-study'))('the medical-device SBOMs', () => {
  it('match exactly the NVD / CVE 5 / OSV samples that apply to their components', async () => {
    const vulns = await loadVulns('nvd-api2-json-nvdlib-fixtures', 'cve-json5-vulnrichment-icsma', 'osv-samples');
    const index = VulnerabilityIndex.of(vulns);
    const kev = loadKev();
    // The expected set, computed independently from the raw JSON: CPE vendor:product pairs and purl
    // type/name pairs present in both the SBOM and a record, then the version bound checked by hand.
    const rawPairs = new Map<string, Set<string>>();
    for (const f of [
      ...listFiles('vulnerability/nvd-api2-json-nvdlib-fixtures'),
      ...listFiles('vulnerability/cve-json5-vulnrichment-icsma'),
    ]) {
      const text = read(f);
      for (const m of text.matchAll(/cpe:2\.3:[aho]:([^:"]+):([^:"]+):/g)) {
        const key = `${m[1] ?? ''}:${m[2] ?? ''}`;
        rawPairs.set(key, new Set([...(rawPairs.get(key) ?? []), path.basename(f)]));
      }
    }
    const osvPackages = new Set<string>();
    for (const f of listFiles('vulnerability/osv-samples')) {
      for (const m of read(f).matchAll(/"ecosystem":\s*"([^":]+)[^"]*",\s*"name":\s*"([^"]+)"/g))
        osvPackages.add(`${(m[1] ?? '').toLowerCase()}/${(m[2] ?? '').toLowerCase()}`);
    }
    for (const name of ['extended.sbom.json', 'narrow.sbom.json']) {
      const { sbom } = parseSbom(read(path.join(dataDir, 'sbom/medical-device-sbom-case-study', name)), name);
      expect(sbom).not.toBeNull();
      if (sbom === null) return;
      expect(sbom.components.length).toBeGreaterThan(50);
      const overlapping = sbom.components.filter((c) => {
        const cpe = c.cpe?.split(':');
        const cpeHit = cpe !== undefined && rawPairs.has(`${cpe[3] ?? ''}:${cpe[4] ?? ''}`);
        const type = /^pkg:([^/]+)\/(?:.*\/)?([^@?/]+)/.exec(c.purl ?? '');
        const osvType: Record<string, string> = {
          npm: 'npm',
          pypi: 'pypi',
          maven: 'maven',
          golang: 'go',
          gem: 'rubygems',
          apk: 'alpine',
        };
        const purlHit =
          type !== null && osvPackages.has(`${osvType[type[1] ?? ''] ?? '-'}/${(type[2] ?? '').toLowerCase()}`);
        return cpeHit || purlHit;
      });
      // No component of these SBOMs shares a CPE product or a package with the samples, so nothing may match.
      expect(overlapping.map((c) => c.name)).toEqual([]);
      const findings = matchSubject(index, { device: null, components: sbom.components, vex: sbom.vex }, { kev });
      expect(findings).toEqual([]);
    }
  });
});

describe.skipIf(!haveData('vulnerability/cisa-csaf-icsma'))('one new advisory against a fleet', () => {
  it('finds the same devices as a full re-match', async () => {
    const vulns = await loadVulns('cisa-csaf-icsma');
    const devices: MatchableDevice[] = vulns.flatMap((v, i) =>
      v.affected.flatMap((s) =>
        s.kind === 'named-product'
          ? s.products
              .slice(0, 1)
              .map((p) => ({ id: `d${String(i)}`, manufacturer: p.vendor, model: p.product, firmware: '1.0' }))
          : [],
      ),
    );
    const subjects = devices.map((device) => ({ device, components: [] }));
    const fleet = new FleetIndex(subjects);
    const target = vulns.find((v) => v.id === 'CVE-2020-12016');
    expect(target).toBeDefined();
    if (target === undefined) return;
    const quick = matchNewVulnerability(fleet, target).map((f) => `${f.device ?? ''} ${f.vulnerability}`);
    const full = matchAll(VulnerabilityIndex.of([target]), subjects).map((f) => `${f.device ?? ''} ${f.vulnerability}`);
    expect(quick.sort()).toEqual(full.sort());
  });

  it('agrees with a full re-match for CPE trees and purls (NVD and OSV records)', async () => {
    const vulns = await loadVulns('nvd-api2-json-nvdlib-fixtures', 'osv-samples');
    const fw = component({
      name: 'fw',
      version: '1.0.03.22',
      cpe: 'cpe:2.3:o:cisco:rv340_firmware:1.0.03.22:*:*:*:*:*:*:*',
    });
    const hw = component({ name: 'hw', cpe: 'cpe:2.3:h:cisco:rv340:-:*:*:*:*:*:*:*' });
    const jq = component({ name: 'jquery', purl: 'pkg:npm/jquery@2.2.4' });
    const other = component({ name: 'other', purl: 'pkg:npm/left-pad@1.0.0' });
    const subjects = [
      { device: null, components: [fw, hw, jq] },
      { device: null, components: [fw, other] },
      { device: { id: 'x', manufacturer: 'Cisco', model: 'RV340', firmware: null }, components: [hw, jq, other] },
    ];
    const fleet = new FleetIndex(subjects);
    for (const v of vulns) {
      const quick = matchNewVulnerability(fleet, v).map(
        (f) => `${f.device ?? ''} ${f.component} ${f.vulnerability} ${f.matchedBy}`,
      );
      const full = matchAll(VulnerabilityIndex.of([v]), subjects).map(
        (f) => `${f.device ?? ''} ${f.component} ${f.vulnerability} ${f.matchedBy}`,
      );
      expect(quick.sort()).toEqual(full.sort());
    }
    expect(matchNewVulnerability(fleet, vulns.find((v) => v.id === 'CVE-2022-20699') as Vulnerability)).toHaveLength(1);
  });
});

describe.skipIf(!haveData('vulnerability/cisa-csaf-icsma') || !haveData('vulnerability/nvd-api2-json-nvdlib-fixtures'))(
  'finding ids and evidence on real advisories',
  () => {
    /** Devices named by the CSAF product trees, and components carrying the NVD records' own vulnerable CPEs. */
    async function fleet(): Promise<{
      vulns: Vulnerability[];
      subjects: { device: MatchableDevice | null; components: Component[]; sbom?: string }[];
    }> {
      const vulns = await loadVulns('cisa-csaf-icsma', 'nvd-api2-json-nvdlib-fixtures');
      const devices = new Map<string, MatchableDevice>();
      const cpes = new Set<string>();
      for (const v of vulns) {
        for (const spec of v.affected) {
          if (spec.kind === 'named-product') {
            for (const p of spec.products) {
              if (devices.has(`${p.vendor}|${p.product}`)) continue;
              const id = `dev-${String(devices.size)}`;
              devices.set(`${p.vendor}|${p.product}`, { id, manufacturer: p.vendor, model: p.product, firmware: null });
            }
          } else if (spec.kind === 'cpe-config') {
            for (const node of spec.nodes)
              for (const m of node.matches) if (m.vulnerable && m.range === undefined) cpes.add(m.criteria);
          }
        }
      }
      const components = [...cpes].map((cpe, i) =>
        component({ name: cpe.split(':')[4] ?? cpe, ref: `c${String(i)}`, version: cpe.split(':')[5] ?? null, cpe }),
      );
      return {
        vulns,
        subjects: [
          ...[...devices.values()].map((device) => ({ device, components: [] })),
          { device: null, components, sbom: 'sbom-a' },
          { device: null, components, sbom: 'sbom-b' },
        ],
      };
    }
    const ids = (findings: readonly Finding[]) => findings.map((f) => f.id);

    it('gives the same ids when the matcher runs again, and one id per device or SBOM, component and vulnerability', async () => {
      const first = await fleet();
      const a = matchAll(VulnerabilityIndex.of(first.vulns), first.subjects);
      const second = await fleet();
      const b = matchAll(VulnerabilityIndex.of([...second.vulns].reverse()), second.subjects, { kev: loadKev() });
      expect(a.length).toBeGreaterThan(200);
      expect(a.filter((f) => f.matchedBy === 'cpe-config').length).toBeGreaterThan(20);
      for (const f of a) expect(f.id).toMatch(/^f-[0-9a-f]{32}$/);
      expect(ids(b)).toEqual(ids(a));
      expect(new Set(ids(a)).size).toBe(a.length);
      // The same component and vulnerability in two SBOMs are two findings.
      const inA = a.filter((f) => f.device === null).length;
      expect(inA % 2).toBe(0);
      expect(new Set(ids(a.filter((f) => f.device === null))).size).toBe(inA);
    });

    it('gives the same ids for one new advisory as a full re-match', async () => {
      const { vulns, subjects } = await fleet();
      const quickIndex = new FleetIndex(subjects);
      for (const v of vulns.slice(0, 60)) {
        const quick = ids(matchNewVulnerability(quickIndex, v)).sort();
        expect(quick).toEqual(ids(matchAll(VulnerabilityIndex.of([v]), subjects)).sort());
      }
    });

    it('states in its evidence what the explanation says in words', async () => {
      const { vulns, subjects } = await fleet();
      for (const f of matchAll(VulnerabilityIndex.of(vulns), subjects)) {
        expect(f.because.rule).toBe(f.matchedBy);
        expect(f.explanation).toContain(f.because.origin);
        if (f.because.matchedOn === 'cpe') {
          expect(f.because.componentValue).toBe(f.cpe);
          expect(f.explanation).toContain(f.because.advisoryValue);
        } else {
          expect(f.because.matchedOn).toBe('product');
          expect(f.because.componentValue).toBe(
            f.component === '' ? f.because.componentValue : f.because.componentValue,
          );
          expect(f.explanation).toContain(f.because.componentValue);
        }
        if (f.because.range !== null) expect(f.explanation).toContain(f.because.range);
        expect(f.because.vex).toBeNull();
      }
    });
  },
);
