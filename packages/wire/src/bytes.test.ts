import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, formatMac, insertFirstWins, type HeldRange } from './bytes.js';

describe('address text', () => {
  it('formats MACs and IPv4', () => {
    expect(formatMac(Uint8Array.from([0, 0x1b, 0xad, 0x53, 0xa0, 0xff]), 0)).toBe('00:1b:ad:53:a0:ff');
    expect(formatIpv4(0xc0a80001)).toBe('192.168.0.1');
  });

  it('formats IPv6 as RFC 5952 says', () => {
    expect(formatIpv6(0x20010db8, 0, 0, 1)).toBe('2001:db8::1');
    expect(formatIpv6(0, 0, 0, 0)).toBe('::');
    // two equal runs of zeros: the first is compressed
    expect(formatIpv6(0xfe800000, 0, 0x02000000, 0)).toBe('fe80::200:0:0:0');
    expect(formatIpv6(0x20010db8, 0x00000001, 0x00010001, 0x00010001)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6(0x20010000, 0x00000000, 0x00010000, 0x00000001)).toBe('2001::1:0:0:1');
    expect(formatIpv6(0, 0, 0xffff, 0x0a000001)).toBe('::ffff:10.0.0.1');
  });
});

describe('insertFirstWins', () => {
  it('keeps ranges sorted and disjoint, and every byte from its first writer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 40 })), { maxLength: 40 }),
        (writes) => {
          const list: HeldRange[] = [];
          const first = new Map<number, number>();
          writes.forEach(([start, len], w) => {
            const data = new Uint8Array(len).fill(w);
            const added = insertFirstWins(list, start, data);
            let fresh = 0;
            for (let i = start; i < start + len; i++) {
              if (!first.has(i)) {
                first.set(i, w);
                fresh++;
              }
            }
            expect(added).toBe(fresh);
          });
          for (let i = 1; i < list.length; i++) {
            const a = list[i - 1];
            const b = list[i];
            if (a !== undefined && b !== undefined) expect(a.start + a.data.length).toBeLessThanOrEqual(b.start);
          }
          for (const r of list)
            r.data.forEach((v, k) => {
              expect(first.get(r.start + k)).toBe(v);
            });
          expect(list.reduce((n, r) => n + r.data.length, 0)).toBe(first.size);
        },
      ),
    );
  });
});
