import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haveSharedData, haveTshark, pcapDir, tcpStreams, tsharkFields } from '../../../../test/support/tshark.js';
import type { RdpEvent } from '../events.js';
import { detectRdp, rdpDecoder } from './rdp.js';
import { feedTcp, rechunk } from './test-helpers.js';

const cookie = [...new TextEncoder().encode('Cookie: mstshash=dr.house\r\n')];
const negReq = [0x01, 0x00, 0x08, 0x00, 0x0b, 0x00, 0x00, 0x00];
const x224 = (code: number, rest: number[]): number[] => [6 + rest.length, code, 0, 0, 0, 0, 0, ...rest];
const tpkt = (p: number[]): Uint8Array => Uint8Array.from([3, 0, (p.length + 4) >> 8, (p.length + 4) & 0xff, ...p]);

describe('RDP negotiation', () => {
  it('reads requested and selected protocols and never keeps the cookie', () => {
    const request = tpkt(x224(0xe0, [...cookie, ...negReq]));
    const confirm = tpkt(x224(0xd0, [0x02, 0x1f, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00]));
    for (const sizes of [[1000], [1], [3, 5]]) {
      const rec = feedTcp(
        rdpDecoder,
        rechunk(
          [
            { kind: 'data', direction: 'toServer', data: request, ts: 1 },
            { kind: 'data', direction: 'toClient', data: confirm, ts: 2 },
          ],
          sizes,
        ),
      );
      expect(rec.errors).toEqual([]);
      expect(rec.events).toMatchObject([
        { kind: 'rdp-negotiate', response: false, protocols: 0x0b },
        { kind: 'rdp-negotiate', response: true, protocols: 2 },
      ]);
      expect(JSON.stringify(rec.events)).not.toContain('house');
    }
    expect(detectRdp(request)).toBe(true);
    const legacy = feedTcp(rdpDecoder, [
      { kind: 'data', direction: 'toServer', data: tpkt(x224(0xe0, cookie)), ts: 0 },
    ]);
    expect(legacy.events).toMatchObject([{ protocols: 0, response: false }]);
  });

  it('reports what is not TPKT and never throws on random bytes or bit flips', () => {
    const bad = feedTcp(rdpDecoder, [
      { kind: 'data', direction: 'toServer', data: new TextEncoder().encode('GET / HTTP/1.1'), ts: 0 },
    ]);
    expect(bad.errors.map((e) => e.code)).toEqual(['WIRE_RDP_MALFORMED']);
    const real = tpkt(x224(0xe0, [...cookie, ...negReq]));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat({ max: real.length * 8 - 1 }), { maxLength: 6 }),
        (b, flips) => {
          feedTcp(rdpDecoder, [{ kind: 'data', direction: 'toServer', data: Uint8Array.from([3, 0, ...b]), ts: 0 }]);
          const f = real.slice();
          for (const x of flips) f[x >> 3] = (f[x >> 3] ?? 0) ^ (1 << (x & 7));
          feedTcp(rdpDecoder, [{ kind: 'data', direction: 'toServer', data: f, ts: 0 }]);
        },
      ),
    );
  });
});

describe.skipIf(!haveSharedData || !haveTshark)('RDP against tshark on ndpi-tests/pcap/rdp.pcap', () => {
  it('reads the same requested and selected protocols', () => {
    const pcap = join(pcapDir, 'ndpi-tests/pcap/rdp.pcap');
    const peer = tsharkFields(pcap, 'rdp', ['rdp.negReq.requestedProtocols', 'rdp.negReq.selectedProtocol']).map((r) =>
      (r[0] ?? '') !== '' ? `rq ${String(Number(r[0]))}` : `rsp ${String(Number(r[1]))}`,
    );
    const ours = tcpStreams(pcap)
      .flatMap((s) => feedTcp(rdpDecoder, s.items).events as RdpEvent[])
      .map((e) => `${e.response ? 'rsp' : 'rq'} ${String(e.protocols)}`);
    expect(ours).toEqual(peer);
    expect(peer).toEqual(['rq 11', 'rsp 8']);
  });
});
