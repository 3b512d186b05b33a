/**
 * @module app/dicom
 * DICOM upper layer (PS3.8) per direction, streamed: A-ASSOCIATE-RQ/AC/RJ, A-RELEASE, A-ABORT, and
 * P-DATA-TF whose command fragments are reassembled and read as a command set (PS3.7, implicit VR
 * little endian, group 0000). Data-set fragments — where patient name, id and birth date live — are
 * stepped over by length without a byte of them being copied. User-identity sub-items (a user name
 * or password) are never read.
 */
import type {
  AppContext,
  AppDecoderFactory,
  DicomAssociateEvent,
  DicomPresentationContext,
  Direction,
  Micros,
  TcpAppDecoder,
} from '../events.js';
import { Gather, latin1Of, u16be, u16le, u32be, u32le } from './bytes.js';

/** Largest A-ASSOCIATE PDU read (storescu offering every storage class stays well below). */
export const DICOM_MAX_ASSOCIATE_PDU = 256 * 1024;
/** Largest command set reassembled from P-DATA fragments (command sets are a few hundred bytes). */
export const DICOM_MAX_COMMAND = 64 * 1024;
/** Presentation contexts kept per association event. */
const MAX_CONTEXTS = 256;

const PDU_HEADER = 0;
const PDU_BODY = 1; // gathering a whole non-P-DATA PDU body
const PDU_SKIP = 2; // stepping over a PDU body
const PDV_HEADER = 3; // inside P-DATA-TF, at a PDV item
const PDV_COMMAND = 4; // copying a command fragment
const PDV_SKIP = 5; // stepping over a data-set fragment
const DEAD = 6;

export const DIMSE_COMMANDS: Readonly<Record<number, string>> = {
  0x0001: 'C-STORE-RQ',
  0x8001: 'C-STORE-RSP',
  0x0010: 'C-GET-RQ',
  0x8010: 'C-GET-RSP',
  0x0020: 'C-FIND-RQ',
  0x8020: 'C-FIND-RSP',
  0x0021: 'C-MOVE-RQ',
  0x8021: 'C-MOVE-RSP',
  0x0030: 'C-ECHO-RQ',
  0x8030: 'C-ECHO-RSP',
  0x0fff: 'C-CANCEL-RQ',
  0x0100: 'N-EVENT-REPORT-RQ',
  0x8100: 'N-EVENT-REPORT-RSP',
  0x0110: 'N-GET-RQ',
  0x8110: 'N-GET-RSP',
  0x0120: 'N-SET-RQ',
  0x8120: 'N-SET-RSP',
  0x0130: 'N-ACTION-RQ',
  0x8130: 'N-ACTION-RSP',
  0x0140: 'N-CREATE-RQ',
  0x8140: 'N-CREATE-RSP',
  0x0150: 'N-DELETE-RQ',
  0x8150: 'N-DELETE-RSP',
};

/** Text of a DICOM string field with padding (spaces, NULs) removed at both ends. */
function trimmedText(b: Uint8Array, start: number, end: number): string {
  let s = start;
  let e = Math.min(end, b.length);
  while (s < e && (b[s] === 0x20 || b[s] === 0)) s++;
  while (e > s && (b[e - 1] === 0x20 || b[e - 1] === 0)) e--;
  return latin1Of(b, s, e, 64);
}

type AssocResult =
  | { readonly ok: true; readonly event: Omit<DicomAssociateEvent, 'ts' | 'flow' | 'direction'> }
  | { readonly ok: false; readonly offset: number; readonly detail: string };

/** Reads an A-ASSOCIATE-RQ (type 1) or -AC (type 2) PDU body (after the 6-byte PDU header). */
export function parseAssociate(type: 1 | 2, body: Uint8Array): AssocResult {
  if (body.length < 68) return { ok: false, offset: 0, detail: 'A-ASSOCIATE shorter than its fixed fields' };
  const contexts: DicomPresentationContext[] = [];
  let applicationContext: string | undefined;
  let implementationClassUid: string | undefined;
  let implementationVersionName: string | undefined;
  let maxPduLength: number | undefined;
  let at = 68;
  while (at < body.length) {
    if (at + 4 > body.length) return { ok: false, offset: at, detail: 'item header cut short' };
    const itemType = body[at] ?? 0;
    const length = u16be(body, at + 2);
    const start = at + 4;
    const end = start + length;
    if (end > body.length) return { ok: false, offset: at, detail: 'item longer than its PDU' };
    if (itemType === 0x10) {
      applicationContext = trimmedText(body, start, end);
    } else if ((itemType === 0x20 && type === 1) || (itemType === 0x21 && type === 2)) {
      if (length < 4) return { ok: false, offset: at, detail: 'presentation context item too short' };
      let abstractSyntax: string | undefined;
      const transferSyntaxes: string[] = [];
      for (let sub = start + 4; sub < end;) {
        if (sub + 4 > end) return { ok: false, offset: sub, detail: 'sub-item header cut short' };
        const subType = body[sub] ?? 0;
        const subEnd = sub + 4 + u16be(body, sub + 2);
        if (subEnd > end) return { ok: false, offset: sub, detail: 'sub-item longer than its item' };
        if (subType === 0x30) abstractSyntax = trimmedText(body, sub + 4, subEnd);
        else if (subType === 0x40 && transferSyntaxes.length < 32)
          transferSyntaxes.push(trimmedText(body, sub + 4, subEnd));
        sub = subEnd;
      }
      if (contexts.length < MAX_CONTEXTS)
        contexts.push({
          id: body[start] ?? 0,
          ...(type === 1 && abstractSyntax !== undefined ? { abstractSyntax } : {}),
          transferSyntaxes,
          ...(type === 2 ? { result: body[start + 2] ?? 0 } : {}),
        });
    } else if (itemType === 0x50) {
      for (let sub = start; sub < end;) {
        if (sub + 4 > end) return { ok: false, offset: sub, detail: 'user information sub-item cut short' };
        const subType = body[sub] ?? 0;
        const subLength = u16be(body, sub + 2);
        const subEnd = sub + 4 + subLength;
        if (subEnd > end) return { ok: false, offset: sub, detail: 'user information sub-item too long' };
        if (subType === 0x51 && subLength === 4) maxPduLength = u32be(body, sub + 4);
        else if (subType === 0x52) implementationClassUid = trimmedText(body, sub + 4, subEnd);
        else if (subType === 0x55) implementationVersionName = trimmedText(body, sub + 4, subEnd);
        // 0x58/0x59 user identity (a user name, a password, a token) is deliberately never read.
        sub = subEnd;
      }
    }
    at = end;
  }
  return {
    ok: true,
    event: {
      kind: 'dicom-associate',
      pdu: type === 1 ? 'rq' : 'ac',
      calledAeTitle: trimmedText(body, 4, 20),
      callingAeTitle: trimmedText(body, 20, 36),
      ...(applicationContext === undefined ? {} : { applicationContext }),
      presentationContexts: contexts,
      ...(implementationClassUid === undefined ? {} : { implementationClassUid }),
      ...(implementationVersionName === undefined ? {} : { implementationVersionName }),
      ...(maxPduLength === undefined ? {} : { maxPduLength }),
    },
  };
}

export interface DimseCommand {
  readonly commandField: number;
  readonly affectedSopClass?: string;
  readonly requestedSopClass?: string;
  readonly messageId?: number;
  readonly status?: number;
}

/** Reads a command set (implicit VR little endian); null when it is malformed or has no command field. */
export function parseCommandSet(b: Uint8Array): DimseCommand | null {
  let commandField: number | undefined;
  let affectedSopClass: string | undefined;
  let requestedSopClass: string | undefined;
  let messageId: number | undefined;
  let respondedTo: number | undefined;
  let status: number | undefined;
  let at = 0;
  while (at + 8 <= b.length) {
    const group = u16le(b, at);
    const element = u16le(b, at + 2);
    const length = u32le(b, at + 4);
    const start = at + 8;
    if (group !== 0 || length > b.length - start) return null;
    const end = start + length;
    if (element === 0x0100 && length === 2) commandField = u16le(b, start);
    else if (element === 0x0002) affectedSopClass = trimmedText(b, start, end);
    else if (element === 0x0003) requestedSopClass = trimmedText(b, start, end);
    else if (element === 0x0110 && length === 2) messageId = u16le(b, start);
    else if (element === 0x0120 && length === 2) respondedTo = u16le(b, start);
    else if (element === 0x0900 && length === 2) status = u16le(b, start);
    at = end;
  }
  if (at !== b.length || commandField === undefined) return null;
  const id = messageId ?? respondedTo;
  return {
    commandField,
    ...(affectedSopClass === undefined ? {} : { affectedSopClass }),
    ...(requestedSopClass === undefined ? {} : { requestedSopClass }),
    ...(id === undefined ? {} : { messageId: id }),
    ...(status === undefined ? {} : { status }),
  };
}

export function dimseName(commandField: number): string {
  return DIMSE_COMMANDS[commandField] ?? `UNKNOWN-0x${commandField.toString(16).padStart(4, '0')}`;
}

class DicomSide {
  private state = PDU_HEADER;
  private readonly gather = new Gather(512);
  private pduType = 0;
  private pduStart = 0;
  /** P-DATA-TF or skipped bytes still to come in the current PDU / PDV. */
  private pduRemaining = 0;
  private pdvRemaining = 0;
  private pdvLast = false;
  private command = new Uint8Array(1024);
  private commandLength = 0;
  private commandOverflow = false;
  private position = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly direction: Direction,
  ) {
    this.gather.expect(6);
  }

  onData(data: Uint8Array, ts: Micros): void {
    let i = 0;
    const n = data.length;
    while (i < n && this.state !== DEAD) {
      switch (this.state) {
        case PDU_HEADER: {
          i += this.gather.feed(data, i);
          if (this.gather.complete) this.onPduHeader(this.gather.bytes(), this.position + i - 6, ts);
          break;
        }
        case PDU_BODY: {
          i += this.gather.feed(data, i);
          if (this.gather.complete) {
            this.onPduBody(this.gather.bytes(), ts);
            this.gather.shrink(512);
            this.toHeader();
          }
          break;
        }
        case PDU_SKIP: {
          const step = Math.min(this.pduRemaining, n - i);
          i += step;
          this.pduRemaining -= step;
          if (this.pduRemaining === 0) this.toHeader();
          break;
        }
        case PDV_HEADER: {
          i += this.gather.feed(data, i);
          if (this.gather.complete) this.onPdvHeader(this.gather.bytes(), this.position + i - 6, ts);
          break;
        }
        case PDV_COMMAND: {
          const step = Math.min(this.pdvRemaining, n - i);
          this.appendCommand(data.subarray(i, i + step));
          i += step;
          this.pdvRemaining -= step;
          if (this.pdvRemaining === 0) this.endPdv(ts, this.position + i);
          break;
        }
        default: {
          // PDV_SKIP: a data-set fragment, stepped over by length
          const step = Math.min(this.pdvRemaining, n - i);
          i += step;
          this.pdvRemaining -= step;
          if (this.pdvRemaining === 0) this.endPdv(ts, this.position + i);
          break;
        }
      }
    }
    this.position += n;
  }

  onGap(ts: Micros): void {
    if (this.state === DEAD) return;
    // PDU boundaries are lost: DICOM has no resynchronisation marker, so this direction ends here.
    this.ctx.error('WIRE_DICOM_MALFORMED', this.position, 'gap in the stream: PDU boundaries lost', ts);
    this.state = DEAD;
  }

  private toHeader(): void {
    this.state = PDU_HEADER;
    this.gather.expect(6);
  }

  private fail(code: 'WIRE_DICOM_MALFORMED' | 'WIRE_APP_LIMIT', offset: number, detail: string, ts: Micros): void {
    this.ctx.error(code, offset, detail, ts);
    this.state = DEAD;
  }

  private onPduHeader(h: Uint8Array, offset: number, ts: Micros): void {
    const type = h[0] ?? 0;
    const length = u32be(h, 2);
    this.pduType = type;
    this.pduStart = offset;
    if (type < 1 || type > 7) {
      this.fail('WIRE_DICOM_MALFORMED', offset, `unknown PDU type ${String(type)}`, ts);
      return;
    }
    if (type === 4) {
      this.pduRemaining = length;
      this.toPdvHeaderOrNext();
      return;
    }
    if ((type === 1 || type === 2) && length > DICOM_MAX_ASSOCIATE_PDU) {
      this.ctx.error('WIRE_APP_LIMIT', offset, `A-ASSOCIATE PDU of ${String(length)} bytes`, ts);
      this.pduRemaining = length;
      this.state = length === 0 ? PDU_HEADER : PDU_SKIP;
      if (length === 0) this.gather.expect(6);
      return;
    }
    if (type !== 1 && type !== 2 && length !== 4) {
      this.fail('WIRE_DICOM_MALFORMED', offset, `PDU type ${String(type)} of length ${String(length)}`, ts);
      return;
    }
    this.state = PDU_BODY;
    this.gather.expect(length);
    if (length === 0) this.onPduBodyEmpty(ts);
  }

  private onPduBodyEmpty(ts: Micros): void {
    this.onPduBody(new Uint8Array(0), ts);
    this.toHeader();
  }

  private onPduBody(body: Uint8Array, ts: Micros): void {
    const base = { ts, flow: this.ctx.flow, direction: this.direction };
    switch (this.pduType) {
      case 1:
      case 2: {
        const r = parseAssociate(this.pduType, body);
        if (r.ok) this.ctx.emit({ ...base, ...r.event });
        else this.ctx.error('WIRE_DICOM_MALFORMED', this.pduStart + 6 + r.offset, r.detail, ts);
        break;
      }
      case 3:
        this.ctx.emit({
          ...base,
          kind: 'dicom-associate',
          pdu: 'rj',
          callingAeTitle: '',
          calledAeTitle: '',
          presentationContexts: [],
          reject: { result: body[1] ?? 0, source: body[2] ?? 0, reason: body[3] ?? 0 },
        });
        break;
      case 5:
      case 6:
        this.ctx.emit({ ...base, kind: 'dicom-release', pdu: this.pduType === 5 ? 'rq' : 'rp' });
        break;
      default:
        this.ctx.emit({ ...base, kind: 'dicom-abort', source: body[2] ?? 0, reason: body[3] ?? 0 });
    }
  }

  private toPdvHeaderOrNext(): void {
    if (this.pduRemaining === 0) {
      this.toHeader();
      return;
    }
    this.state = PDV_HEADER;
    this.gather.expect(6);
  }

  private onPdvHeader(h: Uint8Array, offset: number, ts: Micros): void {
    const length = u32be(h, 0);
    const control = h[5] ?? 0;
    if (this.pduRemaining < 6 || length < 2 || length - 2 > this.pduRemaining - 6) {
      this.fail('WIRE_DICOM_MALFORMED', offset, 'PDV item does not fit its P-DATA-TF PDU', ts);
      return;
    }
    this.pduRemaining -= 4 + length;
    this.pdvRemaining = length - 2;
    this.pdvLast = (control & 0x02) !== 0;
    this.state = (control & 0x01) !== 0 ? PDV_COMMAND : PDV_SKIP;
    if (this.pdvRemaining === 0) this.endPdv(ts, offset + 6);
  }

  private appendCommand(part: Uint8Array): void {
    if (this.commandOverflow) return;
    if (this.commandLength + part.length > DICOM_MAX_COMMAND) {
      this.commandOverflow = true;
      return;
    }
    if (this.commandLength + part.length > this.command.length) {
      const bigger = new Uint8Array(
        Math.min(DICOM_MAX_COMMAND, Math.max(this.command.length * 2, this.commandLength + part.length)),
      );
      bigger.set(this.command.subarray(0, this.commandLength));
      this.command = bigger;
    }
    this.command.set(part, this.commandLength);
    this.commandLength += part.length;
  }

  private endPdv(ts: Micros, offset: number): void {
    if (this.state === PDV_COMMAND && this.pdvLast) {
      if (this.commandOverflow) {
        this.ctx.error('WIRE_APP_LIMIT', offset, `command set over ${String(DICOM_MAX_COMMAND)} bytes`, ts);
      } else {
        const cmd = parseCommandSet(this.command.subarray(0, this.commandLength));
        if (cmd === null) this.ctx.error('WIRE_DICOM_MALFORMED', offset, 'command set is not well formed', ts);
        else
          this.ctx.emit({
            ts,
            flow: this.ctx.flow,
            direction: this.direction,
            kind: 'dicom-dimse',
            command: dimseName(cmd.commandField),
            ...cmd,
          });
      }
      this.commandLength = 0;
      this.commandOverflow = false;
      if (this.command.length > 4096) this.command = new Uint8Array(1024);
    }
    this.toPdvHeaderOrNext();
  }
}

class DicomDecoder implements TcpAppDecoder {
  private readonly toServer: DicomSide;
  private readonly toClient: DicomSide;

  constructor(ctx: AppContext) {
    this.toServer = new DicomSide(ctx, 'toServer');
    this.toClient = new DicomSide(ctx, 'toClient');
  }

  onData(direction: Direction, data: Uint8Array, ts: Micros): void {
    (direction === 'toServer' ? this.toServer : this.toClient).onData(data, ts);
  }

  onGap(direction: Direction, _length: number, ts: Micros): void {
    (direction === 'toServer' ? this.toServer : this.toClient).onGap(ts);
  }

  onEnd(): void {
    // nothing pending is worth reporting: a capture may stop mid-PDU
  }
}

/** An A-ASSOCIATE-RQ: PDU type 0x01, reserved 0, protocol version 0x0001. */
export function detectDicom(first: Uint8Array): boolean {
  return (
    first.length >= 8 && first[0] === 0x01 && first[1] === 0 && u16be(first, 6) === 0x0001 && u32be(first, 2) >= 68
  );
}

export const dicomDecoder: AppDecoderFactory = {
  protocol: 'dicom',
  tcpPorts: [104, 11112, 4242],
  detect: detectDicom,
  createTcp: (ctx) => new DicomDecoder(ctx),
};
