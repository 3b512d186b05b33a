import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { haveSharedData, pcapDir } from '../../../test/support/tshark.js';
import { scan } from './scan.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-scan-fuzz-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

if (!haveSharedData) console.warn('skipping scan fuzzing on real captures: ../shared/data absent');

describe.skipIf(!haveSharedData)('scan on damaged real captures', () => {
  const seeds = [join(pcapDir, 'ndpi-tests/pcap/hl7.pcap'), join(pcapDir, 'zeek-traces/dhcp/dhcp.pcap')].map((f) =>
    readFileSync(f),
  );

  it('never throws on truncations, bit flips and garbage, plain or gzip-compressed', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 16 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.boolean(),
        async (which, cut, flips, tail, gz) => {
          const seed = seeds[which] ?? Buffer.alloc(0);
          const bytes = Buffer.concat([seed.subarray(0, Math.floor(seed.length * cut)), tail]);
          for (const [at, bit] of flips)
            if (bytes.length > 0)
              bytes.writeUInt8((bytes.readUInt8(at % bytes.length) ^ (1 << bit)) & 0xff, at % bytes.length);
          const file = join(dir, `f${String((n += 1))}${gz ? '.gz' : ''}`);
          writeFileSync(file, gz ? gzipSync(bytes) : bytes);
          const result = await scan([file]);
          expect(result.stats.packets).toBeGreaterThanOrEqual(0);
          for (const d of result.devices) expect(d.typeConfidence).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('keeps a capture read twice to the same devices and observation ids', async () => {
    const file = join(pcapDir, 'ndpi-tests/pcap/hl7.pcap');
    const a = await scan([file]);
    const b = await scan([file, file]);
    expect(b.devices).toEqual(a.devices);
    expect(b.observations.map((o) => o.id).sort()).toEqual(a.observations.map((o) => o.id).sort());
    expect(b.stats.packets).toBe(2 * a.stats.packets);
  });
});
