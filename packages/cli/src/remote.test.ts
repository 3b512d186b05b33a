import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/src/test-helpers.js';
import { haveSharedData, sharedDataDir } from '../../../test/support/tshark.js';
import { ward } from './test-helpers.js';

let t: TestApp;
let server: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  server = `http://127.0.0.1:${String((t.app.server.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  await t.close();
});

const model = ['--manufacturer', 'Acme Medical', '--model', 'InfuseRight 3000', '--firmware', '1.0'];

describe.skipIf(!haveSharedData)('ward in remote mode (--server, WARD_TOKEN)', () => {
  it('imports an SBOM through the API: stored on the server and audited as the token user', async () => {
    const sbom = join(sharedDataDir, 'sbom/medical-device-sbom-case-study/extended.sbom.json');
    const env = { WARD_TOKEN: t.tokens['clinical-engineer'] };
    const r = await ward(['sbom', 'import', sbom, ...model, '--server', server, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const [outcome] = r.json<{ imported: { created: boolean; sbom: { id: string } }[] }>().imported;
    expect(outcome?.created).toBe(true);
    expect((await t.store.software.listSboms()).map((s) => s.id)).toEqual([outcome?.sbom.id]);
    await t.app.ledger.flush();
    const entries = await t.app.ledger.entries(0, await t.store.ledger.size());
    const change = entries.map((e) => e.entry).find((e) => e.kind === 'change');
    expect(change).toMatchObject({ action: 'sbom.imported', via: 'api', role: 'clinical-engineer' });

    const notSbom = await ward(
      ['sbom', 'import', join(sharedDataDir, 'README.md'), ...model, '--server', server, '--json'],
      {
        env,
      },
    );
    expect(notSbom.code).toBe(1);
    expect(notSbom.stderr).toMatch(/INTEL_SBOM_/);
  });

  it("lists the server's stored findings (ward findings list --server)", async () => {
    const r = await ward(['findings', 'list', '--server', server, '--json'], {
      env: { WARD_TOKEN: t.tokens.auditor },
    });
    expect(r.code, r.stderr).toBe(0);
    const stored = await t.store.findings.list({ limit: 500 });
    expect(r.json<{ findings: { id: string }[] }>().findings.map((f) => f.id)).toEqual(stored.items.map((f) => f.id));
    const denied = await ward(['findings', 'list', '--server', server], { env: { WARD_TOKEN: t.tokens.manufacturer } });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('AUTH_FORBIDDEN');
  });

  it('refuses remote mode without a token, and a server that is not a URL, as usage errors', async () => {
    const sbom = join(sharedDataDir, 'sbom/medical-device-sbom-case-study/extended.sbom.json');
    expect((await ward(['sbom', 'import', sbom, ...model, '--server', server])).code).toBe(2);
    const bad = await ward(['sbom', 'import', sbom, ...model, '--server', 'ward.local'], { env: { WARD_TOKEN: 'x' } });
    expect(bad.code).toBe(2);
  });
});
