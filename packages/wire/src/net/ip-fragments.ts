/**
 * @module ip-fragments
 * IPv4 and IPv6 fragment reassembly, bounded: at most `maxDatagrams` datagrams in progress, at most
 * `maxFragments` fragments and 65,535 bytes each, `maxBytes` held in total, and a timeout in capture
 * time. Overlapping fragments resolve deterministically: the bytes seen first win (the same policy
 * as TCP reassembly). A datagram that breaks a bound is dropped and reported.
 */
import { insertFirstWins, type HeldRange } from '../bytes.js';
import type { Micros } from '../events.js';

export interface FragmentLimits {
  readonly maxDatagrams: number;
  readonly maxFragments: number;
  readonly maxBytes: number;
  readonly timeoutMicros: number;
}

export const DEFAULT_FRAGMENT_LIMITS: FragmentLimits = {
  maxDatagrams: 1024,
  maxFragments: 128,
  maxBytes: 8 << 20,
  timeoutMicros: 30e6,
};

const MAX_DATAGRAM = 65535;

interface Pending {
  readonly firstTs: Micros;
  readonly ranges: HeldRange[];
  fragments: number;
  bytes: number;
  /** Total payload length, known once the last fragment (MF clear) arrived; -1 before. */
  total: number;
}

export type FragmentOutcome =
  | { readonly kind: 'complete'; readonly payload: Uint8Array }
  | { readonly kind: 'held' }
  | { readonly kind: 'dropped'; readonly reason: string };

const HELD: FragmentOutcome = { kind: 'held' };

function rangesEnd(ranges: readonly HeldRange[]): number {
  const last = ranges[ranges.length - 1];
  return last === undefined ? 0 : last.start + last.data.length;
}

export class FragmentReassembler {
  private readonly pending = new Map<string, Pending>();
  private held = 0;

  constructor(private readonly limits: FragmentLimits) {}

  /** Bytes currently held (for bound checks). */
  get heldBytes(): number {
    return this.held;
  }

  get datagrams(): number {
    return this.pending.size;
  }

  /** Adds one fragment's payload (`data` is copied if held). */
  add(key: string, offset: number, data: Uint8Array, more: boolean, ts: Micros): FragmentOutcome {
    this.expire(ts);
    let p = this.pending.get(key);
    if (p === undefined) {
      if (this.pending.size >= this.limits.maxDatagrams) {
        // Drop the oldest to make room.
        const oldest = this.pending.keys().next();
        if (!oldest.done) this.drop(oldest.value);
      }
      p = { firstTs: ts, ranges: [], fragments: 0, bytes: 0, total: -1 };
      this.pending.set(key, p);
    }
    const end = offset + data.length;
    if (end > MAX_DATAGRAM || (p.total >= 0 && end > p.total) || (!more && end < rangesEnd(p.ranges))) {
      this.drop(key);
      return { kind: 'dropped', reason: `fragment at offset ${String(offset)} runs past the datagram's end` };
    }
    if (!more) p.total = end;
    p.fragments++;
    if (p.fragments > this.limits.maxFragments) {
      this.drop(key);
      return { kind: 'dropped', reason: `more than ${String(this.limits.maxFragments)} fragments` };
    }
    if (this.held + data.length > this.limits.maxBytes) {
      this.drop(key);
      return { kind: 'dropped', reason: `fragment buffer bound of ${String(this.limits.maxBytes)} bytes reached` };
    }
    const added = insertFirstWins(p.ranges, offset, data.slice());
    p.bytes += added;
    this.held += added;
    if (p.total < 0) return HELD;
    // Complete when the ranges cover [0, total) without a hole.
    let covered = 0;
    for (const r of p.ranges) {
      if (r.start > covered) return HELD;
      covered = Math.max(covered, r.start + r.data.length);
    }
    if (covered < p.total) return HELD;
    const out = new Uint8Array(p.total);
    for (const r of p.ranges)
      out.set(r.data.subarray(0, Math.max(0, Math.min(r.data.length, p.total - r.start))), r.start);
    this.drop(key);
    return { kind: 'complete', payload: out };
  }

  private drop(key: string): void {
    const p = this.pending.get(key);
    if (p === undefined) return;
    this.held -= p.bytes;
    this.pending.delete(key);
  }

  /** Drops datagrams older than the timeout (insertion order is age order). */
  expire(ts: Micros): void {
    for (const [key, p] of this.pending) {
      if (ts - p.firstTs <= this.limits.timeoutMicros) break;
      this.drop(key);
    }
  }
}
