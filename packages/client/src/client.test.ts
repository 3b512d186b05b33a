import { createReadStream, readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/src/test-helpers.js';
import { haveSharedData, pcapDir, sharedDataDir } from '../../../test/support/tshark.js';
import { OPERATIONS, WardApiError, WardClient } from './client.js';

let t: TestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${String((t.app.server.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  await t.close();
});

describe('the client against the OpenAPI document', () => {
  it('names only operations the server documents, with the access the server declares', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, Record<string, { 'x-ward-access'?: string }>>;
    }>();
    for (const [name, op] of Object.entries(OPERATIONS)) {
      const documented = doc.paths[op.path]?.[op.method.toLowerCase()];
      expect(documented, `${name}: ${op.method} ${op.path}`).toBeDefined();
      expect(documented?.['x-ward-access'], name).toBe(op.access);
    }
  });
});

describe.skipIf(!haveSharedData)('the client against a running server', () => {
  it('uploads an SBOM, a feed and a capture (streamed), lists what they stored, and throws coded problems', async () => {
    const client = new WardClient({ baseUrl, token: t.tokens['security-analyst'] });
    expect((await client.health()).status).toBe('ok');

    const sbomFile = join(sharedDataDir, 'sbom/medical-device-sbom-case-study/extended.sbom.json');
    const model = { manufacturer: 'Acme Medical', model: 'InfuseRight 3000' };
    const sbom = await client.importSbom(readFileSync(sbomFile), {
      ...model,
      firmware: '1.0',
      file: 'extended.sbom.json',
    });
    expect(sbom.created).toBe(true);
    expect((await client.listSboms(model)).items.map((s) => s.id)).toEqual([sbom.sbom.id]);

    const csafDir = join(sharedDataDir, 'vulnerability/cisa-csaf-icsma/2019');
    const csaf =
      readdirSync(csafDir)
        .filter((f) => f.endsWith('.json'))
        .sort()[0] ?? '';
    const feed = await client.importFeed(readFileSync(join(csafDir, csaf)), csaf);
    expect(feed).toMatchObject({ imported: true, format: 'csaf' });
    expect((await client.listFeeds()).items.map((i) => i.sha256)).toEqual([feed.sha256]);

    const capture = Readable.toWeb(
      createReadStream(join(pcapDir, 'ndpi-tests/pcap/hl7.pcap')),
    ) as ReadableStream<Uint8Array>;
    const report = await client.uploadCapture(capture, 'hl7.pcap');
    expect(report).toMatchObject({ devices: 2, inventory: { created: 2 } });
    const devices = await client.listDevices({ limit: 10 });
    expect(devices.items).toHaveLength(2);
    const [first] = devices.items;
    expect((await client.getDevice(first?.id ?? '')).id).toBe(first?.id);

    const missing = client.exportVex({ manufacturer: 'Nobody', model: 'Nothing', format: 'openvex' });
    await expect(missing).rejects.toBeInstanceOf(WardApiError);
    await expect(missing).rejects.toMatchObject({ status: 404, code: 'INTEL_VEX_EMPTY' });
    const anonymous = new WardClient({ baseUrl });
    await expect(anonymous.listSboms()).rejects.toMatchObject({ status: 401, code: 'AUTH_UNAUTHENTICATED' });
    // An auditor reads but may not upload.
    const auditor = new WardClient({ baseUrl, token: t.tokens.auditor });
    await expect(auditor.importFeed(readFileSync(join(csafDir, csaf)), csaf)).rejects.toMatchObject({ status: 403 });
  });
});
