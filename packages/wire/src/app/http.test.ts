import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haveSharedData, haveTshark, pcapDir, tcpStreams, tsharkFields } from '../../../../test/support/tshark.js';
import type { HttpRequestEvent, HttpResponseEvent } from '../events.js';
import { recognizeFhir } from './fhir.js';
import { HTTP_MAX_HEADER_BLOCK, detectHttp, httpDecoder } from './http.js';
import { type Item, feedTcp, rechunk } from './test-helpers.js';

const enc = new TextEncoder();
const up = (s: string, ts = 1): Item => ({ kind: 'data', direction: 'toServer', data: enc.encode(s), ts });
const down = (s: string, ts = 2): Item => ({ kind: 'data', direction: 'toClient', data: enc.encode(s), ts });

const conversation = [
  up(
    'POST /fhir/r4/Observation?patient=SECRET-ID HTTP/1.1\r\nHost: ehr.example\r\nUser-Agent: Monitor/2.1\r\n' +
      'Content-Type: application/fhir+json\r\nContent-Length: 27\r\n\r\n{"name":"SECRET-PATIENT!!"}',
  ),
  up('GET /fhir/r4/Patient/p123/_history/2 HTTP/1.1\r\nHost: ehr.example\r\n\r\n'),
  up('HEAD /status HTTP/1.1\r\nHost: pump-7\r\n\r\n'),
  down(
    'HTTP/1.1 201 Created\r\nServer: HAPI\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;x=1\r\nSECRE\r\n4\r\nT!!!\r\n0\r\nX-T: 1\r\n\r\n',
  ),
  down('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nSECRET'),
  down('HTTP/1.1 200 OK\r\nServer: pump-os\r\nContent-Length: 1000\r\n\r\n'),
];

describe('HTTP/1.x', () => {
  it('reads requests and responses, skips bodies, strips queries and FHIR ids', () => {
    const rec = feedTcp(httpDecoder, conversation);
    expect(rec.errors).toEqual([]);
    expect(rec.events.map((e) => e.kind)).toEqual([
      'http-request',
      'http-request',
      'http-request',
      'http-response',
      'http-response',
      'http-response',
      'http-response',
    ]);
    expect(rec.events[0]).toMatchObject({
      method: 'POST',
      path: '/fhir/r4/Observation',
      host: 'ehr.example',
      userAgent: 'Monitor/2.1',
      fhir: { resourceType: 'Observation', interaction: 'create' },
    });
    expect(rec.events[1]).toMatchObject({
      path: '/fhir/r4/Patient/{id}/_history/{vid}',
      fhir: { resourceType: 'Patient', interaction: 'read' },
    });
    expect((rec.events[2] as HttpRequestEvent).fhir).toBeUndefined();
    expect(rec.events.slice(3).map((e) => (e as HttpResponseEvent).status)).toEqual([201, 100, 200, 200]);
    expect(rec.events[3]).toMatchObject({ server: 'HAPI', contentType: 'application/fhir+json' });
    expect(JSON.stringify(rec.events)).not.toContain('SECRET');
  });

  it('names FHIR interactions', () => {
    const i = (m: string, p: string, media = false): unknown => recognizeFhir(m, p, media)?.interaction;
    expect([
      i('GET', '/Patient'),
      i('POST', '/Patient/_search'),
      i('PUT', '/base/Device/d1'),
      i('DELETE', '/Device/d1'),
      i('GET', '/Device/_history'),
      i('POST', '/Patient/1/$everything'),
      i('GET', '/Patient/1/Observation'),
      i('POST', '/$process-message', true),
    ]).toEqual(['search', 'search', 'update', 'delete', 'history', 'operation', 'search', 'operation']);
    expect(recognizeFhir('GET', '/api/v1/status', false)).toBeNull();
    expect(recognizeFhir('GET', '/metadata', true)).toEqual({ path: '/metadata' });
  });

  it('gives the same events however the stream is cut', () => {
    const whole = feedTcp(httpDecoder, conversation).events;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1 }), (sizes) => {
        expect(feedTcp(httpDecoder, rechunk(conversation, sizes)).events).toEqual(whole);
      }),
    );
  });

  it('bounds the header block and reports malformed messages', () => {
    const huge = up(`GET / HTTP/1.1\r\nX: ${'a'.repeat(HTTP_MAX_HEADER_BLOCK)}\r\n\r\n`);
    expect(feedTcp(httpDecoder, [huge]).errors.map((e) => e.code)).toEqual(['WIRE_APP_LIMIT']);
    expect(feedTcp(httpDecoder, [up('HELLO THERE\r\n\r\n')]).errors.map((e) => e.code)).toEqual([
      'WIRE_HTTP_MALFORMED',
    ]);
    expect(
      feedTcp(httpDecoder, [up('POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n')]).errors.map((e) => e.code),
    ).toEqual(['WIRE_HTTP_MALFORMED']);
    expect(
      feedTcp(httpDecoder, [down('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')]).errors.map(
        (e) => e.code,
      ),
    ).toEqual(['WIRE_HTTP_MALFORMED']);
    expect(detectHttp(enc.encode('GET /x HTTP/1.1'))).toBe(true);
    expect(detectHttp(enc.encode('HTTP/1.0 200'))).toBe(true);
    expect(detectHttp(enc.encode('SSH-2.0-x'))).toBe(false);
  });

  it('never throws on random bytes, truncations or bit flips', () => {
    const real = enc.encode(
      conversation.map((c) => (c.kind === 'data' ? new TextDecoder().decode(c.data) : '')).join(''),
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }),
        (b, sizes) => {
          feedTcp(httpDecoder, rechunk([{ kind: 'data', direction: 'toServer', data: b, ts: 0 }], sizes));
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: real.length * 8 - 1 }), { maxLength: 8 }),
        fc.nat({ max: real.length }),
        (flips, cut) => {
          const b = real.slice(0, cut);
          for (const f of flips) if (f >> 3 < b.length) b[f >> 3] = (b[f >> 3] ?? 0) ^ (1 << (f & 7));
          feedTcp(httpDecoder, [{ kind: 'data', direction: 'toServer', data: b, ts: 0 }]);
        },
      ),
    );
  });
});

const captures = haveSharedData
  ? [
      ...readdirSync(join(pcapDir, 'zeek-traces/http')).map((f) => join(pcapDir, 'zeek-traces/http', f)),
      join(pcapDir, 'ndpi-tests/pcap/http.pcapng'),
      join(pcapDir, 'zeek-traces/wikipedia.pcap'),
    ].filter((f) => existsSync(f) && !f.endsWith('.gz') && /\.pcap(ng)?$/.test(f))
  : [];
if (!haveSharedData || !haveTshark) console.warn('skipping HTTP tshark comparison: tshark or ../shared/data absent');
const totals = { agree: 0, differ: 0 };

describe.skipIf(!haveSharedData || !haveTshark)('HTTP against tshark on the real captures', () => {
  it.each(captures)('%s', (pcap) => {
    const theirs = new Map<number, string[]>();
    for (const r of tsharkFields(pcap, 'http.request && tcp', [
      'tcp.stream',
      'http.request.method',
      'http.request.uri',
      'http.host',
      'http.user_agent',
    ])) {
      const uri = (r[2] ?? '').replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '').replace(/[?#].*$/, '') || '/';
      const list = theirs.get(Number(r[0])) ?? [];
      list.push([r[1], uri, r[3], r[4]].join(' | '));
      theirs.set(Number(r[0]), list);
    }
    for (const s of tcpStreams(pcap)) {
      const peer = theirs.get(s.stream) ?? [];
      if (peer.length === 0) continue;
      const rec = feedTcp(httpDecoder, s.items);
      const ours = rec.events
        .filter((e): e is HttpRequestEvent => e.kind === 'http-request' && e.fhir === undefined)
        .map((e) => [e.method, e.path, e.host ?? '', e.userAgent ?? ''].join(' | '));
      const n = Math.min(ours.length, peer.length);
      for (let k = 0; k < peer.length; k++) {
        if (k < n && ours[k] === peer[k]) totals.agree++;
        else {
          totals.differ++;
          console.log(
            `differs from tshark: ${pcap} stream ${String(s.stream)}: ${String(ours[k])} / ${String(peer[k])}`,
          );
        }
      }
    }
  });

  it('agrees with tshark on nearly every request line, Host and User-Agent', () => {
    console.log(`HTTP vs tshark: ${String(totals.agree)} requests agree, ${String(totals.differ)} differ`);
    // the known differences are request lines tshark reads leniently and we refuse as malformed
    // (`CONNECT host:25 / HTTP/1.0`, `GET  HTTP/1.1` with no target)
    expect(totals.agree).toBeGreaterThan(100);
    expect(totals.differ).toBeLessThanOrEqual(2);
  });
});
