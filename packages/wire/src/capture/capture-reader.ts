/**
 * @module capture-reader
 * A push-based capture reader: feed it chunks of a pcap or pcapng file cut anywhere (a file stream,
 * tcpdump's stdout) and it calls back once per packet. Memory stays constant: packets are views into
 * the chunks, and only a record that straddles two chunks is copied. A file cut short mid-record is
 * reported as `WIRE_PCAP_TRUNCATED` at `end()`, after every complete record before it was delivered.
 */
import {
  DEFAULT_CAPTURE_LIMITS,
  type CaptureErrorHandler,
  type CaptureLimits,
  type FormatParser,
  type PacketHandler,
  type ParserHost,
} from './capture-types.js';
import { PcapParser } from './pcap-parser.js';
import { PcapngParser } from './pcapng-parser.js';

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0xa1b2cd34, 0x34cdb2a1]);

export type CaptureFormat = 'pcap' | 'pcapng';

export class CaptureReader {
  private parser: FormatParser | null = null;
  private pending: Uint8Array | null = null;
  private have = 0;
  private need = 0;
  private skip = 0;
  private offset = 0;
  private failed = false;
  private ended = false;
  private readonly host: ParserHost;
  /** True once the input was found cut short mid-record. */
  truncated = false;
  format: CaptureFormat | null = null;

  constructor(onPacket: PacketHandler, onError: CaptureErrorHandler, limits: Partial<CaptureLimits> = {}) {
    this.host = { onPacket, onError, limits: { ...DEFAULT_CAPTURE_LIMITS, ...limits } };
  }

  /** Bytes consumed so far (the file offset of the next record). */
  get bytesRead(): number {
    return this.offset;
  }

  /** True after a fatal format error: further input is ignored. */
  get failedFatally(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): void {
    if (this.failed || this.ended) return;
    // A Node Buffer's subarray builds a Buffer; views of a plain Uint8Array are cheaper.
    if (chunk.constructor !== Uint8Array) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let off = 0;
    const len = chunk.length;
    while (off < len && !this.failedFatally) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, len - off);
        this.skip -= k;
        off += k;
        this.offset += k;
        continue;
      }
      const pending = this.pending;
      if (pending !== null) {
        const k = Math.min(this.need - this.have, len - off);
        pending.set(chunk.subarray(off, off + k), this.have);
        this.have += k;
        off += k;
        if (this.have < this.need) return;
        this.pending = null;
        const total = this.have;
        this.have = 0;
        this.run(pending, 0, total, false);
        continue;
      }
      this.run(chunk, off, len, false);
      return;
    }
  }

  /** Marks the end of input; reports a record cut short. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.failed) return;
    const pending = this.pending;
    if (pending !== null) {
      this.pending = null;
      // A pcap whose header-variant probe was waiting for more bytes decides on what there is.
      this.run(pending, 0, this.have, true);
      if (this.holdsPartialRecord() && !this.failedFatally) this.reportTruncated();
      this.pending = null;
      return;
    }
    if (this.skip > 0) this.reportTruncated();
    else if (this.parser === null) {
      this.truncated = true;
      this.host.onError('WIRE_PCAP_TRUNCATED', this.offset, 'the capture is empty');
    }
  }

  private holdsPartialRecord(): boolean {
    return this.pending !== null;
  }

  private reportTruncated(): void {
    this.truncated = true;
    this.host.onError(
      'WIRE_PCAP_TRUNCATED',
      this.offset,
      'the capture is cut short inside this record; the packets before it were read',
    );
  }

  /** Parses buf[off, end); keeps an incomplete tail as the pending record. */
  private run(buf: Uint8Array, off: number, end: number, final: boolean): void {
    let p = off;
    while (p < end) {
      let parser = this.parser;
      if (parser === null) {
        if (end - p < 4) {
          if (final) {
            this.truncated = true;
            this.host.onError('WIRE_PCAP_TRUNCATED', this.offset, 'the input ends inside the capture magic');
            return;
          }
          this.keep(buf, p, end, 4);
          return;
        }
        parser = this.detect(buf, p);
        if (parser === null) return;
      }
      const r = parser.parse(buf, p, end, this.offset, final);
      if (r < 0) {
        this.failed = true;
        return;
      }
      if (r === 0) {
        this.keep(buf, p, end, parser.need);
        return;
      }
      p += r;
      this.offset += r;
      if (parser.skip > 0) {
        this.skip += parser.skip;
        parser.skip = 0;
        const k = Math.min(this.skip, end - p);
        this.skip -= k;
        p += k;
        this.offset += k;
      }
    }
  }

  private keep(buf: Uint8Array, p: number, end: number, need: number): void {
    const have = end - p;
    const copy = new Uint8Array(Math.max(need, have + 1));
    copy.set(buf.subarray(p, end));
    this.pending = copy;
    this.have = have;
    this.need = copy.length;
  }

  private detect(buf: Uint8Array, p: number): FormatParser | null {
    const le = ((buf[p] ?? 0) | ((buf[p + 1] ?? 0) << 8) | ((buf[p + 2] ?? 0) << 16) | ((buf[p + 3] ?? 0) << 24)) >>> 0;
    if (PCAP_MAGICS.has(le)) {
      this.format = 'pcap';
      this.parser = new PcapParser(this.host, le);
    } else if (le === 0x0a0d0d0a) {
      this.format = 'pcapng';
      this.parser = new PcapngParser(this.host);
    } else {
      this.failed = true;
      const gzip = buf[p] === 0x1f && buf[p + 1] === 0x8b;
      this.host.onError(
        'WIRE_CAPTURE_FORMAT',
        this.offset,
        gzip ? 'gzip-compressed input: decompress it before decoding' : 'not a pcap or pcapng capture (bad magic)',
      );
      return null;
    }
    return this.parser;
  }
}

/** Creates a push-based reader; see {@link CaptureReader}. */
export function createCaptureReader(
  onPacket: PacketHandler,
  onError: CaptureErrorHandler,
  limits: Partial<CaptureLimits> = {},
): CaptureReader {
  return new CaptureReader(onPacket, onError, limits);
}
