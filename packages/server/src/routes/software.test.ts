import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVex } from '@ward/intel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveSharedData, sharedDataDir } from '../../../../test/support/tshark.js';
import { bearer, createTestApp, type TestApp } from '../test-helpers.js';

const SBOM = join(sharedDataDir, 'sbom/medical-device-sbom-case-study/extended.sbom.json');
const Q = 'manufacturer=Acme%20Medical&model=InfuseRight%203000';

describe.skipIf(!haveSharedData)('SBOM and VEX routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const engineer = () => bearer(t.tokens['clinical-engineer']);

  it('uploads a real SBOM once, lists and shows it; the same document again changes nothing', async () => {
    const up = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/sboms?${Q}&firmware=1.0&file=extended.sbom.json`,
        headers: { ...engineer(), 'content-type': 'application/vnd.cyclonedx+json' },
        payload: readFileSync(SBOM),
      });
    const first = await up();
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json<{ created: boolean; sbom: { id: string }; components: number; schema: string }>();
    expect(body).toMatchObject({ created: true, schema: 'schema' });
    expect(body.components).toBeGreaterThan(0);
    expect((await up()).json()).toMatchObject({ created: false, sbom: { id: body.sbom.id } });
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/sboms?${Q}`, headers: bearer(t.tokens.auditor) });
    expect(list.json<{ items: { id: string }[] }>().items.map((s) => s.id)).toEqual([body.sbom.id]);
    const shown = await t.app.inject({ method: 'GET', url: `/api/v1/sboms/${body.sbom.id}`, headers: engineer() });
    expect(shown.json<{ components: unknown[] }>().components).toHaveLength(body.components);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/sboms/nope', headers: engineer() });
    expect(missing.statusCode).toBe(404);
  });

  it('answers a document that is no SBOM with 422 naming the file and the problem, and stores nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sboms?${Q}&firmware=9.9&file=notes.txt`,
      headers: { ...engineer(), 'content-type': 'text/plain' },
      payload: 'patient list, do not share',
    });
    expect(res.statusCode).toBe(422);
    const problem = res.json<{ code: string; detail: string; problems: { file: string }[] }>();
    expect(problem.code).toMatch(/^INTEL_SBOM_/);
    expect(problem.problems[0]?.file).toBe('notes.txt');
    expect(res.body).not.toContain('patient list');
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/sboms?${Q}&firmware=9.9`, headers: engineer() });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it("records a person's decision and exports the model's decisions as a VEX document that reads back", async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vex/decisions',
      headers: engineer(),
      payload: {
        manufacturer: 'Acme Medical',
        model: 'InfuseRight 3000',
        vulnerability: 'CVE-2022-42905',
        component: 'pkg:github/wolfssl/wolfssl@4.8.1',
        status: 'not_affected',
        author: 'Jane Engineer',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INTEL_VEX_JUSTIFICATION_MISSING' });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vex/decisions',
      headers: engineer(),
      payload: {
        manufacturer: 'Acme Medical',
        model: 'InfuseRight 3000',
        vulnerability: 'CVE-2022-42905',
        component: 'pkg:github/wolfssl/wolfssl@4.8.1',
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        author: 'Jane Engineer',
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const exported = await t.app.inject({
      method: 'GET',
      url: `/api/v1/vex/export?${Q}&format=openvex`,
      headers: bearer(t.tokens.auditor),
    });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(parseVex(exported.body, 'export.json').statements).toMatchObject([
      { vulnerability: 'CVE-2022-42905', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' },
    ]);
    const none = await t.app.inject({
      method: 'GET',
      url: '/api/v1/vex/export?manufacturer=Other&model=X&format=csaf',
      headers: engineer(),
    });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'INTEL_VEX_EMPTY' });
  });
});
