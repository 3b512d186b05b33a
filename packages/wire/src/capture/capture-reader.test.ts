import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, pcapFile, pcapngFile, type TestPacket } from '../test-helpers.js';
import { CaptureReader } from './capture-reader.js';
import type { CapturedPacket } from './capture-types.js';

interface Read {
  readonly packets: { linkType: number; ts: number; data: number[]; originalLength: number; interfaceIndex: number }[];
  readonly errors: { code: string; offset: number }[];
  readonly truncated: boolean;
}

function read(bytes: Uint8Array, cuts: readonly number[] = [], limits = {}): Read {
  const packets: Read['packets'] = [];
  const errors: Read['errors'] = [];
  const r = new CaptureReader(
    (p: CapturedPacket) =>
      packets.push({
        linkType: p.linkType,
        ts: p.ts,
        data: [...p.data],
        originalLength: p.originalLength,
        interfaceIndex: p.interfaceIndex,
      }),
    (code, offset) => errors.push({ code, offset }),
    limits,
  );
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    r.push(bytes.subarray(prev, c));
    prev = c;
  }
  r.push(bytes.subarray(prev));
  r.end();
  return { packets, errors, truncated: r.truncated };
}

const PACKETS: TestPacket[] = [
  { data: Uint8Array.from({ length: 60 }, (_, i) => i), ts: 1_700_000_000_123_456 },
  { data: Uint8Array.from({ length: 1 }, () => 7), ts: 1_700_000_001_000_001, originalLength: 1500 },
  { data: Uint8Array.from({ length: 300 }, (_, i) => 255 - (i & 0xff)), ts: 1_700_000_002_999_999 },
];

const expected = (linkType: number, ifaces: readonly number[] = [0, 0, 0]): Read['packets'] =>
  PACKETS.map((p, i) => ({
    linkType,
    ts: p.ts,
    data: [...p.data],
    originalLength: p.originalLength ?? p.data.length,
    interfaceIndex: ifaces[i] ?? 0,
  }));

describe('pcap', () => {
  it.each([
    ['little-endian µs', { le: true }],
    ['big-endian µs', { le: false }],
    ['little-endian ns', { le: true, nano: true }],
    ['big-endian ns', { le: false, nano: true }],
    ['24-byte records behind the standard magic', { variant: 'rh61' as const }],
    ['24-byte records with their own magic', { variant: 'modified-magic' as const, le: false }],
  ])('reads %s', (_name, opts) => {
    const r = read(pcapFile(PACKETS, { ...opts, linkType: 101 }));
    expect(r.errors).toEqual([]);
    expect(r.packets).toEqual(expected(101));
  });

  it('gives the same packets whatever the chunk boundaries', () => {
    const file = pcapFile(PACKETS, { variant: 'rh61' });
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: file.length - 1 }), { maxLength: 30 }), (cuts) => {
        expect(read(file, cuts)).toEqual(read(file));
      }),
    );
  });

  it('reads byte by byte', () => {
    const file = pcapFile(PACKETS, { le: false, nano: true });
    const cuts = Array.from({ length: file.length - 1 }, (_, i) => i + 1);
    expect(read(file, cuts).packets).toEqual(expected(1));
  });

  it('reports a file cut mid-record and keeps the packets before it', () => {
    const file = pcapFile(PACKETS);
    const secondRecord = 24 + 16 + 60;
    for (const cut of [secondRecord + 3, secondRecord + 15, secondRecord + 16]) {
      const r = read(file.subarray(0, cut));
      expect(r.packets).toHaveLength(1);
      expect(r.errors).toEqual([{ code: 'WIRE_PCAP_TRUNCATED', offset: secondRecord }]);
      expect(r.truncated).toBe(true);
    }
    expect(read(file.subarray(0, secondRecord)).errors).toEqual([]);
  });

  it('reports a header cut short and an empty input as truncated', () => {
    expect(read(pcapFile([]).subarray(0, 10)).errors.map((e) => e.code)).toEqual(['WIRE_PCAP_TRUNCATED']);
    expect(read(new Uint8Array(0)).errors.map((e) => e.code)).toEqual(['WIRE_PCAP_TRUNCATED']);
  });

  it('refuses bad magic and gzip', () => {
    expect(read(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])).errors).toEqual([
      { code: 'WIRE_CAPTURE_FORMAT', offset: 0 },
    ]);
    expect(read(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])).errors[0]?.code).toBe('WIRE_CAPTURE_FORMAT');
  });

  it('refuses an absurd record length without allocating it', () => {
    const file = pcapFile(PACKETS);
    const bad = file.slice();
    // caplen of the first record: 0x7fffffff
    new DataView(bad.buffer).setUint32(24 + 8, 0x7fffffff, true);
    const r = read(bad);
    expect(r.errors).toEqual([{ code: 'WIRE_CAPTURE_RECORD_INVALID', offset: 24 }]);
    expect(r.packets).toEqual([]);
  });
});

describe('pcapng', () => {
  it.each([
    ['little-endian', true],
    ['big-endian', false],
  ])('reads %s sections with several interfaces and time resolutions, skipping unknown blocks', (_n, le) => {
    const packets = PACKETS.map((p, i) => ({ ...p, iface: i % 3 }));
    const file = pcapngFile(packets, {
      le,
      noise: true,
      interfaces: [{ linkType: 1 }, { linkType: 101, tsresol: 9 }, { linkType: 113, tsresol: 0x80 | 20 }],
    });
    const r = read(file);
    expect(r.errors).toEqual([]);
    expect(r.packets.map((p) => p.linkType)).toEqual([1, 101, 113]);
    expect(r.packets.map((p) => p.interfaceIndex)).toEqual([0, 1, 2]);
    expect(r.packets.map((p) => p.data)).toEqual(PACKETS.map((p) => [...p.data]));
    // 2^-20 s resolution loses under a microsecond.
    r.packets.forEach((p, i) => {
      expect(Math.abs(p.ts - (PACKETS[i]?.ts ?? 0))).toBeLessThan(1);
    });
  });

  it('reads two sections of different byte order back to back', () => {
    const a = pcapngFile(PACKETS.slice(0, 1), { le: true, interfaces: [{ linkType: 1 }] });
    const b = pcapngFile(PACKETS.slice(1), { le: false, interfaces: [{ linkType: 228 }] });
    const r = read(concat([a, b]));
    expect(r.errors).toEqual([]);
    expect(r.packets.map((p) => p.linkType)).toEqual([1, 228, 228]);
  });

  it('reads simple packet blocks, bounded by the snap length', () => {
    const packets = PACKETS.map((p) => ({ data: p.data, ts: p.ts }));
    const file = pcapngFile(packets, { simple: true, interfaces: [{ linkType: 1, snaplen: 100 }] });
    const r = read(file);
    expect(r.packets.map((p) => p.data.length)).toEqual([60, 1, 100]);
  });

  it('gives the same packets whatever the chunk boundaries', () => {
    const file = pcapngFile(PACKETS, { noise: true, le: false, interfaces: [{ linkType: 1 }] });
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: file.length - 1 }), { maxLength: 30 }), (cuts) => {
        expect(read(file, cuts)).toEqual(read(file));
      }),
    );
  });

  it('reports a cut inside a block, including one being skipped', () => {
    const file = pcapngFile(PACKETS, { noise: true, interfaces: [{ linkType: 1 }] });
    const whole = read(file);
    for (let cut = file.length - 1; cut > 0; cut -= 7) {
      const r = read(file.subarray(0, cut));
      const errs = r.errors.map((e) => e.code);
      expect(errs.length).toBeLessThanOrEqual(1);
      if (errs.length === 1) expect(errs[0]).toBe('WIRE_PCAP_TRUNCATED');
      expect(r.packets).toEqual(whole.packets.slice(0, r.packets.length));
    }
  });

  it('refuses a block length beyond the bound', () => {
    const file = pcapngFile(PACKETS, { interfaces: [{ linkType: 1 }] });
    const r = read(file, [], { maxBlockBytes: 100 });
    expect(r.errors.map((e) => e.code)).toEqual(['WIRE_CAPTURE_RECORD_INVALID']);
    expect(r.packets).toHaveLength(2);
  });
});
