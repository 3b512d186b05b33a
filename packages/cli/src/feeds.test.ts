import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RV340_FIRMWARE_CPE, RV340_SBOM } from '../../../test/support/rv340.js';
import { ward } from './test-helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir =
  [path.resolve(repoRoot, '../shared/data'), path.resolve(repoRoot, '../../shared/data')].find((d) => existsSync(d)) ??
  path.resolve(repoRoot, '../shared/data');
const have = existsSync(path.join(dataDir, 'vulnerability'));
if (!have) console.warn(`skipping ward feeds tests: ${dataDir} is absent`);
const vuln = (sub: string) => path.join(dataDir, 'vulnerability', sub);

const tmp = mkdtempSync(path.join(tmpdir(), 'ward-feeds-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const FW = RV340_FIRMWARE_CPE;

describe.skipIf(!have)('ward feeds import / list and ward findings list', () => {
  it('stores feeds once, and matches stored SBOMs with KEV and the model’s VEX decisions', async () => {
    const dir = path.join(tmp, 'data');
    const imported = await ward([
      'feeds',
      'import',
      vuln('nvd-api2-json-nvdlib-fixtures'),
      vuln('cisa-kev/known_exploited_vulnerabilities.json'),
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(imported.stderr).toBe('');
    const report = imported.json<{ files: { format: string; created: boolean; records: number }[] }>();
    expect(report.files.map((f) => f.format).sort()).toEqual([
      'kev',
      'nvd-api2',
      'nvd-api2',
      'nvd-api2',
      'nvd-api2',
      'nvd-api2',
      'nvd-api2',
    ]);
    expect(report.files.every((f) => f.created)).toBe(true);
    const again = await ward(['feeds', 'import', vuln('nvd-api2-json-nvdlib-fixtures'), '--data-dir', dir, '--json']);
    expect(again.json<{ files: { created: boolean }[] }>().files.every((f) => !f.created)).toBe(true);
    const list = await ward(['feeds', 'list', '--data-dir', dir, '--json']);
    expect(list.json<{ items: unknown[]; vulnerabilities: number }>().items).toHaveLength(7);

    const sbom = path.join(tmp, 'rv340.cdx.json');
    writeFileSync(sbom, RV340_SBOM);
    const sbomImport = await ward([
      'sbom',
      'import',
      sbom,
      '--manufacturer',
      'Cisco',
      '--model',
      'RV340',
      '--firmware',
      '1.0.03.22',
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(sbomImport.code).toBe(0);
    type Out = { findings: Record<string, unknown>[] };
    const before = (await ward(['findings', 'list', '--data-dir', dir, '--json']))
      .json<Out>()
      .findings.filter((f) => f['vulnerability'] === 'CVE-2022-20699');
    expect(before.map((f) => [f['model'], f['firmware'], f['matchedBy'], f['kev'], f['vexStatus']])).toEqual([
      ['RV340', '1.0.03.22', 'cpe-hw-fw-pair', true, null],
    ]);
    const decided = await ward([
      'vex',
      'decide',
      '--manufacturer',
      'Cisco',
      '--model',
      'RV340',
      '--vulnerability',
      'CVE-2022-20699',
      '--component',
      FW,
      '--status',
      'not_affected',
      '--justification',
      'vulnerable_code_not_in_execute_path',
      '--author',
      'ce@example.org',
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(decided.code).toBe(0);
    const after = (await ward(['findings', 'list', '--data-dir', dir, '--json']))
      .json<Out>()
      .findings.filter((f) => f['vulnerability'] === 'CVE-2022-20699');
    expect(after.map((f) => [f['vexStatus'], f['justification']])).toEqual([
      ['not_affected', 'vulnerable_code_not_in_execute_path'],
    ]);
  });

  it('fails on a missing path without touching the store', async () => {
    const dir = path.join(tmp, 'data2');
    const r = await ward(['feeds', 'import', path.join(tmp, 'missing'), '--data-dir', dir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'CLI_INPUT' } });
  });
});
