import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  haveSharedData,
  haveTshark,
  pcapDir,
  tcpStreams,
  tsharkFields,
  tsharkJson,
  udpDatagrams,
} from '../../../../test/support/tshark.js';
import type { DnsEvent } from '../events.js';
import { dnsDecoder, mdnsDecoder, parseDns } from './dns.js';
import { feedTcp, feedUdp, rechunk } from './test-helpers.js';

const enc = new TextEncoder();
const name = (n: string): number[] => [...n.split('.').flatMap((l) => [l.length, ...enc.encode(l)]), 0];
const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];

// A response: question pump.local A; answer (compressed) A 10.0.0.9; authority NS (dropped);
// additional SRV whose target is compressed, and an OPT record (dropped).
const response = Uint8Array.from([
  ...u16(0x1234),
  ...u16(0x8403),
  ...u16(1),
  ...u16(1),
  ...u16(1),
  ...u16(2),
  ...name('pump.local'),
  ...u16(1),
  ...u16(1),
  0xc0,
  12,
  ...u16(1),
  ...u16(1),
  0,
  0,
  0,
  60,
  ...u16(4),
  10,
  0,
  0,
  9,
  0xc0,
  17,
  ...u16(2),
  ...u16(1),
  0,
  0,
  0,
  60,
  ...u16(2),
  0xc0,
  12,
  ...name('_dicom._tcp'),
  ...u16(33),
  ...u16(1),
  0,
  0,
  0,
  60,
  ...u16(8),
  0,
  0,
  0,
  0,
  0x2b,
  0x67,
  0xc0,
  12,
  0,
  ...u16(41),
  ...u16(512),
  0,
  0,
  0,
  0,
  ...u16(0),
]);

describe('DNS and mDNS', () => {
  it('reads questions, answers and additional records through compression', () => {
    const r = parseDns(response);
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'dns',
        response: true,
        rcode: 3,
        queries: [{ name: 'pump.local', type: 1 }],
        answers: [
          { name: 'pump.local', type: 1, data: '10.0.0.9' },
          { name: '_dicom._tcp', type: 33, data: 'pump.local' },
        ],
      },
    });
    const rec = feedUdp(mdnsDecoder, [{ direction: 'toClient', data: response, ts: 0 }]);
    expect((rec.events[0] as DnsEvent).mdns).toBe(true);
  });

  it('refuses pointer loops, forward pointers and overlong names', () => {
    const header = [0, 0, 0, 0, ...u16(1), 0, 0, 0, 0, 0, 0];
    const loop = Uint8Array.from([...header, 0xc0, 12, 0, 1, 0, 1]);
    const forward = Uint8Array.from([...header, 0xc0, 14, 0, 0, 1, 0, 1]);
    const long = Uint8Array.from([
      ...header,
      ...Array.from({ length: 5 }, () => [63, ...new Array<number>(63).fill(0x61)]).flat(),
      0,
      0,
      1,
      0,
      1,
    ]);
    for (const b of [loop, forward, long]) {
      const rec = feedUdp(dnsDecoder, [{ direction: 'toServer', data: b, ts: 0 }]);
      expect(rec.errors.map((e) => e.code)).toEqual(['WIRE_DNS_MALFORMED']);
      expect(rec.errors[0]?.offset).toBeGreaterThanOrEqual(12);
    }
  });

  it('reads length-prefixed messages over TCP across chunkings', () => {
    const framed = Uint8Array.from([...u16(response.length), ...response, ...u16(response.length), ...response]);
    const whole = feedTcp(dnsDecoder, [{ kind: 'data', direction: 'toClient', data: framed, ts: 0 }]);
    expect(whole.events).toHaveLength(2);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (sizes) => {
        const rec = feedTcp(dnsDecoder, rechunk([{ kind: 'data', direction: 'toClient', data: framed, ts: 0 }], sizes));
        expect(rec.events).toEqual(whole.events);
      }),
    );
  });

  it('never throws on random bytes, truncations or bit flips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        feedUdp(dnsDecoder, [{ direction: 'toServer', data: b, ts: 0 }]);
        feedTcp(dnsDecoder, [{ kind: 'data', direction: 'toServer', data: b, ts: 0 }]);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: response.length * 8 - 1 }), { maxLength: 8 }),
        fc.nat({ max: response.length }),
        (flips, cut) => {
          const b = response.slice(0, cut);
          for (const f of flips) if (f >> 3 < b.length) b[f >> 3] = (b[f >> 3] ?? 0) ^ (1 << (f & 7));
          feedUdp(mdnsDecoder, [{ direction: 'toServer', data: b, ts: 0 }]);
        },
      ),
    );
  });
});

const captures = haveSharedData
  ? [
      ...['zeek-traces/dns', 'zeek-traces/dnssec'].flatMap((d) =>
        readdirSync(join(pcapDir, d)).map((f) => join(pcapDir, d, f)),
      ),
      ...readdirSync(join(pcapDir, 'zeek-traces'))
        .filter((f) => f.startsWith('dns') && f.endsWith('.pcap'))
        .map((f) => join(pcapDir, 'zeek-traces', f)),
      join(pcapDir, 'ndpi-tests/pcap/dns.pcap'),
    ].filter((f) => existsSync(f))
  : [];
if (!haveSharedData || !haveTshark) console.warn('skipping DNS tshark comparison: tshark or ../shared/data absent');

const totals = { compared: 0, refused: 0 };
const ROOT = (n: string): string => (n === '' ? '<Root>' : n);
const list = (v: string | undefined): string[] => (v === undefined || v === '' ? [] : v.split('\u001f'));

describe.skipIf(!haveSharedData || !haveTshark)('DNS against tshark on the real captures', () => {
  it.each(captures)('%s', (pcap) => {
    const filter = '(dns || mdns) && udp';
    type Tree = Record<string, unknown>;
    const peer = new Map(
      tsharkJson(pcap, filter).map((layers) => {
        const frame = layers.frame as Tree;
        return [Number(frame['frame.number']), layers] as const;
      }),
    );
    const records = (tree: Tree | undefined, prefix: 'qry' | 'resp'): string[] =>
      tree === undefined
        ? []
        : Object.values(tree)
            .flat()
            .map((r) => `${String((r as Tree)[`dns.${prefix}.name`])}/${String((r as Tree)[`dns.${prefix}.type`])}`);
    const unique = (v: string[]): string[] => [...new Set(v)];
    let compared = 0;
    let refused = 0;
    for (const d of udpDatagrams(pcap, filter)) {
      const layers = peer.get(d.frame) ?? {};
      const dns = (layers.dns ?? layers.mdns) as Tree | undefined;
      const whole = JSON.stringify(layers);
      const malformed =
        '_ws.malformed' in layers ||
        whole.includes('"_ws.expert.severity":"8388608"') ||
        whole.includes('pointer that loops');
      const factory = d.src.port === 5353 || d.dst.port === 5353 ? mdnsDecoder : dnsDecoder;
      const rec = feedUdp(factory, [{ direction: 'toServer', data: d.data, ts: d.ts }]);
      const e = rec.events[0] as DnsEvent | undefined;
      if (e === undefined) {
        expect(malformed, `frame ${String(d.frame)} refused but tshark saw no error`).toBe(true);
        refused++;
        continue;
      }
      if (dns === undefined || malformed) continue; // tshark gave up part-way: its lists are partial
      const flags = dns['dns.flags_tree'] as Tree;
      if (flags['dns.flags.opcode'] !== '0') continue; // UPDATE and NOTIFY name their sections differently
      expect(e.response, `frame ${String(d.frame)}`).toBe(flags['dns.flags.response'] === '1');
      if (e.response) expect(String(e.rcode)).toBe(flags['dns.flags.rcode']);
      expect(unique(e.queries.map((q) => `${ROOT(q.name)}/${String(q.type)}`))).toEqual(
        unique(records(dns.Queries as Tree | undefined, 'qry')),
      );
      const theirs = [
        ...records(dns.Answers as Tree | undefined, 'resp'),
        ...records(dns['Additional records'] as Tree | undefined, 'resp'),
      ].filter((r) => !r.endsWith('/41'));
      expect(unique(e.answers.map((a) => `${ROOT(a.name)}/${String(a.type)}`)), `frame ${String(d.frame)}`).toEqual(
        unique(theirs),
      );
      const text = JSON.stringify(dns);
      for (const a of e.answers)
        if (a.type === 1 || a.type === 28 || a.type === 12) expect(text).toContain(`"${a.data ?? ''}"`);
      compared++;
    }
    totals.compared += compared;
    totals.refused += refused;
  });

  it('compared a good number of messages in all (and refused few)', () => {
    expect(totals.compared).toBeGreaterThan(100);
    expect(totals.refused).toBeLessThan(totals.compared / 10);
  });

  it('agrees with tshark on DNS over TCP', () => {
    const tcpFiles = [
      'zeek-traces/dns/dns-binds.pcap',
      'zeek-traces/dns-edns-tcp-keepalive.pcap',
      'zeek-traces/dns/long-connection.pcap',
    ]
      .map((f) => join(pcapDir, f))
      .filter((f) => tsharkFields(f, 'dns && tcp', ['frame.number']).length > 0);
    expect(tcpFiles.length).toBeGreaterThan(0);
    for (const f of tcpFiles) {
      const theirs = tsharkFields(f, 'dns && tcp && !_ws.malformed', ['dns.qry.name'])
        .flatMap((r) => list(r[0]))
        .sort();
      const ours = tcpStreams(f)
        .filter((s) => s.server.port === 53 || s.client.port === 53)
        .flatMap((s) => feedTcp(dnsDecoder, s.items).events as DnsEvent[])
        .flatMap((e) => e.queries.map((q) => ROOT(q.name)))
        .sort();
      expect(ours, f).toEqual(theirs);
    }
  });
});
