/**
 * @module app/ssh
 * The SSH identification string (RFC 4253 §4.2, `SSH-protoversion-softwareversion comments`) of each
 * side. A server may send other lines first; at most 16 lines of 1 KiB are looked at. Nothing after
 * the identification line is read.
 */
import type { AppContext, AppDecoderFactory, Direction, Micros, TcpAppDecoder } from '../events.js';
import { latin1Of } from './bytes.js';

const MAX_LINE = 1024;
const MAX_LINES = 16;

class SshSide {
  private readonly line = new Uint8Array(MAX_LINE);
  private length = 0;
  private lines = 0;
  private done = false;
  private position = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly direction: Direction,
  ) {}

  onData(data: Uint8Array, ts: Micros): void {
    for (let i = 0; i < data.length && !this.done; i++) {
      const b = data[i] ?? 0;
      if (b !== 0x0a) {
        if (this.length >= MAX_LINE) {
          this.fail(this.position + i, 'identification line too long', ts);
          break;
        }
        this.line[this.length++] = b;
        continue;
      }
      const end = this.length > 0 && this.line[this.length - 1] === 0x0d ? this.length - 1 : this.length;
      this.length = 0;
      const text = latin1Of(this.line, 0, end, MAX_LINE);
      if (text.startsWith('SSH-')) {
        if (!/^SSH-[\x21-\x7e]+(?: [\x20-\x7e]*)?$/.test(text)) {
          this.fail(this.position + i, 'identification line has bad characters', ts);
          break;
        }
        this.ctx.emit({
          kind: 'ssh-banner',
          ts,
          flow: this.ctx.flow,
          direction: this.direction,
          banner: text.slice(0, 255),
        });
        this.done = true;
      } else if (++this.lines >= MAX_LINES) this.fail(this.position + i, 'no identification line', ts);
    }
    this.position += data.length;
  }

  onGap(): void {
    this.done = true;
  }

  private fail(offset: number, detail: string, ts: Micros): void {
    this.ctx.error('WIRE_SSH_MALFORMED', offset, detail, ts);
    this.done = true;
  }
}

class SshDecoder implements TcpAppDecoder {
  private readonly sides: Record<Direction, SshSide>;
  constructor(ctx: AppContext) {
    this.sides = { toServer: new SshSide(ctx, 'toServer'), toClient: new SshSide(ctx, 'toClient') };
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

export function detectSsh(first: Uint8Array): boolean {
  return first[0] === 0x53 && first[1] === 0x53 && first[2] === 0x48 && first[3] === 0x2d;
}

export const sshDecoder: AppDecoderFactory = {
  protocol: 'ssh',
  tcpPorts: [22, 2222],
  detect: detectSsh,
  createTcp: (ctx) => new SshDecoder(ctx),
};
