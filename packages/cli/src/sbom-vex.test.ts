import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decisionKeyOf, parseVex, validateCsafVex, validateCycloneDxVex, validateOpenVex } from '@ward/intel';
import { afterAll, describe, expect, it } from 'vitest';
import { ward } from './test-helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir =
  [path.resolve(repoRoot, '../shared/data'), path.resolve(repoRoot, '../../shared/data')].find((d) => existsSync(d)) ??
  path.resolve(repoRoot, '../shared/data');
const have = existsSync(path.join(dataDir, 'sbom'));
if (!have) console.warn(`skipping: ${dataDir}/sbom is absent`);

const root = mkdtempSync(path.join(tmpdir(), 'ward-sbom-'));
let n = 0;
const freshDir = (): string => path.join(root, `d${String((n += 1))}`);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const medical = path.join(dataDir, 'sbom/medical-device-sbom-case-study/extended.sbom.json');
const device = ['--manufacturer', 'Acme Medical', '--model', 'InfuseRight 3000'];

interface Imported {
  imported: {
    file: string;
    created: boolean;
    components: number;
    schema: string | null;
    sbom: { id: string } | null;
    problems: { code: string; record: string | null; field: string | null }[];
  }[];
}

describe('ward sbom and ward vex: help', () => {
  it('prints help for every new command', async () => {
    for (const argv of [
      ['sbom', '--help'],
      ['sbom', 'import', '--help'],
      ['sbom', 'list', '--help'],
      ['sbom', 'show', '--help'],
      ['vex', '--help'],
      ['vex', 'import', '--help'],
      ['vex', 'decide', '--help'],
      ['vex', 'list', '--help'],
      ['vex', 'export', '--help'],
    ]) {
      const r = await ward(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: ward/);
    }
  });

  it('sbom import without --firmware is a usage error', async () => {
    const r = await ward(['sbom', 'import', 'x.json', '--manufacturer', 'A', '--model', 'B', '--data-dir', freshDir()]);
    expect(r.code).toBe(2);
  });
});

describe.skipIf(!have)('ward sbom', () => {
  it('imports the medical-device SBOM, validated against its schema, and shows it with support properties', async () => {
    const dir = freshDir();
    const r = await ward(['sbom', 'import', medical, ...device, '--firmware', '1.0', '--json', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const [one] = r.json<Imported>().imported;
    expect(one).toMatchObject({ created: true, components: 65, schema: 'schema', problems: [] });
    const again = await ward(['sbom', 'import', medical, ...device, '--firmware', '1.0', '--json', '--data-dir', dir]);
    expect(again.json<Imported>().imported[0]).toMatchObject({ created: false, sbom: { id: one?.sbom?.id } });

    const list = await ward(['sbom', 'list', '--manufacturer', 'acme medical', '--json', '--data-dir', dir]);
    expect(list.json<{ sboms: { id: string }[] }>().sboms.map((s) => s.id)).toEqual([one?.sbom?.id]);
    const show = await ward(['sbom', 'show', one?.sbom?.id ?? '', '--json', '--data-dir', dir]);
    const detail = show.json<{
      components: { endOfSupport: string | null; levelOfSupport: string | null; cpe: string }[];
    }>();
    expect(detail.components).toHaveLength(65);
    expect(detail.components.every((c) => c.endOfSupport !== null && c.levelOfSupport !== null)).toBe(true);
    const text = await ward(['sbom', 'show', one?.sbom?.id ?? '', '--data-dir', dir]);
    expect(text.stdout).toContain('WolfSSL');
    const missing = await ward(['sbom', 'show', 'nope', '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('STORE_NOT_FOUND');
  });

  it('imports a file with malformed purls, naming record and field, and fails only for a file that is no SBOM', async () => {
    const dir = freshDir();
    const bad = path.join(dataDir, 'sbom/osv-scanner-fixtures/bad-purls.cdx.xml');
    const notSbom = path.join(root, 'notes.txt');
    writeFileSync(notSbom, 'hello, this is not an SBOM\n');
    const r = await ward(['sbom', 'import', bad, notSbom, ...device, '--firmware', '2.0', '--json', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'INTEL_SBOM_FORMAT', details: { file: notSbom } } });
    const [first, second] = r.json<Imported>().imported;
    expect(first?.sbom).not.toBeNull();
    expect(first?.schema).toBe('structural');
    const purlProblems = first?.problems.filter((p) => p.code === 'INTEL_PURL_INVALID') ?? [];
    expect(purlProblems.length).toBeGreaterThan(0);
    for (const p of purlProblems) expect(p.field).toMatch(/^components\[\d+\]\.purl$/);
    expect(second?.sbom).toBeNull();
    const list = await ward(['sbom', 'list', '--json', '--data-dir', dir]);
    expect(list.json<{ sboms: unknown[] }>().sboms).toHaveLength(1);
  });
  it('imports SPDX 2 tag-value, SPDX 2 JSON, SPDX 3 JSON-LD and CycloneDX XML in one command', async () => {
    const dir = freshDir();
    const files = [
      'spdx-spec-2.3-examples/SPDXTagExample-v2.3.spdx',
      'spdx-spec-2.3-examples/SPDXJSONExample-v2.3.spdx.json',
      'spdx-examples/software/example14/spdx3.0/examplemaven-0.0.1-enriched.spdx3.json',
      'osv-scanner-fixtures/postgres-stretch.cdx.xml',
    ].map((f) => path.join(dataDir, 'sbom', f));
    const r = await ward(['sbom', 'import', ...files, ...device, '--firmware', '3.0', '--json', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const imported = r.json<Imported>().imported;
    expect(imported.map((i) => i.created)).toEqual([true, true, true, true]);
    const xml = readFileSync(files[3] ?? '', 'utf8').replace(/<metadata>[\s\S]*?<\/metadata>/, '');
    expect(imported[3]?.components).toBe([...xml.matchAll(/<component[\s>]/g)].length);
    const list = await ward(['sbom', 'list', '--firmware', '3.0', '--json', '--data-dir', dir]);
    expect(
      list
        .json<{ sboms: { format: string }[] }>()
        .sboms.map((s) => s.format)
        .sort(),
    ).toEqual(['cyclonedx-xml', 'spdx-2-json', 'spdx-2-tag-value', 'spdx-3-jsonld']);
  });
});

describe.skipIf(!have)('ward vex', () => {
  it("keeps a person's not_affected across SBOM versions while the component version is unchanged", async () => {
    const dir = freshDir();
    const base = JSON.parse(readFileSync(medical, 'utf8')) as {
      components: { name: string; version: string; purl: string; cpe: string }[];
    };
    // firmware 1.1: the same components; firmware 2.0: wolfSSL upgraded to 5.6.6
    const v11 = path.join(root, 'fw-1.1.cdx.json');
    writeFileSync(v11, JSON.stringify({ ...base, version: 2 }));
    const v20 = path.join(root, 'fw-2.0.cdx.json');
    const upgraded = base.components.map((c) =>
      c.name === 'WolfSSL'
        ? { ...c, version: '5.6.6', purl: c.purl.replace('4.8.1', '5.6.6'), cpe: c.cpe.replace('4.8.1', '5.6.6') }
        : c,
    );
    writeFileSync(v20, JSON.stringify({ ...base, version: 3, components: upgraded }));
    for (const [file, fw] of [
      [medical, '1.0'],
      [v11, '1.1'],
      [v20, '2.0'],
    ] as const) {
      const r = await ward(['sbom', 'import', file, ...device, '--firmware', fw, '--data-dir', dir]);
      expect(r.code, r.stderr).toBe(0);
    }
    const wolf = base.components.find((c) => c.name === 'WolfSSL');
    // the real SBOM's purl has no version: the version comes from the component (and its CPE)
    expect(wolf).toMatchObject({ purl: 'pkg:github/wolfssl/wolfssl', version: '4.8.1' });
    const decide = await ward([
      'vex',
      'decide',
      ...device,
      '--vulnerability',
      'CVE-2022-42905',
      '--component',
      wolf?.purl ?? '',
      '--component-version',
      '4.8.1',
      '--status',
      'not_affected',
      '--justification',
      'vulnerable_code_not_in_execute_path',
      '--author',
      'Jane Engineer',
      '--json',
      '--data-dir',
      dir,
    ]);
    expect(decide.code, decide.stderr).toBe(0);

    const exportFor = (fw: string) =>
      ward(['vex', 'export', ...device, '--firmware', fw, '--format', 'openvex', '--data-dir', dir]);
    const same = await exportFor('1.1');
    expect(same.code, same.stderr).toBe(0);
    const statements = parseVex(same.stdout, 'out.json').statements;
    expect(statements.map((s) => [s.vulnerability, s.component, s.status, s.justification])).toEqual([
      ['CVE-2022-42905', 'pkg:github/wolfssl/wolfssl@4.8.1', 'not_affected', 'vulnerable_code_not_in_execute_path'],
    ]);
    const decisions = await ward(['vex', 'list', ...device, '--json', '--data-dir', dir]);
    expect(decisions.json<{ decisions: { author: string; componentVersion: string }[] }>().decisions).toMatchObject([
      { author: 'Jane Engineer', componentVersion: '4.8.1' },
    ]);
    const other = await exportFor('2.0');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('INTEL_VEX_EMPTY');
  });

  it('records a not_affected without justification only with an impact statement', async () => {
    const r = await ward([
      'vex',
      'decide',
      ...device,
      '--vulnerability',
      'CVE-1',
      '--component',
      'pkg:npm/a@1',
      '--status',
      'not_affected',
      '--author',
      'x',
      '--data-dir',
      freshDir(),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('INTEL_VEX_JUSTIFICATION_MISSING');
  });

  it('imports the CISA use cases and exports valid CycloneDX, CSAF and OpenVEX that keep status and justification', async () => {
    const dir = freshDir();
    const cases = path.join(dataDir, 'sbom/cyclonedx-bom-examples/VEX/CISA-Use-Cases');
    const files = ['Case-1/vex-not_affected.json', 'Case-3/vex.json', 'Case-6/vex.json'].map((f) =>
      path.join(cases, f),
    );
    const imp = await ward(['vex', 'import', ...files, ...device, '--json', '--data-dir', dir]);
    expect(imp.code, imp.stderr).toBe(0);
    const expected = files.flatMap((f) => parseVex(readFileSync(f), f).statements);
    const key = (s: { vulnerability: string; status: string; justification?: string | undefined }) =>
      `${s.vulnerability}|${s.status}|${s.justification ?? ''}`;
    // Statements about the same vulnerability, component and version are one decision: the latest wins.
    const distinct = new Set(expected.map((s) => JSON.stringify([s.vulnerability, decisionKeyOf(s)])));
    expect(distinct.size).toBeLessThan(expected.length);
    const list = await ward(['vex', 'list', ...device, '--json', '--data-dir', dir]);
    expect(list.json<{ decisions: unknown[] }>().decisions).toHaveLength(distinct.size);
    for (const format of ['cyclonedx', 'csaf', 'openvex'] as const) {
      const out = path.join(root, `export-${format}.json`);
      const r = await ward(['vex', 'export', ...device, '--format', format, '--out', out, '--json', '--data-dir', dir]);
      expect(r.code, r.stderr).toBe(0);
      const doc = readFileSync(out, 'utf8');
      const problems =
        format === 'cyclonedx'
          ? await validateCycloneDxVex(doc)
          : format === 'csaf'
            ? await validateCsafVex(doc)
            : validateOpenVex(doc);
      expect(problems).toEqual([]);
      const back = parseVex(doc, out).statements;
      expect(back).toHaveLength(distinct.size);
      expect(new Set(back.map(key))).toEqual(new Set(expected.map(key)));
    }
  });
});
