import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSbomSchema } from './sbom-schema.js';
import { dataDir, haveData } from './test-data.js';

const have = haveData('sbom');

describe.skipIf(!have)('validateSbomSchema', () => {
  it('the medical-device SBOM validates against CycloneDX 1.4', async () => {
    const file = path.join(dataDir, 'sbom/medical-device-sbom-case-study/extended.sbom.json');
    const r = await validateSbomSchema(readFileSync(file), 'extended.sbom.json');
    expect(r.checked).toBe('schema');
    expect(r.problems).toEqual([]);
  });

  it('XML is checked structurally only (no XSD validator without libxmljs2)', async () => {
    const file = path.join(dataDir, 'sbom/osv-scanner-fixtures/alpine.cdx.xml');
    const r = await validateSbomSchema(readFileSync(file), 'alpine.cdx.xml');
    expect(r.checked).toBe('structural');
  });
});

describe('schema problems', () => {
  const base = { bomFormat: 'CycloneDX', specVersion: '1.5', version: 1 };
  it('an unknown component type breaks the schema, named by JSON pointer', async () => {
    const r = await validateSbomSchema(
      JSON.stringify({ ...base, components: [{ type: 'gizmo', name: 'x' }] }),
      'a.json',
    );
    expect(r.checked).toBe('schema');
    expect(r.problems.map((p) => [p.code, p.field])).toEqual([['INTEL_SBOM_SCHEMA', '/components/0/type']]);
  });
  it('a component without a name breaks the schema', async () => {
    const r = await validateSbomSchema(JSON.stringify({ ...base, components: [{ type: 'library' }] }), 'b.json');
    expect(r.problems.map((p) => [p.code, p.record])).toEqual([['INTEL_SBOM_SCHEMA', '/components/0']]);
  });
});
