/**
 * @module app/hl7
 * HL7 v2 over MLLP (0x0B message 0x1C 0x0D), streamed per direction across arbitrary chunk
 * boundaries. Only the MSH segment (and MSA for acknowledgements) is ever copied, into a small
 * bounded buffer; every other segment (PID, NK1, PV1, OBX…) is stepped over byte by byte without
 * being copied or turned into a string. Segments may end in CR, LF or CRLF; a UTF-8 byte-order mark
 * at the start of a segment is skipped.
 */
import type { AppContext, AppDecoderFactory, Direction, Hl7MessageEvent, Micros, TcpAppDecoder } from '../events.js';
import { utf8Of } from './bytes.js';

const START_BLOCK = 0x0b;
const END_BLOCK = 0x1c;
const CR = 0x0d;
const LF = 0x0a;

/** Bytes of MSH/MSA kept per segment; fields beyond it are not needed (MSH-12 comes early). */
export const HL7_MAX_KEPT_SEGMENT = 4096;

const OUT = 0; // between frames, looking for 0x0B
const HEAD = 1; // at a segment start, reading its 3-byte name
const KEEP = 2; // inside MSH or MSA: copying
const SKIP = 3; // inside any other segment: stepping over
const AFTER_END = 4; // saw 0x1C, expecting 0x0D

interface MshFields {
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly receivingApplication: string;
  readonly receivingFacility: string;
  readonly messageType: string;
  readonly controlId: string;
  readonly version: string;
}

function isAlnum(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** Parses a kept MSH segment (`MSH|^~\&|…`); null when it is not a well-formed header. */
export function parseMsh(seg: Uint8Array): MshFields | null {
  if (seg.length < 8) return null;
  const fs = seg[3] ?? 0;
  if (isAlnum(fs) || fs === CR || fs === LF || fs === 0x20) return null;
  // field k (MSH-(k+1)) spans [starts[k], ends[k]); field 1 is MSH-2, the encoding characters.
  const starts: number[] = [];
  const ends: number[] = [];
  let from = 4;
  for (let i = 4; i <= seg.length && starts.length < 12; i++) {
    if (i === seg.length || seg[i] === fs) {
      starts.push(from);
      ends.push(i);
      from = i + 1;
    }
  }
  const enc0 =
    starts[0] !== undefined && ends[0] !== undefined && ends[0] > starts[0] ? (seg[starts[0]] ?? 0x5e) : 0x5e;
  const cs = enc0 === fs ? 0x5e : enc0;
  const field = (mshIndex: number): [number, number] => {
    const k = mshIndex - 2; // MSH-2 is starts[0]
    const s = starts[k];
    const e = ends[k];
    return s === undefined || e === undefined ? [0, 0] : [s, e];
  };
  const firstComponent = (mshIndex: number): string => {
    const [s, e] = field(mshIndex);
    let stop = s;
    while (stop < e && seg[stop] !== cs) stop++;
    return utf8Of(seg, s, stop);
  };
  const [ts, te] = field(9);
  let c1 = ts;
  while (c1 < te && seg[c1] !== cs) c1++;
  let c2 = c1 < te ? c1 + 1 : te;
  while (c2 < te && seg[c2] !== cs) c2++;
  const type = utf8Of(seg, ts, c1);
  const trigger = c1 < te ? utf8Of(seg, c1 + 1, c2) : '';
  return {
    sendingApplication: firstComponent(3),
    sendingFacility: firstComponent(4),
    receivingApplication: firstComponent(5),
    receivingFacility: firstComponent(6),
    messageType: trigger === '' ? type : `${type}^${trigger}`,
    controlId: firstComponent(10),
    version: firstComponent(12),
  };
}

/** MSA-1 of a kept MSA segment (`MSA|AA|…`). */
function parseMsaCode(seg: Uint8Array): string | undefined {
  if (seg.length < 5) return undefined;
  const fs = seg[3] ?? 0;
  let e = 4;
  while (e < seg.length && seg[e] !== fs) e++;
  const code = utf8Of(seg, 4, e, 8);
  return code === '' ? undefined : code;
}

class Hl7Side {
  private state = OUT;
  private readonly head = new Uint8Array(3);
  private headLength = 0;
  private readonly kept = new Uint8Array(HL7_MAX_KEPT_SEGMENT);
  private keptLength = 0;
  private keptIsMsh = false;
  private msh: MshFields | null = null;
  private ackCode: string | undefined = undefined;
  private frameTs: Micros = 0;
  private frameOffset = 0;
  private sawJunk = false;
  /** Bytes of this direction consumed so far (error offsets). */
  private position = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly direction: Direction,
  ) {}

  onData(data: Uint8Array, ts: Micros): void {
    const n = data.length;
    let i = 0;
    while (i < n) {
      const b = data[i] ?? 0;
      switch (this.state) {
        case OUT: {
          const at = data.indexOf(START_BLOCK, i);
          if (at < 0) {
            this.noteJunk(data, i, n);
            i = n;
            break;
          }
          this.noteJunk(data, i, at);
          this.startFrame(ts, this.position + at);
          i = at + 1;
          break;
        }
        case HEAD: {
          if (b === CR || b === LF || b === END_BLOCK || b === START_BLOCK) {
            this.headLength = 0; // an empty or too-short segment (or the LF of a CRLF)
            this.boundary(b, ts, this.position + i);
            i++;
            break;
          }
          this.head[this.headLength++] = b;
          i++;
          if (this.headLength === 3) {
            const [h0, h1, h2] = this.head;
            if (h0 === 0xef && h1 === 0xbb && h2 === 0xbf) {
              this.headLength = 0; // byte-order mark
            } else if (h0 === 0x4d && h1 === 0x53 && (h2 === 0x48 || h2 === 0x41)) {
              this.kept.set(this.head, 0);
              this.keptLength = 3;
              this.keptIsMsh = h2 === 0x48;
              this.state = KEEP;
            } else {
              this.state = SKIP;
            }
          }
          break;
        }
        case KEEP: {
          let j = i;
          while (j < n) {
            const c = data[j] ?? 0;
            if (c === CR || c === LF || c === END_BLOCK || c === START_BLOCK) break;
            j++;
          }
          const room = HL7_MAX_KEPT_SEGMENT - this.keptLength;
          const take = Math.min(room, j - i);
          if (take > 0) this.kept.set(data.subarray(i, i + take), this.keptLength);
          this.keptLength += take;
          i = j;
          if (j < n) {
            this.endKeptSegment();
            this.boundary(data[j] ?? 0, ts, this.position + j);
            i = j + 1;
          }
          break;
        }
        case SKIP: {
          let j = i;
          while (j < n) {
            const c = data[j] ?? 0;
            if (c === CR || c === LF || c === END_BLOCK || c === START_BLOCK) break;
            j++;
          }
          i = j;
          if (j < n) {
            this.boundary(data[j] ?? 0, ts, this.position + j);
            i = j + 1;
          }
          break;
        }
        default: {
          // AFTER_END: 0x0D completes the trailer; anything else is tolerated and read again.
          this.state = OUT;
          if (b === CR) i++;
          break;
        }
      }
    }
    this.position += n;
  }

  onGap(): void {
    this.state = OUT;
    this.msh = null;
    this.ackCode = undefined;
    this.headLength = 0;
  }

  private noteJunk(data: Uint8Array, from: number, to: number): void {
    if (this.sawJunk) return;
    for (let k = from; k < to; k++) {
      const c = data[k] ?? 0;
      if (c !== CR && c !== LF && c !== 0x20 && c !== 0x09) {
        this.sawJunk = true;
        this.ctx.error('WIRE_HL7_MALFORMED', this.position + k, 'bytes outside MLLP framing', this.frameTs);
        return;
      }
    }
  }

  private startFrame(ts: Micros, offset: number): void {
    this.state = HEAD;
    this.headLength = 0;
    this.msh = null;
    this.ackCode = undefined;
    this.frameTs = ts;
    this.frameOffset = offset;
  }

  private endKeptSegment(): void {
    const seg = this.kept.subarray(0, this.keptLength);
    if (this.keptIsMsh) {
      if (this.msh !== null) this.emit(); // a second header in one frame: a batch
      this.msh = parseMsh(seg);
      if (this.msh === null)
        this.ctx.error('WIRE_HL7_MALFORMED', this.frameOffset, 'MSH segment is not well formed', this.frameTs);
    } else if (this.ackCode === undefined) {
      this.ackCode = parseMsaCode(seg);
    }
    this.keptLength = 0;
  }

  /** A segment ended on byte `b` (CR, LF, 0x1C, or a stray 0x0B). */
  private boundary(b: number, ts: Micros, offset: number): void {
    this.headLength = 0;
    if (b === CR || b === LF) {
      this.state = HEAD;
      return;
    }
    if (b === END_BLOCK) {
      if (this.msh === null) {
        this.ctx.error('WIRE_HL7_MALFORMED', this.frameOffset, 'MLLP frame without an MSH segment', this.frameTs);
      } else this.emit();
      this.state = AFTER_END;
      return;
    }
    // 0x0B inside a frame: the previous frame never ended.
    this.ctx.error('WIRE_HL7_MALFORMED', offset, 'MLLP start block inside a frame', ts);
    this.startFrame(ts, offset);
  }

  private emit(): void {
    const msh = this.msh;
    if (msh === null) return;
    const event: Hl7MessageEvent = {
      kind: 'hl7',
      ts: this.frameTs,
      flow: this.ctx.flow,
      direction: this.direction,
      ...msh,
      ...(this.ackCode === undefined ? {} : { ackCode: this.ackCode }),
    };
    this.ctx.emit(event);
    this.msh = null;
    this.ackCode = undefined;
  }
}

class Hl7Decoder implements TcpAppDecoder {
  private readonly toServer: Hl7Side;
  private readonly toClient: Hl7Side;

  constructor(ctx: AppContext) {
    this.toServer = new Hl7Side(ctx, 'toServer');
    this.toClient = new Hl7Side(ctx, 'toClient');
  }

  onData(direction: Direction, data: Uint8Array, ts: Micros): void {
    (direction === 'toServer' ? this.toServer : this.toClient).onData(data, ts);
  }

  onGap(direction: Direction): void {
    (direction === 'toServer' ? this.toServer : this.toClient).onGap();
  }

  onEnd(): void {
    // An unterminated frame at the end of a capture is dropped: its MSH alone is not a message.
  }
}

/** True for `0x0B` followed by `MSH` (optionally after a UTF-8 byte-order mark). */
export function detectHl7(first: Uint8Array): boolean {
  if (first[0] !== START_BLOCK) return false;
  const at = first[1] === 0xef && first[2] === 0xbb && first[3] === 0xbf ? 4 : 1;
  return first[at] === 0x4d && first[at + 1] === 0x53 && first[at + 2] === 0x48;
}

export const hl7Decoder: AppDecoderFactory = {
  protocol: 'hl7',
  tcpPorts: [2575],
  detect: detectHl7,
  createTcp: (ctx) => new Hl7Decoder(ctx),
};
