import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haveSharedData, haveTshark, pcapDir, tsharkFields, udpDatagrams } from '../../../../test/support/tshark.js';
import type { DhcpEvent } from '../events.js';
import { dhcpDecoder, parseDhcp } from './dhcp.js';
import { feedUdp } from './test-helpers.js';

const enc = new TextEncoder();

function bootp(options: number[], file: number[] = [], sname: number[] = []): Uint8Array {
  const b = new Uint8Array(240 + options.length);
  b[0] = 1;
  b[1] = 1;
  b[2] = 6;
  b.set([0x00, 0x1b, 0x63, 0xaa, 0xbb, 0xcc], 28);
  b.set(sname, 44);
  b.set(file, 108);
  b.set([0x63, 0x82, 0x53, 0x63], 236);
  b.set(options, 240);
  return b;
}
const opt = (code: number, value: readonly number[]): number[] => [code, value.length, ...value];
const str = (s: string): number[] => [...enc.encode(s)];

describe('DHCP', () => {
  it('reads the fingerprinting options, pads and end', () => {
    const b = bootp([
      ...opt(53, [1]),
      0,
      0,
      ...opt(12, str('infusion-07')),
      ...opt(55, [1, 3, 6, 15, 119, 252]),
      ...opt(57, [0x05, 0xdc]),
      ...opt(60, str('MSFT 5.0')),
      ...opt(61, [1, 0x00, 0x1b, 0x63, 0xaa, 0xbb, 0xcc]),
      ...opt(50, [10, 1, 2, 3]),
      ...opt(81, [0x04, 0, 0, 4, ...str('pump'), 3, ...str('icu'), 0]),
      ...opt(43, [1, 2, 0xab, 0xcd]),
      255,
      ...opt(12, str('after-end')),
    ]);
    const r = parseDhcp(b);
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'dhcp',
        messageType: 1,
        clientMac: '00:1b:63:aa:bb:cc',
        hostname: 'infusion-07',
        paramList: [1, 3, 6, 15, 119, 252],
        maxMessageSize: 1500,
        vendorClass: 'MSFT 5.0',
        clientId: '01001b63aabbcc',
        requestedIp: '10.1.2.3',
        fqdn: 'pump.icu',
        vendorSpecific: '0102abcd',
      },
    });
  });

  it('reads options from file and sname under option 52 overload, and concatenates split options', () => {
    const file = [...opt(12, str('from-file')), 255];
    const sname = [...opt(60, str('vend')), ...opt(60, str('or')), 255];
    const r = parseDhcp(bootp([...opt(53, [3]), ...opt(52, [3]), 255], file, sname));
    expect(r.ok && r.value).toMatchObject({ messageType: 3, hostname: 'from-file', vendorClass: 'vendor' });
    const ignored = parseDhcp(bootp([...opt(53, [3]), 255], file, sname));
    expect(ignored.ok && ignored.value.hostname).toBeUndefined();
  });

  it('reports short datagrams, a missing cookie and an option past the end', () => {
    const codes = (b: Uint8Array): string[] =>
      feedUdp(dhcpDecoder, [{ direction: 'toServer', data: b, ts: 0 }]).errors.map(
        (e) => `${e.code}@${String(e.offset)}`,
      );
    expect(codes(new Uint8Array(100))).toEqual(['WIRE_DHCP_MALFORMED@100']);
    const noCookie = bootp([255]);
    noCookie[236] = 0;
    expect(codes(noCookie)).toEqual(['WIRE_DHCP_MALFORMED@236']);
    expect(codes(bootp([53, 1, 1, 12, 40, 65]))).toEqual(['WIRE_DHCP_MALFORMED@243']);
  });

  it('never throws on random bytes or bit flips', () => {
    const real = bootp([...opt(53, [1]), ...opt(12, str('host')), ...opt(55, [1, 3, 6]), ...opt(52, [3]), 255]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        feedUdp(dhcpDecoder, [{ direction: 'toServer', data: bytes, ts: 0 }]);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: real.length * 8 - 1 }), { maxLength: 10 }),
        fc.nat({ max: real.length }),
        (flips, cut) => {
          const b = real.slice(0, cut);
          for (const f of flips) if (f >> 3 < b.length) b[f >> 3] = (b[f >> 3] ?? 0) ^ (1 << (f & 7));
          feedUdp(dhcpDecoder, [{ direction: 'toServer', data: b, ts: 0 }]);
        },
      ),
    );
  });
});

const captures = haveSharedData
  ? [
      ...readdirSync(join(pcapDir, 'zeek-traces/dhcp')).map((f) => join(pcapDir, 'zeek-traces/dhcp', f)),
      join(pcapDir, 'ndpi-tests/pcap/dhcp-fuzz.pcapng'),
    ]
  : [];
if (!haveSharedData || !haveTshark) console.warn('skipping DHCP tshark comparison: tshark or ../shared/data absent');

describe.skipIf(!haveSharedData || !haveTshark)('DHCP against tshark on the real captures', () => {
  it.each(captures)('%s', (pcap) => {
    const fields = [
      'frame.number',
      'dhcp.option.dhcp',
      'dhcp.hw.mac_addr',
      'dhcp.option.hostname',
      'dhcp.option.vendor_class_id',
      'dhcp.option.request_list_item',
      'dhcp.option.requested_ip_address',
      'dhcp.option.dhcp_max_message_size',
      'dhcp.fqdn.name',
      'dhcp.ip.your',
      'dhcp.ip.client',
      '_ws.malformed',
      'dhcp.cookie',
    ];
    const peer = new Map(tsharkFields(pcap, 'dhcp', fields).map((r) => [Number(r[0]), r]));
    const datagrams = udpDatagrams(pcap, 'dhcp');
    expect(datagrams.length).toBeGreaterThan(0);
    let compared = 0;
    let refused = 0;
    for (const d of datagrams) {
      const rec = feedUdp(dhcpDecoder, [{ direction: 'toServer', data: d.data, ts: d.ts }]);
      const p = peer.get(d.frame);
      if (rec.events.length === 0) {
        // we refuse only what tshark also finds malformed or not DHCP at all
        expect(rec.errors.map((e) => e.code)).toEqual(['WIRE_DHCP_MALFORMED']);
        expect((p?.[11] ?? '') !== '' || p?.[12] !== '0x63825363', `frame ${String(d.frame)}`).toBe(true);
        refused++;
        continue;
      }
      const e = rec.events[0] as DhcpEvent;
      const orEmpty = (v: string | undefined): string => (v === undefined || v === '0.0.0.0' ? '' : v);
      const ours = [
        e.messageType === null ? '' : String(e.messageType),
        e.clientMac,
        e.hostname ?? '',
        e.vendorClass ?? '',
        (e.paramList ?? []).join('\u001f'),
        e.requestedIp ?? '',
        e.maxMessageSize === undefined ? '' : String(e.maxMessageSize),
        e.fqdn ?? '',
        e.yourIp ?? '',
        e.clientIp ?? '',
      ];
      const theirs = (p ?? [])
        .slice(1, 11)
        .map((v, i) => (i >= 8 ? orEmpty(v) : i === 1 ? (v.split('\u001f')[0] ?? '') : v));
      expect(ours, `frame ${String(d.frame)}`).toEqual(theirs);
      compared++;
    }
    expect(compared + refused).toBe(datagrams.length);
    if (!pcap.includes('fuzz')) expect(compared).toBeGreaterThan(0);
  });
});
