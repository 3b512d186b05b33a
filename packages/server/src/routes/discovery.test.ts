import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { haveSharedData, pcapDir } from '../../../../test/support/tshark.js';
import { bearer, createTestApp, type TestApp } from '../test-helpers.js';

const HL7 = join(pcapDir, 'ndpi-tests/pcap/hl7.pcap');

describe.skipIf(!haveSharedData)('POST /api/v1/scans: a capture uploaded into the inventory', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  const upload = (app: TestApp, body: Buffer, token: string, type = 'application/vnd.tcpdump.pcap') =>
    app.app.inject({
      method: 'POST',
      url: '/api/v1/scans?file=hl7.pcap',
      headers: { ...bearer(token), 'content-type': type },
      payload: body,
    });

  it('decodes a real capture as it arrives, creates its devices once, and audits them as the uploader', async () => {
    t = await createTestApp();
    const engineer = t.tokens['clinical-engineer'];
    const first = await upload(t, readFileSync(HL7), engineer);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ devices: 2, stats: { packets: 9 }, inventory: { created: 2 } });
    const again = await upload(t, readFileSync(HL7), engineer);
    expect(again.json()).toMatchObject({
      inventory: { created: 0, updated: 0, unchanged: 2 },
      observations: { inserted: 0 },
    });

    const page = await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(engineer) });
    const devices = page.json<{ items: { ips: string[]; provenance: Record<string, { source: unknown }> }[] }>().items;
    expect(devices.map((d) => d.ips).sort()).toEqual([['10.0.0.126'], ['10.0.0.155']]);
    expect(devices[0]?.provenance['ips']?.source).toEqual({ kind: 'sensor', sensor: 'upload' });
    const observed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/observations?deviceKey=ip:10.0.0.155&kind=hl7-app',
      headers: bearer(engineer),
    });
    expect(observed.statusCode, observed.body).toBe(200);
    expect(observed.json<{ items: { source: string }[] }>().items.length).toBeGreaterThan(0);

    await t.app.ledger.flush();
    const size = await t.store.ledger.size();
    const changes = (await t.app.ledger.entries(0, size)).map((e) => e.entry).filter((e) => e.kind === 'change');
    expect(changes.map((e) => e.action)).toEqual(['device.created', 'device.created']);
  });

  it('cuts off an upload that trickles in past the request timeout, and stores nothing of it', async () => {
    t = await createTestApp({ uploadTimeoutMs: 400 });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as AddressInfo).port;
    const capture = readFileSync(HL7);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/v1/scans?file=slow.pcap HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t?.tokens['clinical-engineer'] ?? ''}\r\n` +
            `Content-Type: application/vnd.tcpdump.pcap\r\nContent-Length: ${String(capture.length)}\r\n\r\n`,
        );
        socket.write(capture.subarray(0, 100)); // and never the rest
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => {
        resolve(text);
      });
      socket.on('error', reject);
    });
    // No answer: the connection is closed on the client.
    expect(answer).toBe('');
    expect(await t.store.observations.count()).toBe(0);
  });

  it('stores nothing of a capture over the limit (413), of bytes that are no capture (400), or for a read-only role (403)', async () => {
    t = await createTestApp({ captureLimit: 600 });
    const engineer = t.tokens['clinical-engineer'];
    const big = await upload(t, readFileSync(HL7), engineer);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'SERVER_PAYLOAD_TOO_LARGE' });
    const junk = await upload(
      t,
      Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
      engineer,
      'application/octet-stream',
    );
    expect(junk.statusCode).toBe(400);
    expect(junk.json()).toMatchObject({ code: 'SENSOR_CAPTURE_UNREADABLE' });
    const auditor = await upload(t, readFileSync(HL7), t.tokens.auditor);
    expect(auditor.statusCode).toBe(403);
    expect(await t.store.observations.count()).toBe(0);
    const page = await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(engineer) });
    expect(page.json<{ items: unknown[] }>().items).toEqual([]);
  });
});
