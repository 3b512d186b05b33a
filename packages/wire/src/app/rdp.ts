/**
 * @module app/rdp
 * RDP connection negotiation (MS-RDPBCGR §2.2.1.1–2): the TPKT/X.224 Connection Request with its
 * RDP_NEG_REQ requested protocols, and the Connection Confirm with RDP_NEG_RSP's selected protocol.
 * The request's cookie (`Cookie: mstshash=USER`, a user name) or routing token is stepped over and
 * never kept. Only the first TPKT of each direction is read; what follows is TLS or CredSSP.
 */
import type { AppContext, AppDecoderFactory, Direction, Micros, TcpAppDecoder } from '../events.js';
import { Gather, u16be, u32le } from './bytes.js';

const X224_CONNECTION_REQUEST = 0xe0;
const X224_CONNECTION_CONFIRM = 0xd0;

/** Reads the requested or selected protocols from an X.224 CR/CC TPDU; null when it is neither. */
export function parseX224(tpdu: Uint8Array): { response: boolean; protocols: number } | { error: string } | null {
  const li = tpdu[0] ?? 0;
  const code = (tpdu[1] ?? 0) & 0xf0;
  if (code !== X224_CONNECTION_REQUEST && code !== X224_CONNECTION_CONFIRM) return null;
  if (li + 1 > tpdu.length || li < 6) return { error: 'X.224 length indicator does not fit' };
  const response = code === X224_CONNECTION_CONFIRM;
  const end = li + 1;
  let at = 7;
  if (!response && at < end && tpdu[at] !== 0x01) {
    // cookie or routing token: a line ending in CR LF, stepped over unread
    while (at + 1 < end && !(tpdu[at] === 0x0d && tpdu[at + 1] === 0x0a)) at++;
    at += 2;
  }
  if (at + 8 <= end) {
    const type = tpdu[at];
    if ((type === 0x01 && !response) || (type === 0x02 && response))
      return { response, protocols: u32le(tpdu, at + 4) };
    if (type === 0x03 && response) return { response, protocols: 0 }; // RDP_NEG_FAILURE
  }
  return { response, protocols: 0 }; // no negotiation: standard RDP security
}

class RdpSide {
  private readonly gather = new Gather(64);
  private header = true;
  private done = false;
  private position = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly direction: Direction,
  ) {
    this.gather.expect(4);
  }

  onData(data: Uint8Array, ts: Micros): void {
    let i = 0;
    while (!this.done && i < data.length) {
      i += this.gather.feed(data, i);
      if (!this.gather.complete) break;
      const bytes = this.gather.bytes();
      if (this.header) {
        const length = u16be(bytes, 2);
        if (bytes[0] !== 3 || length < 7 || length > 1024) {
          this.fail(this.position + i - 4, 'not a TPKT header', ts);
          break;
        }
        this.header = false;
        this.gather.expect(length - 4);
        continue;
      }
      const r = parseX224(bytes);
      if (r === null) this.done = true;
      else if ('error' in r) this.fail(this.position + i - bytes.length, r.error, ts);
      else {
        this.ctx.emit({ kind: 'rdp-negotiate', ts, flow: this.ctx.flow, direction: this.direction, ...r });
        this.done = true;
      }
    }
    this.position += data.length;
  }

  onGap(): void {
    this.done = true;
  }

  private fail(offset: number, detail: string, ts: Micros): void {
    this.ctx.error('WIRE_RDP_MALFORMED', offset, detail, ts);
    this.done = true;
  }
}

class RdpDecoder implements TcpAppDecoder {
  private readonly sides: Record<Direction, RdpSide>;
  constructor(ctx: AppContext) {
    this.sides = { toServer: new RdpSide(ctx, 'toServer'), toClient: new RdpSide(ctx, 'toClient') };
  }
  onData(direction: Direction, data: Uint8Array, ts: Micros): void {
    this.sides[direction].onData(data, ts);
  }
  onGap(direction: Direction): void {
    this.sides[direction].onGap();
  }
  onEnd(): void {
    // nothing pending
  }
}

/** TPKT version 3 carrying an X.224 Connection Request. */
export function detectRdp(first: Uint8Array): boolean {
  return first[0] === 3 && first[1] === 0 && ((first[5] ?? 0) & 0xf0) === X224_CONNECTION_REQUEST;
}

export const rdpDecoder: AppDecoderFactory = {
  protocol: 'rdp',
  tcpPorts: [3389],
  detect: detectRdp,
  createTcp: (ctx) => new RdpDecoder(ctx),
};
