/**
 * @module pcap-parser
 * Classic libpcap files: both byte orders, microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d)
 * magic, and the 24-byte record header of Alexey Kuznetzov's patched libpcap (magic 0xa1b2cd34, and
 * — as Red Hat 6.1's tcpdump wrote it — the standard magic too; the nRF BLE sniffer captures in
 * `../shared/data` are such files). The variant behind the standard magic is told apart, as
 * Wireshark does, by checking which header size gives sane first records.
 */
import type { FormatParser, ParserHost } from './capture-types.js';

const GLOBAL_HEADER = 24;
const PROBE_RECORDS = 3;

type Walk = 'ok' | 'bad' | 'more';

export class PcapParser implements FormatParser {
  need = 0;
  skip = 0;
  private state: 'header' | 'probe' | 'records' = 'header';
  private le = true;
  private hdrLen = 16;
  private linkType = 0;
  private snaplen = 0;
  private fracScale = 1;
  private fracLimit = 1e6;
  private walkNeed = 0;

  constructor(
    private readonly host: ParserHost,
    magic: number,
  ) {
    // magic as read little-endian from the first four bytes
    this.le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d || magic === 0xa1b2cd34;
    const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
    this.fracScale = nano ? 1e-3 : 1;
    this.fracLimit = nano ? 1e9 : 1e6;
    const modified = magic === 0xa1b2cd34 || magic === 0x34cdb2a1;
    this.hdrLen = modified ? 24 : 16;
    this.probeNeeded = !nano && !modified;
  }

  private readonly probeNeeded: boolean;

  private view: DataView | null = null;
  private viewOf: Uint8Array | null = null;

  private u32(b: Uint8Array, o: number): number {
    if (this.viewOf !== b || this.view === null) {
      this.viewOf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    return this.view.getUint32(o, this.le);
  }

  parse(buf: Uint8Array, off: number, end: number, abs: number, final: boolean): number {
    const avail = end - off;
    if (this.state === 'header') {
      if (avail < GLOBAL_HEADER) {
        this.need = GLOBAL_HEADER;
        return 0;
      }
      this.snaplen = this.u32(buf, off + 16);
      this.linkType = this.u32(buf, off + 20) & 0xffff;
      this.state = this.probeNeeded ? 'probe' : 'records';
      return GLOBAL_HEADER;
    }
    if (this.state === 'probe') {
      const hl = this.decide(buf, off, end, final);
      if (hl === 0) return 0;
      this.hdrLen = hl;
      this.state = 'records';
    }
    const hl = this.hdrLen;
    if (avail < hl) {
      this.need = hl;
      return 0;
    }
    const caplen = this.u32(buf, off + 8);
    if (caplen > this.host.limits.maxPacketBytes) {
      this.host.onError(
        'WIRE_CAPTURE_RECORD_INVALID',
        abs,
        `pcap record length ${String(caplen)} exceeds the bound of ${String(this.host.limits.maxPacketBytes)} bytes`,
      );
      return -1;
    }
    const total = hl + caplen;
    if (avail < total) {
      this.need = total;
      return 0;
    }
    const sec = this.u32(buf, off);
    const frac = this.u32(buf, off + 4);
    const orig = this.u32(buf, off + 12);
    this.host.onPacket({
      linkType: this.linkType,
      ts: sec * 1e6 + frac * this.fracScale,
      data: buf.subarray(off + hl, off + total),
      originalLength: orig,
      interfaceIndex: 0,
      fileOffset: abs,
    });
    return total;
  }

  /** Chooses the record-header size: 16, 24, or 0 when more bytes are needed. */
  private decide(buf: Uint8Array, off: number, end: number, final: boolean): number {
    const std = this.walk(buf, off, end, 16, final);
    const stdNeed = this.walkNeed;
    if (std === 'ok') return 16;
    const alt = this.walk(buf, off, end, 24, final);
    const altNeed = this.walkNeed;
    if (std === 'bad') {
      if (alt === 'ok') return 24;
      if (alt === 'bad') return 16;
      this.need = altNeed;
      return 0;
    }
    // std === 'more'
    if (alt === 'bad') return 16;
    this.need = Math.max(stdNeed, alt === 'more' ? altNeed : 0);
    return 0;
  }

  private walk(buf: Uint8Array, off: number, end: number, hl: number, final: boolean): Walk {
    let q = off;
    const limit = this.host.limits.maxPacketBytes;
    const snap = Math.max(this.snaplen, 65535);
    for (let k = 0; k < PROBE_RECORDS; k++) {
      if (final && q === end) return 'ok';
      if (end - q < hl) {
        if (final) return 'ok';
        this.walkNeed = q - off + hl;
        return 'more';
      }
      const caplen = this.u32(buf, q + 8);
      const orig = this.u32(buf, q + 12);
      const frac = this.u32(buf, q + 4);
      if (caplen > limit || caplen > snap || orig < caplen || frac >= this.fracLimit) return 'bad';
      q += hl + caplen;
    }
    return 'ok';
  }
}
