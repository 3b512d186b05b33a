/**
 * @module tcp-stream
 * Reassembly of one direction of a TCP connection into in-order bytes.
 *
 * Policy (see docs/adr/0004-wire-decoding.md): sequence numbers are mapped to stream offsets modulo
 * 2^32, so wrap-around is transparent; bytes already delivered are never delivered again
 * (retransmissions and overlaps with delivered data are trimmed); among buffered out-of-order
 * segments the bytes seen first win (Snort/Suricata "first" policy). A hole is given up as a gap when
 * the flow's buffer bound is hit, at FIN/RST, at idle timeout and at end of capture. Bytes a capture's
 * snap length cut off a segment that arrived in order are reported as a gap at once.
 */
import { insertFirstWins, type HeldRange } from '../bytes.js';
import type { Micros } from '../events.js';

export interface StreamOutput {
  data(bytes: Uint8Array, ts: Micros): void;
  gap(length: number, ts: Micros): void;
}

/** Bytes buffered across all streams of a decoder, against a global bound. */
export interface BufferBudget {
  used: number;
  readonly max: number;
}

export class TcpStream {
  private started = false;
  private seqAtZero = 0;
  /** Stream offset up to which bytes were delivered (or given up as gaps). */
  base = 0;
  private readonly ranges: HeldRange[] = [];
  /** Bytes held out of order. */
  buffered = 0;
  private finOffset = -1;
  /** FIN reached in order: nothing more will be delivered. */
  closed = false;

  constructor(
    private readonly out: StreamOutput,
    private readonly budget: BufferBudget,
    private readonly maxBuffer: number,
  ) {}

  /** A SYN: the stream starts after its sequence number. */
  syn(seq: number): void {
    if (this.started) return;
    this.started = true;
    this.seqAtZero = (seq + 1) >>> 0;
  }

  /**
   * A segment: `payload` is what was captured of its `declared` bytes starting at `seq`.
   * Returns true when it pushed the stream over its buffer bound (a gap was forced).
   */
  segment(seq: number, payload: Uint8Array, declared: number, fin: boolean, ts: Micros): boolean {
    if (!this.started) {
      this.started = true;
      this.seqAtZero = seq >>> 0;
    }
    if (this.closed) return false;
    const next = (this.seqAtZero + this.base) >>> 0;
    const start = this.base + ((seq - next) | 0);
    if (fin && this.finOffset < 0) this.finOffset = start + declared;
    let forced = false;
    if (declared > 0) {
      if (start <= this.base) {
        const capEnd = start + payload.length;
        if (capEnd > this.base) {
          this.out.data(payload.subarray(this.base - start), ts);
          this.base = capEnd;
        }
        const declEnd = start + declared;
        if (payload.length < declared && declEnd > this.base) {
          this.out.gap(declEnd - this.base, ts);
          this.base = declEnd;
        }
        this.drain(ts);
      } else if (payload.length > 0 && (this.finOffset < 0 || start < this.finOffset)) {
        const added = insertFirstWins(this.ranges, start, payload.slice());
        this.buffered += added;
        this.budget.used += added;
        if (this.buffered > this.maxBuffer) {
          this.force(this.maxBuffer / 2, ts);
          forced = true;
        }
      }
    }
    this.checkFin();
    return forced;
  }

  private checkFin(): void {
    if (this.finOffset >= 0 && this.base >= this.finOffset) this.closed = true;
  }

  /** Delivers held ranges that now continue the stream. */
  private drain(ts: Micros): void {
    const ranges = this.ranges;
    let k = 0;
    for (; k < ranges.length; k++) {
      const r = ranges[k];
      if (r === undefined || r.start > this.base) break;
      this.buffered -= r.data.length;
      this.budget.used -= r.data.length;
      const end = r.start + r.data.length;
      if (end > this.base) {
        this.out.data(r.data.subarray(this.base - r.start), ts);
        this.base = end;
      }
    }
    if (k > 0) ranges.splice(0, k);
  }

  /** Gives up holes until at most `target` bytes are held. */
  force(target: number, ts: Micros): void {
    while (this.buffered > target) {
      const r = this.ranges[0];
      if (r === undefined) break;
      if (r.start > this.base) {
        this.out.gap(r.start - this.base, ts);
        this.base = r.start;
      }
      this.drain(ts);
    }
    this.checkFin();
  }

  /** Drops everything held without delivering it (nobody reads this stream any more). */
  discard(): void {
    this.budget.used -= this.buffered;
    this.buffered = 0;
    this.ranges.length = 0;
  }

  /** End of the stream (FIN/RST, timeout, end of capture): deliver everything held, holes as gaps. */
  flush(ts: Micros): void {
    this.force(0, ts);
    if (!this.closed && this.finOffset > this.base) {
      this.out.gap(this.finOffset - this.base, ts);
      this.base = this.finOffset;
    }
    this.closed = true;
  }
}
