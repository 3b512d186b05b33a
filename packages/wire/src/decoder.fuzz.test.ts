// Hostile bytes: random input, random frames under every link type, every truncation and random bit
// flips of real captures. The decoder must never throw, must end (vitest's timeout catches a hang),
// and must stay within its bounds.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecoder, type DecoderOptions } from './decoder.js';
import type { AppDecoderFactory } from './events.js';
import { ethernet, ipv4, pcapFile, pcapngFile, sharedPcapDir, tcpSegment } from './test-helpers.js';

const LIMITS = {
  maxFlows: 16,
  maxFlowBufferBytes: 4096,
  maxTotalBufferBytes: 16384,
  maxHosts: 32,
  fragments: { maxDatagrams: 8, maxBytes: 8192, maxFragments: 8 },
} as const;

/** A decoder that takes every TCP flow (by content) and common UDP ports, and sometimes throws. */
const greedy: AppDecoderFactory = {
  protocol: 'http',
  tcpPorts: [104, 6661],
  udpPorts: [53, 67, 68, 123, 137, 161, 514, 1900, 5353],
  detect: () => true,
  createTcp: () => ({
    onData(_d, data) {
      if (data[0] === 0xee) throw new Error('boom');
    },
    onGap() {},
    onEnd() {},
  }),
  decodeUdp(_ctx, _d, data) {
    if (data[0] === 0xee) throw new RangeError('boom');
  },
};

function run(bytes: Uint8Array, chunk: number, options: Partial<DecoderOptions> = {}): { packets: number } {
  const d = createDecoder({ sink: () => undefined, decoders: [greedy], limits: LIMITS, ...options });
  for (let i = 0; i < bytes.length; i += chunk) {
    d.push(bytes.subarray(i, i + chunk));
    const c = d.counters();
    expect(c.activeFlows).toBeLessThanOrEqual(LIMITS.maxFlows);
    expect(c.bufferedBytes).toBeLessThanOrEqual(LIMITS.maxTotalBufferBytes);
    expect(c.fragmentBytes).toBeLessThanOrEqual(LIMITS.fragments.maxBytes);
    expect(c.hosts).toBeLessThanOrEqual(LIMITS.maxHosts);
  }
  d.end();
  return { packets: d.stats().packets };
}

const LINK_TYPES = [0, 1, 10, 12, 14, 101, 105, 108, 113, 127, 228, 229, 272, 276];

describe('hostile input', () => {
  it('survives random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 512 }), (bytes, chunk) => {
        run(bytes, chunk);
      }),
    );
  });

  it('survives random frames under every link type, in pcap and pcapng', () => {
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // mostly-valid Ethernet/IPv4/TCP with a random tail and random header bytes
      fc
        .tuple(
          fc.uint8Array({ minLength: 1, maxLength: 80 }),
          fc.integer({ min: 0, max: 53 }),
          fc.integer({ min: 0, max: 255 }),
        )
        .map(([tail, at, v]) => {
          const f = ethernet(
            '02:00:00:00:00:01',
            '02:00:00:00:00:02',
            0x0800,
            ipv4(
              '10.0.0.1',
              '10.0.0.2',
              6,
              tcpSegment({ src: '', dst: '', sport: 1234, dport: 104, seq: 1, flags: 0x18, payload: tail }),
            ),
          );
          f[at] = v;
          return f;
        }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...LINK_TYPES),
        fc.array(frame, { maxLength: 40 }),
        fc.boolean(),
        (linkType, frames, ng) => {
          const packets = frames.map((data, i) => ({ data, ts: 1e15 + i * 1000 }));
          const file = ng ? pcapngFile(packets, { interfaces: [{ linkType }] }) : pcapFile(packets, { linkType });
          expect(run(file, 97).packets).toBe(frames.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const pcapDir = sharedPcapDir();
const REAL = [
  'ndpi-tests/pcap/hl7.pcap',
  'ndpi-tests/pcap/dns.pcap',
  'zeek-traces/linuxsll-arp.pcap',
  'zeek-traces/arp-who-has-radiotap.pcap',
  'zeek-traces/tls/openjdk-25.0.2-zeek.org.pcap',
  'iotsec-medical-devices/wyzescale/bluetooth/ble_adv_capture/8.pcap',
].map((n) => join(pcapDir, n));
const haveReal = REAL.every((p) => existsSync(p));
if (!haveReal) console.warn(`skipping fuzzing of real captures: ${pcapDir} (or a file in it) is absent`);

describe.skipIf(!haveReal)('real captures, damaged', () => {
  const real = haveReal ? REAL.map((p) => new Uint8Array(readFileSync(p))) : [];

  it('survives a truncation at every offset, keeping more packets the longer the prefix', () => {
    for (const file of real.slice(0, 3)) {
      let prev = 0;
      for (let cut = 0; cut <= file.length; cut++) {
        const { packets } = run(file.subarray(0, cut), 4096);
        expect(packets).toBeGreaterThanOrEqual(prev);
        prev = packets;
      }
    }
  });

  it('survives random bit flips', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: real.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4096 }),
        (which, flips, chunk) => {
          const file = (real[which] ?? new Uint8Array(0)).slice();
          for (const [at, bit] of flips) {
            const i = at % file.length;
            file[i] = (file[i] ?? 0) ^ (1 << bit);
          }
          run(file, chunk);
        },
      ),
      { numRuns: 200 },
    );
  });
});
