import { describe, expect, it } from 'vitest';
import { createDecoder } from './decoder.js';
import { WireError } from './errors.js';
import type { AppDecoderFactory, Direction, FlowEndEvent, FlowInfo, HostEvent, WireEvent } from './events.js';
import {
  ACK,
  FIN,
  PSH,
  SYN,
  concat,
  decodeAll,
  ethernet,
  ipv4,
  macBytes,
  pcapFile,
  tcpFrame,
  tcpSegment,
  udpDatagram,
  type TcpSpec,
  type TestPacket,
} from './test-helpers.js';

const enc = new TextEncoder();

interface Seen {
  readonly flows: FlowInfo[];
  readonly data: Record<string, string>;
  readonly gaps: number[];
  ended: number;
}

/** A test decoder that records what the flow engine gives it. */
function recorder(seen: Seen, options: Partial<AppDecoderFactory> = {}): AppDecoderFactory {
  return {
    protocol: 'hl7',
    createTcp(ctx) {
      seen.flows.push(ctx.flow);
      return {
        onData(dir: Direction, data: Uint8Array) {
          const key = `${ctx.flow.id} ${dir}`;
          seen.data[key] = (seen.data[key] ?? '') + new TextDecoder().decode(data);
        },
        onGap(_dir: Direction, length: number) {
          seen.gaps.push(length);
        },
        onEnd() {
          seen.ended++;
        },
      };
    },
    ...options,
  };
}

function newSeen(): Seen {
  return { flows: [], data: {}, gaps: [], ended: 0 };
}

const C = { src: '10.0.0.155', dst: '10.0.0.126', sport: 40000, dport: 6661 };
const S = { src: C.dst, dst: C.src, sport: C.dport, dport: C.sport };
const MACS_C = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' };
const MACS_S = { src: MACS_C.dst, dst: MACS_C.src };

function conversation(): TestPacket[] {
  const t = (spec: TcpSpec, fromClient: boolean, i: number): TestPacket => ({
    data: tcpFrame(spec, fromClient ? MACS_C : MACS_S),
    ts: 1_000_000 + i * 1000,
  });
  const msg = enc.encode('\x0bMSH|^~\\&|A|B|C|D\r\x1c\r');
  const ack = enc.encode('\x0bMSH|ACK\r\x1c\r');
  return [
    t({ ...C, seq: 1000, flags: SYN }, true, 0),
    t({ ...S, seq: 5000, flags: SYN | ACK }, false, 1),
    t({ ...C, seq: 1001, flags: ACK }, true, 2),
    // second half first (out of order), then the first half
    t({ ...C, seq: 1001 + 10, flags: ACK | PSH, payload: msg.subarray(10) }, true, 3),
    t({ ...C, seq: 1001, flags: ACK | PSH, payload: msg.subarray(0, 10) }, true, 4),
    t({ ...S, seq: 5001, flags: ACK | PSH, payload: ack }, false, 5),
    t({ ...C, seq: 1001 + msg.length, flags: ACK | FIN }, true, 6),
    t({ ...S, seq: 5001 + ack.length, flags: ACK | FIN }, false, 7),
    t({ ...C, seq: 1002 + msg.length, flags: ACK }, true, 8),
  ];
}

const ofKind = <K extends WireEvent['kind']>(
  events: readonly WireEvent[],
  kind: K,
): Extract<WireEvent, { kind: K }>[] => events.filter((e): e is Extract<WireEvent, { kind: K }> => e.kind === kind);

describe('createDecoder', () => {
  it('reassembles a TCP conversation for the decoder chosen by port and ends it once', () => {
    const seen = newSeen();
    const { events, decoder } = decodeAll(pcapFile(conversation()), {
      decoders: [recorder(seen, { tcpPorts: [6661] })],
    });
    expect(seen.flows.map((f) => f.id)).toEqual(['tcp:10.0.0.155:40000>10.0.0.126:6661']);
    expect(seen.flows[0]?.client.mac).toBe(MACS_C.src);
    expect(seen.data['tcp:10.0.0.155:40000>10.0.0.126:6661 toServer']).toBe('\x0bMSH|^~\\&|A|B|C|D\r\x1c\r');
    expect(seen.data['tcp:10.0.0.155:40000>10.0.0.126:6661 toClient']).toBe('\x0bMSH|ACK\r\x1c\r');
    expect(seen.gaps).toEqual([]);
    expect(seen.ended).toBe(1);
    const ends = ofKind(events, 'flow-end');
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ handshake: true, protocol: 'hl7', packetsToServer: 5, packetsToClient: 3 });
    expect(decoder.stats()).toEqual({
      packets: 9,
      bytes: expect.any(Number) as number,
      flows: 1,
      decodeErrors: 0,
      truncated: false,
    });
    const hosts = ofKind(events, 'host').map((h) => [h.mac, h.ip, h.via]);
    expect(hosts).toEqual([
      [MACS_C.src, C.src, 'ip'],
      [MACS_S.src, S.src, 'ip'],
    ]);
  });

  it('gives the same events whatever the chunk size', () => {
    const file = pcapFile(conversation());
    const a = decodeAll(file, { decoders: [recorder(newSeen(), { tcpPorts: [6661] })] }, 65536).events;
    const b = decodeAll(file, { decoders: [recorder(newSeen(), { tcpPorts: [6661] })] }, 7).events;
    expect(b).toEqual(a);
  });

  it('picks a decoder by content when no port matches, and takes the SYN sender as client', () => {
    const seen = newSeen();
    const detect = (first: Uint8Array): boolean => first[0] === 0x0b && first[1] === 0x4d;
    decodeAll(pcapFile(conversation()), { decoders: [recorder(seen, { detect })] });
    expect(seen.flows).toHaveLength(1);
    expect(seen.flows[0]?.server.port).toBe(6661);
  });

  it('swaps client and server when the first packet comes from a well-known port', () => {
    const { events } = decodeAll(
      pcapFile([
        {
          data: tcpFrame({
            src: '10.1.1.1',
            dst: '10.1.1.2',
            sport: 443,
            dport: 51000,
            seq: 1,
            flags: ACK,
            payload: enc.encode('xx'),
          }),
          ts: 1,
        },
      ]),
    );
    const end = ofKind(events, 'flow-end')[0];
    expect(end?.flow.server).toMatchObject({ ip: '10.1.1.1', port: 443 });
    expect(end?.flow.client.port).toBe(51000);
    expect(end).toMatchObject({ handshake: false, packetsToClient: 1, packetsToServer: 0 });
  });

  it('turns a decoder that throws into a decode error and goes on', () => {
    const bad: AppDecoderFactory = {
      protocol: 'dicom',
      tcpPorts: [6661],
      createTcp: () => ({
        onData() {
          throw new Error('patient Jane Doe');
        },
        onGap() {},
        onEnd() {},
      }),
    };
    const { events, decoder } = decodeAll(pcapFile(conversation()), { decoders: [bad] });
    const errs = ofKind(events, 'decode-error');
    expect(errs.map((e) => e.code)).toEqual(['WIRE_DECODER_FAILED']);
    expect(JSON.stringify(errs)).not.toContain('Jane');
    expect(decoder.stats().decodeErrors).toBe(1);
    expect(ofKind(events, 'flow-end')).toHaveLength(1);
  });

  it('hands UDP datagrams to decodeUdp by port', () => {
    const got: [Direction, string][] = [];
    const dns: AppDecoderFactory = {
      protocol: 'dns',
      udpPorts: [53],
      decodeUdp(_ctx, dir, data) {
        got.push([dir, new TextDecoder().decode(data)]);
      },
    };
    const q = ethernet(
      '02:00:00:00:00:01',
      '02:00:00:00:00:02',
      0x0800,
      ipv4('10.0.0.1', '10.0.0.53', 17, udpDatagram(3333, 53, enc.encode('q'))),
    );
    const r = ethernet(
      '02:00:00:00:00:02',
      '02:00:00:00:00:01',
      0x0800,
      ipv4('10.0.0.53', '10.0.0.1', 17, udpDatagram(53, 3333, enc.encode('r'))),
    );
    const { events } = decodeAll(
      pcapFile([
        { data: r, ts: 1 },
        { data: q, ts: 2 },
      ]),
      { decoders: [dns] },
    );
    expect(got).toEqual([
      ['toClient', 'r'],
      ['toServer', 'q'],
    ]);
    expect(ofKind(events, 'flow-end')[0]).toMatchObject({
      protocol: 'dns',
      flow: { id: 'udp:10.0.0.1:3333>10.0.0.53:53' },
    });
  });

  it('keys flows by VLAN stack and reports the tags', () => {
    const spec = { src: '10.0.0.1', dst: '10.0.0.2', sport: 1111, dport: 80, seq: 1, flags: SYN };
    const { events } = decodeAll(
      pcapFile([
        { data: tcpFrame(spec, MACS_C, [100, 200]), ts: 1 },
        { data: tcpFrame(spec, MACS_C, [100]), ts: 2 },
      ]),
    );
    const ends = ofKind(events, 'flow-end');
    expect(ends.map((e) => e.flow.vlans)).toEqual([[100, 200], [100]]);
    // one host event per (mac, ip), whatever the VLAN
    expect(ofKind(events, 'host').map((h) => h.vlans)).toEqual([[100, 200]]);
  });

  it('reassembles IPv4 fragments that arrive out of order and overlap', () => {
    const seen = newSeen();
    const seg = tcpSegment({ ...C, seq: 7, flags: ACK | PSH, payload: enc.encode('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345') });
    const frag = (offset: number, end: number, more: boolean): TestPacket => ({
      data: ethernet(
        MACS_C.src,
        MACS_C.dst,
        0x0800,
        ipv4(C.src, C.dst, 6, seg.subarray(offset, end), { id: 9, offset, more }),
      ),
      ts: 5,
    });
    const { events } = decodeAll(pcapFile([frag(24, seg.length, false), frag(0, 16, true), frag(8, 32, true)]), {
      decoders: [recorder(seen, { tcpPorts: [6661] })],
    });
    expect(ofKind(events, 'decode-error')).toEqual([]);
    expect(Object.values(seen.data)).toEqual(['ABCDEFGHIJKLMNOPQRSTUVWXYZ012345']);
  });

  it('resolves overlapping IPv4 fragments that disagree by keeping the bytes seen first', () => {
    const got: string[] = [];
    const udp: AppDecoderFactory = {
      protocol: 'dns',
      udpPorts: [53],
      decodeUdp(_c, _d, data) {
        got.push(new TextDecoder().decode(data));
      },
    };
    const dgram = udpDatagram(4000, 53, enc.encode('AAAAAAAABBBBBBBBCCCCCCCC'));
    const evil = udpDatagram(4000, 53, enc.encode('XXXXXXXXYYYYYYYYZZZZZZZZ'));
    const frag = (body: Uint8Array, offset: number, end: number, more: boolean, ts: number): TestPacket => ({
      data: ipv4('10.0.0.1', '10.0.0.2', 17, body.subarray(offset, end), { id: 77, offset, more }),
      ts,
    });
    // Genuine bytes 8..24 first; then a forgery of 0..32 (only 0..8 and 24..32 are new); then a
    // genuine last fragment whose bytes are all held already.
    const packets = [frag(dgram, 8, 24, true, 1), frag(evil, 0, 32, true, 2), frag(dgram, 24, 32, false, 3)];
    decodeAll(pcapFile(packets, { linkType: 228 }), { decoders: [udp] });
    expect(got).toEqual(['AAAAAAAABBBBBBBBZZZZZZZZ']);
  });

  it('follows routing, destination-options and AH headers to the transport', () => {
    const seen = newSeen();
    const seg = tcpSegment({
      src: '::',
      dst: '::',
      sport: 40001,
      dport: 6661,
      seq: 9,
      flags: ACK,
      payload: enc.encode('via ext'),
    });
    const src = [0xfd, 0, ...new Array<number>(13).fill(0), 1];
    const dst = [0xfd, 0, ...new Array<number>(13).fill(0), 2];
    const routing = [60, 0, 0, 0, 0, 0, 0, 0]; // next: destination options; type 0, segments left 0
    const dstopts = [51, 0, 1, 4, 0, 0, 0, 0]; // next: AH
    const ah = [6, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]; // next: TCP; length (1+2)*4 = 12
    const ext = [...routing, ...dstopts, ...ah];
    const plen = ext.length + seg.length;
    const pkt = Uint8Array.from([0x60, 0, 0, 0, plen >> 8, plen & 0xff, 43, 64, ...src, ...dst, ...ext, ...seg]);
    decodeAll(pcapFile([{ data: pkt, ts: 1 }], { linkType: 229 }), {
      decoders: [recorder(seen, { tcpPorts: [6661] })],
    });
    expect(seen.flows[0]?.id).toBe('tcp:[fd00::1]:40001>[fd00::2]:6661');
    expect(Object.values(seen.data)).toEqual(['via ext']);
  });

  it('reassembles across the 2^32 sequence wrap and reads BSD loopback in either byte order', () => {
    const seen = newSeen();
    const isn = 0xfffffffa;
    const spec = { src: '127.0.0.1', dst: '127.0.0.1', sport: 50000, dport: 6661 };
    const loop = (family: number[], body: Uint8Array): Uint8Array => Uint8Array.from([...family, ...body]);
    const seg = (seq: number, text: string): Uint8Array =>
      ipv4(spec.src, spec.dst, 6, tcpSegment({ ...spec, seq, flags: ACK, payload: enc.encode(text) }));
    const packets: TestPacket[] = [
      { data: loop([2, 0, 0, 0], ipv4(spec.src, spec.dst, 6, tcpSegment({ ...spec, seq: isn, flags: SYN }))), ts: 1 },
      { data: loop([0, 0, 0, 2], seg((isn + 1 + 8) >>> 0, 'wrapped')), ts: 2 },
      { data: loop([2, 0, 0, 0], seg((isn + 1) >>> 0, 'before, ')), ts: 3 },
    ];
    decodeAll(pcapFile(packets, { linkType: 0 }), { decoders: [recorder(seen, { tcpPorts: [6661] })] });
    expect(Object.values(seen.data)).toEqual(['before, wrapped']);
  });

  it('drops a datagram with too many fragments and says so', () => {
    const body = new Uint8Array(8 * 20);
    const packets: TestPacket[] = [];
    for (let i = 0; i < 20; i++)
      packets.push({
        data: ipv4('1.1.1.1', '2.2.2.2', 17, body.subarray(i * 8, i * 8 + 8), { id: 1, offset: i * 8, more: true }),
        ts: i,
      });
    const { events, decoder } = decodeAll(pcapFile(packets, { linkType: 101 }), {
      limits: { fragments: { maxFragments: 8 } },
    });
    expect(ofKind(events, 'decode-error').map((e) => e.code)).toContain('WIRE_FRAGMENT_LIMIT');
    expect(decoder.counters().fragmentBytes).toBeLessThanOrEqual(8 * 8);
  });

  it('reads IPv6 behind hop-by-hop and fragment headers', () => {
    const seen = newSeen();
    const payload = tcpSegment({
      src: '::',
      dst: '::',
      sport: 40000,
      dport: 6661,
      seq: 1,
      flags: ACK,
      payload: enc.encode('hello world, v6'),
    });
    const src = [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1];
    const dst = [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 2];
    const pkt = (fo: number, part: Uint8Array, more: boolean): Uint8Array => {
      const hop = [44, 0, 1, 4, 0, 0, 0, 0]; // next: fragment; PadN option
      const fragHdr = [6, 0, (fo >> 8) & 0xff, (fo & 0xf8) | (more ? 1 : 0), 0, 0, 0, 42];
      const plen = hop.length + fragHdr.length + part.length;
      return Uint8Array.from([
        0x60,
        0,
        0,
        0,
        plen >> 8,
        plen & 0xff,
        0,
        64,
        ...src,
        ...dst,
        ...hop,
        ...fragHdr,
        ...part,
      ]);
    };
    const { events } = decodeAll(
      pcapFile(
        [
          { data: pkt(16, payload.subarray(16), false), ts: 1 },
          { data: pkt(0, payload.subarray(0, 16), true), ts: 2 },
        ],
        { linkType: 229 },
      ),
      { decoders: [recorder(seen, { tcpPorts: [6661] })] },
    );
    expect(ofKind(events, 'decode-error')).toEqual([]);
    expect(seen.flows[0]?.id).toBe('tcp:[2001:db8::1]:40000>[2001:db8::2]:6661');
    expect(Object.values(seen.data)).toEqual(['hello world, v6']);
  });

  it('reports ARP and NDP sightings once per (mac, ip)', () => {
    const arp = (op: number, sha: string, spa: number[], tha: string, tpa: number[]): Uint8Array =>
      ethernet(
        sha,
        'ff:ff:ff:ff:ff:ff',
        0x0806,
        Uint8Array.from([0, 1, 8, 0, 6, 4, 0, op, ...macBytes(sha), ...spa, ...macBytes(tha), ...tpa]),
      );
    const src6 = [0xfe, 0x80, ...new Array<number>(13).fill(0), 5];
    const target = [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 9];
    const na = Uint8Array.from([136, 0, 0, 0, 0x60, 0, 0, 0, ...target, 2, 1, ...macBytes('02:aa:bb:cc:dd:ee')]);
    const v6 = Uint8Array.from([
      0x60,
      0,
      0,
      0,
      0,
      na.length,
      58,
      255,
      ...src6,
      0xff,
      0x02,
      ...new Array<number>(13).fill(0),
      1,
      ...na,
    ]);
    const { events } = decodeAll(
      pcapFile([
        { data: arp(1, '02:00:00:00:00:0a', [10, 0, 0, 10], '00:00:00:00:00:00', [10, 0, 0, 1]), ts: 1 },
        { data: arp(1, '02:00:00:00:00:0a', [10, 0, 0, 10], '00:00:00:00:00:00', [10, 0, 0, 1]), ts: 2 },
        { data: arp(2, '02:00:00:00:00:0b', [10, 0, 0, 1], '02:00:00:00:00:0a', [10, 0, 0, 10]), ts: 3 },
        { data: ethernet('02:aa:bb:cc:dd:ee', '33:33:00:00:00:01', 0x86dd, v6), ts: 4 },
      ]),
    );
    const hosts: Pick<HostEvent, 'mac' | 'via'>[] = ofKind(events, 'host').map(({ mac, ip, via }) => ({
      mac,
      ip,
      via,
    }));
    expect(hosts).toEqual([
      { mac: '02:00:00:00:00:0a', ip: '10.0.0.10', via: 'arp' },
      { mac: '02:00:00:00:00:0b', ip: '10.0.0.1', via: 'arp' },
      { mac: '02:aa:bb:cc:dd:ee', ip: '2001:db8::9', via: 'ndp' },
      { mac: '02:aa:bb:cc:dd:ee', ip: 'fe80::5', via: 'ip' },
    ]);
  });

  it('keeps the flow table within its bound, ending the least recently used flows', () => {
    const packets: TestPacket[] = [];
    for (let i = 0; i < 50; i++)
      packets.push({ data: ipv4('10.9.0.1', '10.9.0.2', 17, udpDatagram(20000 + i, 9999, enc.encode('x'))), ts: i });
    const counts: number[] = [];
    const events: WireEvent[] = [];
    const d = createDecoder({
      limits: { maxFlows: 10 },
      sink: (e) => {
        events.push(e);
      },
    });
    const file = pcapFile(packets, { linkType: 101 });
    for (let i = 0; i < file.length; i += 100) {
      d.push(file.subarray(i, i + 100));
      counts.push(d.counters().activeFlows);
    }
    d.end();
    expect(Math.max(...counts)).toBeLessThanOrEqual(10);
    expect(ofKind(events, 'decode-error').map((e) => e.code)).toEqual(['WIRE_FLOW_LIMIT']);
    expect(ofKind(events, 'flow-end')).toHaveLength(50);
    expect(d.stats().flows).toBe(50);
  });

  it('keeps out-of-order bytes within the total bound across flows', () => {
    const packets: TestPacket[] = [];
    for (let f = 0; f < 40; f++) {
      const spec = { src: '10.2.0.1', dst: '10.2.0.2', sport: 30000 + f, dport: 6661, flags: ACK };
      packets.push({ data: tcpFrame({ ...spec, seq: 100, payload: new Uint8Array(10) }), ts: f * 10 });
      // a hole, then 1,000 bytes held
      packets.push({ data: tcpFrame({ ...spec, seq: 1000, payload: new Uint8Array(1000) }), ts: f * 10 + 1 });
    }
    const seen = newSeen();
    const events: WireEvent[] = [];
    const d = createDecoder({
      decoders: [recorder(seen, { tcpPorts: [6661] })],
      limits: { maxTotalBufferBytes: 8000, maxFlowBufferBytes: 4000 },
      sink: (e) => events.push(e),
    });
    const file = pcapFile(packets);
    for (let i = 0; i < file.length; i += 500) {
      d.push(file.subarray(i, i + 500));
      expect(d.counters().bufferedBytes).toBeLessThanOrEqual(8000);
    }
    d.end();
    expect(ofKind(events, 'decode-error').map((e) => e.code)).toContain('WIRE_TCP_BUFFER_LIMIT');
    // every flow got its held bytes in the end, after a gap
    expect(seen.gaps.length).toBe(40);
    expect(d.counters().bufferedBytes).toBe(0);
  });

  it('ends idle flows on capture time', () => {
    const u = (sport: number, ts: number): TestPacket => ({
      data: ipv4('10.3.0.1', '10.3.0.2', 17, udpDatagram(sport, 7, enc.encode('x'))),
      ts,
    });
    const ends: FlowEndEvent[] = [];
    const d = createDecoder({ sink: (e) => e.kind === 'flow-end' && ends.push(e), limits: { udpIdleMicros: 5e6 } });
    d.push(pcapFile([u(1, 1e6), u(2, 20e6)], { linkType: 101 }));
    expect(ends.map((e) => e.flow.client.port)).toEqual([1]);
    d.end();
    expect(ends.map((e) => e.flow.client.port)).toEqual([1, 2]);
  });

  it('still ends idle flows when capture time goes back (captures concatenated out of order)', () => {
    const u = (sport: number, ts: number): TestPacket => ({
      data: ipv4('10.3.0.1', '10.3.0.2', 17, udpDatagram(sport, 7, enc.encode('x'))),
      ts,
    });
    const ends: FlowEndEvent[] = [];
    const d = createDecoder({ sink: (e) => e.kind === 'flow-end' && ends.push(e), limits: { udpIdleMicros: 5e6 } });
    // A segment at t = 1000 s, then one starting back at t = 1 s that plays for 9 s.
    d.push(pcapFile([u(1, 1000e6), u(2, 1e6), u(2, 4e6), u(2, 7e6), u(2, 10e6)], { linkType: 101 }));
    expect(ends.map((e) => e.flow.client.port)).toEqual([1]);
    // Its flow-end still carries its own last packet's time.
    expect(ends[0]?.ts).toBe(1000e6);
    d.end();
    expect(ends.map((e) => e.flow.client.port)).toEqual([1, 2]);
  });

  it('keeps a flow whose packets go on after time went back, while it is not idle', () => {
    const u = (ts: number): TestPacket => ({
      data: ipv4('10.3.0.1', '10.3.0.2', 17, udpDatagram(9, 7, enc.encode('x'))),
      ts,
    });
    const ends: FlowEndEvent[] = [];
    const d = createDecoder({ sink: (e) => e.kind === 'flow-end' && ends.push(e), limits: { udpIdleMicros: 5e6 } });
    d.push(pcapFile([u(1000e6), u(2e6), u(4e6), u(6e6), u(8e6)], { linkType: 101 }));
    d.end();
    expect(ends).toHaveLength(1);
    expect(d.stats().flows).toBe(1);
  });

  it('throws a coded error for limits that make no sense', () => {
    expect(() => createDecoder({ sink: () => undefined, limits: { maxFlows: 0 } })).toThrow(WireError);
    try {
      createDecoder({ sink: () => undefined, limits: { maxFlows: Number.NaN } });
    } catch (e) {
      expect((e as WireError).code).toBe('WIRE_LIMITS_INVALID');
    }
  });

  it('counts every decode error but passes on only so many of one code', () => {
    const junk: TestPacket[] = Array.from({ length: 30 }, (_, i) => ({ data: Uint8Array.from([0x45, 0, 0]), ts: i }));
    const { events, decoder } = decodeAll(pcapFile(junk, { linkType: 228 }), { limits: { maxErrorEventsPerCode: 5 } });
    expect(ofKind(events, 'decode-error').map((e) => e.code)).toEqual(new Array(5).fill('WIRE_PACKET_MALFORMED'));
    expect(decoder.stats().decodeErrors).toBe(30);
  });

  it('sees through ERSPAN, GRE and VXLAN to the mirrored traffic', () => {
    const inner = (sport: number): TcpSpec => ({
      src: '10.20.0.5',
      dst: '10.20.0.9',
      sport,
      dport: 104,
      seq: 1,
      flags: SYN,
    });
    const innerMacs = { src: '02:11:11:11:11:11', dst: '02:22:22:22:22:22' };
    const outer = (proto: number, body: Uint8Array): Uint8Array =>
      ethernet('02:aa:00:00:00:01', '02:aa:00:00:00:02', 0x0800, ipv4('192.0.2.1', '192.0.2.2', proto, body));
    const erspan2 = Uint8Array.from([
      0x10,
      0,
      0x88,
      0xbe,
      0,
      0,
      0,
      7,
      0x10,
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      ...tcpFrame(inner(1001), innerMacs),
    ]);
    const greIp = Uint8Array.from([0, 0, 0x08, 0x00, ...ipv4('10.20.0.5', '10.20.0.9', 6, tcpSegment(inner(1002)))]);
    const vxlan = udpDatagram(
      51000,
      4789,
      Uint8Array.from([0x08, 0, 0, 0, 0, 0, 42, 0, ...tcpFrame(inner(1003), innerMacs)]),
    );
    const { events, decoder } = decodeAll(
      pcapFile([
        { data: outer(47, erspan2), ts: 1 },
        { data: outer(47, greIp), ts: 2 },
        { data: outer(17, vxlan), ts: 3 },
      ]),
    );
    expect(ofKind(events, 'flow-end').map((e) => [e.flow.id, e.flow.client.mac ?? null])).toEqual([
      ['tcp:10.20.0.5:1001>10.20.0.9:104', innerMacs.src],
      ['tcp:10.20.0.5:1002>10.20.0.9:104', null],
      ['tcp:10.20.0.5:1003>10.20.0.9:104', innerMacs.src],
    ]);
    expect(decoder.stats().flows).toBe(3);
    expect(ofKind(events, 'host').map((h) => `${h.mac} ${h.ip ?? ''}`)).toEqual([`${innerMacs.src} 10.20.0.5`]);
  });

  it('counts and skips what it does not decode', () => {
    const { decoder, events } = decodeAll(concat([pcapFile([{ data: new Uint8Array(3), ts: 1 }], { linkType: 147 })]));
    expect(decoder.stats().packets).toBe(1);
    expect(decoder.counters().unsupportedFrames).toBe(1);
    expect(events).toEqual([]);
  });
});
