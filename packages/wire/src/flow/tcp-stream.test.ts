import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpStream, type BufferBudget } from './tcp-stream.js';

interface Collected {
  bytes: number[];
  gaps: number[];
}

function stream(
  maxBuffer = 1 << 20,
  budget: BufferBudget = { used: 0, max: 1 << 30 },
): { s: TcpStream; out: Collected; budget: BufferBudget } {
  const out: Collected = { bytes: [], gaps: [] };
  const s = new TcpStream(
    {
      data: (b) => {
        for (const x of b) out.bytes.push(x);
      },
      gap: (n) => {
        out.gaps.push(n);
        for (let i = 0; i < n; i++) out.bytes.push(-1);
      },
    },
    budget,
    maxBuffer,
  );
  return { s, out, budget };
}

/** Segments [start, end) of a stream, shuffled and duplicated, covering every byte. */
const segmentsArb = fc
  .record({
    length: fc.integer({ min: 1, max: 400 }),
    isn: fc.oneof(fc.constant(0xffffff00), fc.constant(0xfffffff0), fc.integer({ min: 0, max: 0xffffffff })),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: 399 }), { maxLength: 25 }),
    extra: fc.array(fc.tuple(fc.integer({ min: 0, max: 399 }), fc.integer({ min: 1, max: 120 })), { maxLength: 10 }),
    seed: fc.integer(),
  })
  .map(({ length, isn, cuts, extra, seed }) => {
    const points = [0, ...cuts.filter((c) => c < length).sort((a, b) => a - b), length];
    const segs: [number, number][] = [];
    for (let i = 0; i + 1 < points.length; i++) segs.push([points[i] ?? 0, points[i + 1] ?? 0]);
    // overlapping retransmissions of the same bytes
    for (const [a, n] of extra) if (a < length) segs.push([a, Math.min(length, a + n)]);
    // deterministic shuffle
    let x = seed | 1;
    for (let i = segs.length - 1; i > 0; i--) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      const j = Math.abs(x) % (i + 1);
      const t = segs[i];
      const u = segs[j];
      if (t !== undefined && u !== undefined) {
        segs[i] = u;
        segs[j] = t;
      }
    }
    return { length, isn, segs };
  });

describe('TcpStream', () => {
  it('reassembles any permutation, duplication and overlap of a stream to the stream itself', () => {
    fc.assert(
      fc.property(segmentsArb, ({ length, isn, segs }) => {
        const data = Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);
        const { s, out, budget } = stream();
        s.syn(isn);
        for (const [a, b] of segs) s.segment((isn + 1 + a) >>> 0, data.slice(a, b), b - a, false, 0);
        expect(out.gaps).toEqual([]);
        expect(out.bytes).toEqual([...data]);
        expect(s.buffered).toBe(0);
        expect(budget.used).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('lets the first-seen bytes win when overlapping segments disagree', () => {
    const { s, out } = stream();
    s.syn(100);
    s.segment(106, Uint8Array.from([1, 1, 1, 1]), 4, false, 0); // bytes 5..8 buffered first
    s.segment(104, Uint8Array.from([2, 2, 2, 2, 2, 2]), 6, false, 0); // 3..8: only 3..4 are new
    s.segment(101, Uint8Array.from([3, 3, 3]), 3, false, 0); // 0..2, in order
    s.segment(101, Uint8Array.from([9, 9, 9, 9, 9]), 5, false, 0); // retransmission of delivered bytes
    expect(out.bytes).toEqual([3, 3, 3, 2, 2, 1, 1, 1, 1]);
  });

  it('reports missing bytes as a gap at flush, and the FIN ends the stream', () => {
    const { s, out } = stream();
    s.syn(0);
    s.segment(1, Uint8Array.from([1, 2]), 2, false, 0);
    s.segment(6, Uint8Array.from([6, 7]), 2, true, 0);
    expect(s.closed).toBe(false);
    s.flush(0);
    expect(out.bytes).toEqual([1, 2, -1, -1, -1, 6, 7]);
    expect(out.gaps).toEqual([3]);
    expect(s.closed).toBe(true);
  });

  it('closes once the FIN is reached in order', () => {
    const { s } = stream();
    s.syn(10);
    s.segment(11, Uint8Array.from([1]), 1, true, 0);
    expect(s.closed).toBe(true);
  });

  it('reports bytes cut by the snap length as a gap at once', () => {
    const { s, out } = stream();
    s.segment(500, Uint8Array.from([1, 2]), 10, false, 0);
    s.segment(510, Uint8Array.from([3]), 1, false, 0);
    expect(out.bytes).toEqual([1, 2, -1, -1, -1, -1, -1, -1, -1, -1, 3]);
  });

  it('keeps its buffer under the bound, giving holes up as gaps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 1400 })), { maxLength: 200 }),
        (segs) => {
          const { s, out, budget } = stream(4096);
          s.syn(0);
          for (const [off, n] of segs) {
            s.segment(1 + off, new Uint8Array(n), n, false, 0);
            expect(s.buffered).toBeLessThanOrEqual(4096);
            expect(budget.used).toBe(s.buffered);
          }
          s.flush(0);
          expect(s.buffered).toBe(0);
          // everything delivered is in order: bytes + gaps cover exactly [0, base)
          expect(out.bytes.length).toBe(s.base);
        },
      ),
    );
  });
});
