/**
 * @module capture-types
 * What a capture reader hands on: one packet record with its link type and time, and the parser
 * protocol the reader drives (a parser looks at buffered bytes and says how many it consumed or how
 * many it needs).
 */
import type { WireErrorCode } from '../errors.js';
import type { Micros } from '../events.js';

/** One captured packet. `data` is a view into the pushed chunk (a small copy when a record straddles chunks). */
export interface CapturedPacket {
  /** LINKTYPE_* value (https://www.tcpdump.org/linktypes.html). */
  readonly linkType: number;
  readonly ts: Micros;
  readonly data: Uint8Array;
  /** Length on the wire; larger than `data.length` when the capture's snap length cut the packet. */
  readonly originalLength: number;
  /** pcapng interface index (0 for pcap). */
  readonly interfaceIndex: number;
  /** Offset of the record in the capture file. */
  readonly fileOffset: number;
}

export type PacketHandler = (packet: CapturedPacket) => void;
export type CaptureErrorHandler = (code: WireErrorCode, offset: number, detail: string) => void;

export interface CaptureLimits {
  /** Largest captured length of one packet accepted (default 1 MiB). */
  readonly maxPacketBytes: number;
  /** Largest pcapng block that must be buffered (SHB, IDB, EPB, SPB, PB; default 2 MiB). Others are skipped as they stream. */
  readonly maxBlockBytes: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = { maxPacketBytes: 1 << 20, maxBlockBytes: 2 << 20 };

/**
 * A format parser. `parse` looks at `buf[off, end)` (`abs` is the file offset of `buf[off]`) and returns
 * the bytes consumed (> 0), 0 when it needs `need` bytes from `off` before it can go on, or -1 after a
 * fatal error it has reported. After consuming, it may ask the reader to drop `skip` more bytes
 * unseen (large blocks it does not need).
 */
export interface FormatParser {
  need: number;
  skip: number;
  parse(buf: Uint8Array, off: number, end: number, abs: number, final: boolean): number;
}

export interface ParserHost {
  readonly limits: CaptureLimits;
  readonly onPacket: PacketHandler;
  readonly onError: CaptureErrorHandler;
}
