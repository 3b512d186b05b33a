import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RV340_SBOM } from '../../../../test/support/rv340.js';
import { haveSharedData, sharedDataDir } from '../../../../test/support/tshark.js';
import { bearer, createTestApp, type TestApp } from '../test-helpers.js';

const NVD = join(sharedDataDir, 'vulnerability/nvd-api2-json-nvdlib-fixtures');
const RV340 = RV340_SBOM;

interface Page {
  items: { id: string; vulnerability: string; status: string; model: string; explanation: string }[];
  nextCursor: string | null;
}

describe.skipIf(!haveSharedData)('GET /api/v1/findings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const analyst = bearer(t.tokens['security-analyst']);
    for (const f of readdirSync(NVD).sort()) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/feeds/import?file=${f}`,
        headers: { ...analyst, 'content-type': 'application/json' },
        payload: readFileSync(join(NVD, f)),
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const sbom = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sboms?manufacturer=Cisco&model=RV340&firmware=1.0.03.22&file=rv340.cdx.json',
      headers: { ...analyst, 'content-type': 'application/json' },
      payload: RV340,
    });
    expect(sbom.statusCode, sbom.body).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the findings the uploads produced, filters them, pages them and shows one', async () => {
    const get = (url: string, token = t.tokens['clinical-engineer']) =>
      t.app.inject({ method: 'GET', url, headers: bearer(token) });
    const all = (await get('/api/v1/findings?limit=500')).json<Page>();
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((f) => f.status === 'open' && f.model === 'RV340')).toBe(true);
    const one = (await get('/api/v1/findings?vulnerability=CVE-2022-20699')).json<Page>();
    expect(one.items.map((f) => f.vulnerability)).toEqual(['CVE-2022-20699']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (
        await get(`/api/v1/findings?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`)
      ).json<Page>();
      seen.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.items.map((f) => f.id));
    const shown = await get(`/api/v1/findings/${one.items[0]?.id ?? ''}`, t.tokens.auditor);
    expect(shown.statusCode).toBe(200);
    expect(shown.json<{ explanation: string; because: { rule: string } }>().because.rule).toBe('cpe-hw-fw-pair');
    expect((await get('/api/v1/findings/f-nope')).statusCode).toBe(404);
    expect((await get('/api/v1/findings?cursor=bm9wZQ')).statusCode).toBe(400);
    expect((await get('/api/v1/findings', t.tokens.manufacturer)).statusCode).toBe(403);
    expect((await get('/api/v1/findings?status=closed')).json<Page>().items).toEqual([]);
  });
});
