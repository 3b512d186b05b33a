/**
 * @module pcapng-parser
 * pcapng (draft-ietf-opsawg-pcapng): sections in either byte order, several interfaces with their
 * own link type, `if_tsresol` and `if_tsoffset`; Enhanced, Simple and (obsolete) Packet Blocks.
 * Name Resolution, Interface Statistics and any unknown block are skipped as they stream, without
 * being buffered, so their size does not matter.
 */
import type { FormatParser, ParserHost } from './capture-types.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
const BOM = 0x1a2b3c4d;

interface Interface {
  readonly linkType: number;
  readonly snaplen: number;
  /** Micros per unit of the high and low timestamp words. */
  readonly scaleHi: number;
  readonly scaleLo: number;
  readonly offsetMicros: number;
}

export class PcapngParser implements FormatParser {
  need = 0;
  skip = 0;
  private le = true;
  private seenShb = false;
  private interfaces: Interface[] = [];

  constructor(private readonly host: ParserHost) {}

  private u32(b: Uint8Array, o: number): number {
    const a = b[o] ?? 0;
    const c = b[o + 1] ?? 0;
    const d = b[o + 2] ?? 0;
    const e = b[o + 3] ?? 0;
    return this.le ? (a | (c << 8) | (d << 16) | (e << 24)) >>> 0 : ((a << 24) | (c << 16) | (d << 8) | e) >>> 0;
  }

  private u16(b: Uint8Array, o: number): number {
    const a = b[o] ?? 0;
    const c = b[o + 1] ?? 0;
    return this.le ? a | (c << 8) : (a << 8) | c;
  }

  parse(buf: Uint8Array, off: number, end: number, abs: number): number {
    const avail = end - off;
    if (avail < 12) {
      this.need = 12;
      return 0;
    }
    const rawType =
      ((buf[off] ?? 0) << 24) | ((buf[off + 1] ?? 0) << 16) | ((buf[off + 2] ?? 0) << 8) | (buf[off + 3] ?? 0);
    if (rawType === SHB) {
      const bomBe =
        (((buf[off + 8] ?? 0) << 24) |
          ((buf[off + 9] ?? 0) << 16) |
          ((buf[off + 10] ?? 0) << 8) |
          (buf[off + 11] ?? 0)) >>>
        0;
      if (bomBe === BOM) this.le = false;
      else if (bomBe === 0x4d3c2b1a) this.le = true;
      else {
        this.host.onError('WIRE_CAPTURE_FORMAT', abs + 8, 'pcapng section header has no valid byte-order magic');
        return -1;
      }
    } else if (!this.seenShb) {
      this.host.onError('WIRE_CAPTURE_FORMAT', abs, 'pcapng file does not start with a section header block');
      return -1;
    }
    const type = this.u32(buf, off);
    const len = this.u32(buf, off + 4);
    if (len < 12 || len % 4 !== 0 || (type === SHB && len < 28)) {
      this.host.onError('WIRE_CAPTURE_RECORD_INVALID', abs, `pcapng block length ${String(len)} is not valid`);
      return -1;
    }
    const needed = type === SHB || type === IDB || type === EPB || type === SPB || type === PB;
    if (!needed) {
      if (avail >= len) return len;
      this.skip = len - avail;
      return avail;
    }
    if (len > this.host.limits.maxBlockBytes) {
      this.host.onError(
        'WIRE_CAPTURE_RECORD_INVALID',
        abs,
        `pcapng block length ${String(len)} exceeds the bound of ${String(this.host.limits.maxBlockBytes)} bytes`,
      );
      return -1;
    }
    if (avail < len) {
      this.need = len;
      return 0;
    }
    switch (type) {
      case SHB:
        this.seenShb = true;
        this.interfaces = [];
        break;
      case IDB:
        this.interfaces.push(this.readInterface(buf, off, len));
        break;
      case EPB:
      case PB:
        this.readPacket(buf, off, len, abs, type === PB);
        break;
      case SPB:
        this.readSimple(buf, off, len, abs);
        break;
      default:
        break;
    }
    return len;
  }

  private readInterface(buf: Uint8Array, off: number, len: number): Interface {
    const linkType = this.u16(buf, off + 8);
    const snaplen = this.u32(buf, off + 12);
    let units = 1e6;
    let offsetMicros = 0;
    let o = off + 16;
    const end = off + len - 4;
    while (o + 4 <= end) {
      const code = this.u16(buf, o);
      const olen = this.u16(buf, o + 2);
      const v = o + 4;
      if (code === 0 || v + olen > end) break;
      if (code === 9 && olen >= 1) {
        const r = buf[v] ?? 6;
        units = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      } else if (code === 14 && olen >= 8) {
        const w0 = this.u32(buf, v);
        const w1 = this.u32(buf, v + 4);
        const hi = this.le ? w1 : w0;
        const lo = this.le ? w0 : w1;
        offsetMicros = ((hi | 0) * 4294967296 + lo) * 1e6;
      }
      o = v + ((olen + 3) & ~3);
    }
    if (!Number.isFinite(units) || units <= 0) units = 1e6;
    return { linkType, snaplen, scaleHi: (4294967296 * 1e6) / units, scaleLo: 1e6 / units, offsetMicros };
  }

  private readPacket(buf: Uint8Array, off: number, len: number, abs: number, obsolete: boolean): void {
    if (len < 32) {
      this.host.onError('WIRE_CAPTURE_RECORD_INVALID', abs, 'pcapng packet block too short');
      return;
    }
    const ifIndex = obsolete ? this.u16(buf, off + 8) : this.u32(buf, off + 8);
    const iface = this.interfaces[ifIndex];
    const caplen = this.u32(buf, off + 20);
    if (iface === undefined) {
      this.host.onError(
        'WIRE_CAPTURE_RECORD_INVALID',
        abs,
        `pcapng packet names interface ${String(ifIndex)} that was not described`,
      );
      return;
    }
    if (caplen > len - 32) {
      this.host.onError(
        'WIRE_CAPTURE_RECORD_INVALID',
        abs,
        `pcapng captured length ${String(caplen)} exceeds its block`,
      );
      return;
    }
    const hi = this.u32(buf, off + 12);
    const lo = this.u32(buf, off + 16);
    this.host.onPacket({
      linkType: iface.linkType,
      ts: hi * iface.scaleHi + lo * iface.scaleLo + iface.offsetMicros,
      data: buf.subarray(off + 28, off + 28 + caplen),
      originalLength: this.u32(buf, off + 24),
      interfaceIndex: ifIndex,
      fileOffset: abs,
    });
  }

  private readSimple(buf: Uint8Array, off: number, len: number, abs: number): void {
    const iface = this.interfaces[0];
    if (iface === undefined || len < 16) {
      this.host.onError('WIRE_CAPTURE_RECORD_INVALID', abs, 'pcapng simple packet block without interface 0');
      return;
    }
    const orig = this.u32(buf, off + 8);
    let caplen = Math.min(orig, len - 16);
    if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
    this.host.onPacket({
      linkType: iface.linkType,
      ts: 0,
      data: buf.subarray(off + 12, off + 12 + caplen),
      originalLength: orig,
      interfaceIndex: 0,
      fileOffset: abs,
    });
  }
}
