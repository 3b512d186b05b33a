/**
 * @module app/smb2
 * SMB2/3 over TCP 445 (NetBIOS session framing, MS-SMB2): negotiate dialects, tree-connect paths,
 * and per-session file-activity counters (creates, reads, writes, renames, deletes, bytes) emitted as
 * `smb2-activity` when the flow ends — what ransomware detection needs, without file names: a
 * rename keeps only the new name's extension. Compounded requests (NextCommand) are followed. Only
 * the first `SMB2_KEEP` bytes of each message are kept; write and read data are never kept. An SMB1
 * NEGOTIATE (an old modality may still speak it) is reported as `smb2-negotiate` with the SMB1
 * dialect string (e.g. 'NT LM 0.12'). Encrypted (transform) and compressed messages are skipped.
 */
import type { AppContext, AppDecoderFactory, Direction, Micros, TcpAppDecoder } from '../events.js';
import { Gather, hexOf, u16le, u32le } from './bytes.js';

/** Bytes kept from the start of each NetBIOS message (headers, paths; never bulk data). */
export const SMB2_KEEP = 4096;
const MAX_SESSIONS = 256;
const MAX_EXTENSIONS = 32;

const NBSS_HEADER = 0;
const MESSAGE = 1; // gathering the kept prefix
const SKIP = 2; // stepping over the rest of a message
const DEAD = 3;

const DIALECTS: Readonly<Record<number, string>> = {
  0x0202: '2.0.2',
  0x0210: '2.1',
  0x0222: '2.2.2',
  0x0224: '2.2.4',
  0x02ff: '2.x',
  0x0300: '3.0',
  0x0302: '3.0.2',
  0x0311: '3.1.1',
};

export function smb2DialectName(d: number): string {
  return DIALECTS[d] ?? `0x${d.toString(16).padStart(4, '0')}`;
}

interface Activity {
  creates: number;
  reads: number;
  writes: number;
  renames: number;
  deletes: number;
  bytesWritten: number;
  bytesRead: number;
  readonly renameExtensions: Set<string>;
}

/** UTF-16LE text of `b[start, start+length)`, at most `max` characters. */
function utf16leOf(b: Uint8Array, start: number, length: number, max = 256): string {
  const units: number[] = [];
  const end = Math.min(b.length, start + length, start + max * 2);
  for (let i = start; i + 1 < end; i += 2) units.push(u16le(b, i));
  return String.fromCharCode(...units);
}

/** The extension of the last path component ('' when it has none), lower-cased, bounded. */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 || dot === base.length - 1 ? '' : base.slice(dot + 1, dot + 17).toLowerCase();
}

class Smb2Decoder implements TcpAppDecoder {
  private readonly sessions = new Map<string, Activity>();
  private readonly sides: Record<Direction, Smb2Side>;
  private lastTs: Micros = 0;

  constructor(private readonly ctx: AppContext) {
    this.sides = { toServer: new Smb2Side(ctx, 'toServer', this), toClient: new Smb2Side(ctx, 'toClient', this) };
  }

  activity(sessionId: string): Activity | undefined {
    let a = this.sessions.get(sessionId);
    if (a === undefined) {
      if (this.sessions.size >= MAX_SESSIONS) return undefined;
      a = {
        creates: 0,
        reads: 0,
        writes: 0,
        renames: 0,
        deletes: 0,
        bytesWritten: 0,
        bytesRead: 0,
        renameExtensions: new Set(),
      };
      this.sessions.set(sessionId, a);
    }
    return a;
  }

  side(direction: Direction): Smb2Side {
    return this.sides[direction];
  }

  onData(direction: Direction, data: Uint8Array, ts: Micros): void {
    this.lastTs = ts;
    this.sides[direction].onData(data, ts);
  }

  onGap(direction: Direction, length: number): void {
    this.sides[direction].onGap(length);
  }

  onEnd(ts: Micros): void {
    for (const [sessionId, a] of this.sessions) {
      if (a.creates + a.reads + a.writes + a.renames + a.deletes === 0) continue;
      this.ctx.emit({
        kind: 'smb2-activity',
        ts: Math.max(ts, this.lastTs),
        flow: this.ctx.flow,
        direction: 'toServer',
        sessionId,
        creates: a.creates,
        reads: a.reads,
        writes: a.writes,
        renames: a.renames,
        deletes: a.deletes,
        bytesWritten: a.bytesWritten,
        bytesRead: a.bytesRead,
        renameExtensions: [...a.renameExtensions],
      });
    }
    this.sessions.clear();
  }
}

class Smb2Side {
  private state = NBSS_HEADER;
  private readonly gather = new Gather(SMB2_KEEP);
  private skip = 0;
  private position = 0;
  /** SMB1 dialect strings offered by the client, to name the server's choice. */
  private smb1Offered: string[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly direction: Direction,
    private readonly decoder: Smb2Decoder,
  ) {
    this.gather.expect(4);
  }

  onData(data: Uint8Array, ts: Micros): void {
    let i = 0;
    while (i < data.length && this.state !== DEAD) {
      if (this.state === SKIP) {
        const step = Math.min(this.skip, data.length - i);
        i += step;
        this.skip -= step;
        if (this.skip === 0) {
          this.state = NBSS_HEADER;
          this.gather.expect(4);
        }
        continue;
      }
      i += this.gather.feed(data, i);
      if (!this.gather.complete) break;
      const bytes = this.gather.bytes();
      if (this.state === NBSS_HEADER) {
        const type = bytes[0] ?? 0;
        const length = ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
        if (type !== 0x00 && type !== 0x81 && type !== 0x82 && type !== 0x85) {
          this.ctx.error('WIRE_SMB2_MALFORMED', this.position + i - 4, 'not a NetBIOS session message', ts);
          this.state = DEAD;
          break;
        }
        if (length === 0) {
          this.gather.expect(4);
          continue;
        }
        const keep = type === 0x00 ? Math.min(length, SMB2_KEEP) : 0;
        this.skip = length - keep;
        if (keep === 0) {
          this.state = SKIP;
          continue;
        }
        this.state = MESSAGE;
        this.gather.expect(keep);
      } else {
        this.onMessage(bytes, ts, this.position + i - bytes.length);
        this.gather.shrink(SMB2_KEEP);
        if (this.skip > 0) this.state = SKIP;
        else {
          this.state = NBSS_HEADER;
          this.gather.expect(4);
        }
      }
    }
    this.position += data.length;
  }

  onGap(length: number): void {
    if (this.state === SKIP && length <= this.skip) {
      this.skip -= length;
      if (this.skip === 0) {
        this.state = NBSS_HEADER;
        this.gather.expect(4);
      }
      return;
    }
    this.state = DEAD; // NetBIOS framing is lost
  }

  private onMessage(m: Uint8Array, ts: Micros, offset: number): void {
    if (m[1] !== 0x53 || m[2] !== 0x4d || m[3] !== 0x42) {
      this.ctx.error('WIRE_SMB2_MALFORMED', offset, 'no SMB protocol id', ts);
      return;
    }
    if (m[0] === 0xff) this.onSmb1(m, ts);
    else if (m[0] === 0xfe) {
      let at = 0;
      for (let n = 0; n < 64 && at + 64 <= m.length; n++) {
        const next = u32le(m, at + 20);
        const end = next === 0 ? m.length : Math.min(m.length, at + next);
        this.onSmb2(m.subarray(at, end), ts, offset + at);
        if (next === 0 || next < 64 || next % 8 !== 0) break;
        at += next;
      }
    }
    // 0xfd transform (encrypted) and 0xfc compressed messages carry nothing readable
  }

  private onSmb2(h: Uint8Array, ts: Micros, offset: number): void {
    if (u16le(h, 4) !== 64) {
      this.ctx.error('WIRE_SMB2_MALFORMED', offset, 'bad SMB2 header size', ts);
      return;
    }
    const command = u16le(h, 12);
    const response = (u32le(h, 16) & 0x1) !== 0;
    const status = u32le(h, 8);
    const sessionId = hexOf(h, 40, 48);
    const body = 64;
    const base = { ts, flow: this.ctx.flow, direction: this.direction };
    switch (command) {
      case 0x0000: {
        if (response) {
          if (h.length >= body + 6)
            this.ctx.emit({
              ...base,
              kind: 'smb2-negotiate',
              dialect: smb2DialectName(u16le(h, body + 4)),
              response: true,
            });
        } else {
          const count = u16le(h, body + 2);
          let best = -1;
          for (let k = 0; k < count && body + 36 + 2 * k + 2 <= h.length; k++)
            best = Math.max(best, u16le(h, body + 36 + 2 * k));
          if (best >= 0)
            this.ctx.emit({ ...base, kind: 'smb2-negotiate', dialect: smb2DialectName(best), response: false });
        }
        return;
      }
      case 0x0003: {
        if (response || h.length < body + 8) return;
        const pathOffset = u16le(h, body + 4);
        const pathLength = u16le(h, body + 6);
        if (pathOffset + pathLength > h.length) return;
        this.ctx.emit({ ...base, kind: 'smb2-tree-connect', path: utf16leOf(h, pathOffset, pathLength), sessionId });
        return;
      }
      case 0x0005: {
        if (response || h.length < body + 44) return;
        const a = this.decoder.activity(sessionId);
        if (a === undefined) return;
        a.creates++;
        if ((u32le(h, body + 40) & 0x00001000) !== 0) a.deletes++; // FILE_DELETE_ON_CLOSE
        return;
      }
      case 0x0008: {
        const a = this.decoder.activity(sessionId);
        if (a === undefined) return;
        if (!response) a.reads++;
        else if (status === 0 && h.length >= body + 8) a.bytesRead += u32le(h, body + 4);
        return;
      }
      case 0x0009: {
        if (response || h.length < body + 8) return;
        const a = this.decoder.activity(sessionId);
        if (a === undefined) return;
        a.writes++;
        a.bytesWritten += u32le(h, body + 4);
        return;
      }
      case 0x0011: {
        if (response || h.length < body + 32) return;
        const infoType = h[body + 2];
        const infoClass = h[body + 3];
        const length = u32le(h, body + 4);
        const at = u16le(h, body + 8);
        if (infoType !== 1) return;
        const a = this.decoder.activity(sessionId);
        if (a === undefined) return;
        if (infoClass === 10 && at + 20 <= h.length) {
          a.renames++;
          const nameLength = Math.min(u32le(h, at + 16), length);
          const extension = extensionOf(utf16leOf(h, at + 20, nameLength, 1024));
          if (extension !== '' && a.renameExtensions.size < MAX_EXTENSIONS) a.renameExtensions.add(extension);
        } else if ((infoClass === 13 || infoClass === 64) && at < h.length && ((h[at] ?? 0) & 1) !== 0) {
          a.deletes++;
        }
        return;
      }
      default:
    }
  }

  private onSmb1(m: Uint8Array, ts: Micros): void {
    if (m.length < 35 || m[4] !== 0x72) return; // only NEGOTIATE
    const response = ((m[9] ?? 0) & 0x80) !== 0;
    const wordCount = m[32] ?? 0;
    const base = { ts, flow: this.ctx.flow, direction: this.direction, kind: 'smb2-negotiate' as const, response };
    if (!response) {
      const byteCountAt = 33 + wordCount * 2;
      const end = Math.min(m.length, byteCountAt + 2 + u16le(m, byteCountAt));
      const offered: string[] = [];
      for (let p = byteCountAt + 2; p < end && offered.length < 32;) {
        if (m[p] !== 0x02) break;
        let z = p + 1;
        while (z < end && m[z] !== 0) z++;
        offered.push(String.fromCharCode(...m.subarray(p + 1, Math.min(z, p + 65))));
        p = z + 1;
      }
      this.peer().smb1Offered = offered;
      const chosen = offered.includes('NT LM 0.12') ? 'NT LM 0.12' : offered.at(-1);
      if (chosen !== undefined) this.ctx.emit({ ...base, dialect: chosen });
    } else if (wordCount >= 1) {
      const index = u16le(m, 33);
      const dialect = this.smb1Offered[index];
      if (dialect !== undefined) this.ctx.emit({ ...base, dialect });
    }
  }

  /** The other direction's side (SMB1 negotiate names the chosen dialect by index). */
  private peer(): Smb2Side {
    return this.decoder.side(this.direction === 'toServer' ? 'toClient' : 'toServer');
  }
}

/** A NetBIOS session message carrying an SMB1 or SMB2 header. */
export function detectSmb(first: Uint8Array): boolean {
  return (
    first[0] === 0x00 &&
    (first[4] === 0xfe || first[4] === 0xff) &&
    first[5] === 0x53 &&
    first[6] === 0x4d &&
    first[7] === 0x42
  );
}

export const smb2Decoder: AppDecoderFactory = {
  protocol: 'smb2',
  tcpPorts: [445, 139],
  detect: detectSmb,
  createTcp: (ctx) => new Smb2Decoder(ctx),
};
