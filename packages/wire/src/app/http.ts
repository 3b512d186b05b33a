/**
 * @module app/http
 * HTTP/1.x per direction: request line, Host, User-Agent, Content-Type; status line, Server,
 * Content-Type; FHIR REST recognition. Bodies are stepped over by Content-Length or chunked
 * encoding (or to the end of the flow) without being kept. Paths lose their query string and, for
 * FHIR, the logical ids. Header blocks are bounded; a longer one ends the decoding of that direction.
 */
import type { AppContext, AppDecoderFactory, Direction, HttpRequestEvent, Micros, TcpAppDecoder } from '../events.js';
import { latin1Of } from './bytes.js';
import { isFhirMediaType, recognizeFhir } from './fhir.js';

/** Largest header block (request/status line and headers) read. */
export const HTTP_MAX_HEADER_BLOCK = 16 * 1024;
const MAX_CHUNK_LINE = 1024;
const MAX_PENDING_METHODS = 64;

const HEAD = 0; // reading a header block
const BODY_LENGTH = 1; // skipping `remaining` body bytes
const CHUNK_SIZE = 2; // reading a chunk-size line
const CHUNK_DATA = 3; // skipping chunk data
const CHUNK_END = 4; // the CRLF after chunk data
const TRAILER = 5; // trailer lines until an empty one
const UNTIL_CLOSE = 6; // body delimited by the end of the flow (or a tunnel): nothing more to read
const DEAD = 7;
const RESYNC = 8; // after a gap: waiting for a chunk that starts a message

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];

interface Header {
  readonly name: string;
  readonly value: string;
}

/** `GET /path` without a version (HTTP/0.9): two tokens, a known method. */
function isSimpleRequest(b: Uint8Array, length: number): boolean {
  const line = latin1Of(b, 0, length, 8192);
  const parts = line.split(' ');
  return parts.length === 2 && METHODS.includes(parts[0] ?? '') && (parts[1] ?? '').startsWith('/');
}

class HttpSide {
  private state = HEAD;
  private readonly block = new Uint8Array(HTTP_MAX_HEADER_BLOCK);
  private blockLength = 0;
  private lineStart = 0;
  private remaining = 0;
  private chunkLine = '';
  private trailerLineEmpty = true;
  private position = 0;
  private messageTs: Micros = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly direction: Direction,
    /** Methods of requests still awaiting a response (shared by both sides). */
    private readonly pending: string[],
  ) {}

  onData(data: Uint8Array, ts: Micros): void {
    let i = 0;
    const n = data.length;
    if (this.state === RESYNC) {
      if (!detectHttp(data)) {
        this.position += n;
        return;
      }
      this.state = HEAD;
      this.blockLength = 0;
      this.lineStart = 0;
    }
    while (i < n && this.state !== DEAD && this.state !== UNTIL_CLOSE) {
      switch (this.state) {
        case HEAD: {
          if (this.blockLength === 0) {
            // tolerate stray CRLFs between messages (RFC 9112 §2.2)
            while (i < n && (data[i] === 0x0d || data[i] === 0x0a)) i++;
            if (i >= n) break;
            this.messageTs = ts;
          }
          const headerEnd = this.scanHeaders(data, i, n);
          if (headerEnd < 0) {
            i = n;
            break;
          }
          i = headerEnd;
          this.onHeaderBlock(ts);
          break;
        }
        case BODY_LENGTH:
        case CHUNK_DATA: {
          const step = Math.min(this.remaining, n - i);
          i += step;
          this.remaining -= step;
          if (this.remaining === 0) this.state = this.state === BODY_LENGTH ? HEAD : CHUNK_END;
          break;
        }
        case CHUNK_END: {
          const b = data[i++];
          if (b === 0x0a) this.state = CHUNK_SIZE;
          else if (b !== 0x0d)
            this.fail('WIRE_HTTP_MALFORMED', this.position + i - 1, 'chunk data not followed by CRLF', ts);
          break;
        }
        case CHUNK_SIZE: {
          const b = data[i++] ?? 0;
          if (b !== 0x0a) {
            if (this.chunkLine.length >= MAX_CHUNK_LINE) {
              this.fail('WIRE_APP_LIMIT', this.position + i - 1, 'chunk-size line too long', ts);
              break;
            }
            if (b !== 0x0d) this.chunkLine += String.fromCharCode(b);
            break;
          }
          const hex = (this.chunkLine.split(';')[0] ?? '').trim();
          this.chunkLine = '';
          if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) {
            this.fail('WIRE_HTTP_MALFORMED', this.position + i - 1, 'bad chunk size', ts);
            break;
          }
          this.remaining = parseInt(hex, 16);
          if (this.remaining === 0) {
            this.state = TRAILER;
            this.trailerLineEmpty = true;
          } else this.state = CHUNK_DATA;
          break;
        }
        default: {
          // TRAILER: lines until an empty one
          const b = data[i++];
          if (b === 0x0a) {
            if (this.trailerLineEmpty) this.state = HEAD;
            this.trailerLineEmpty = true;
          } else if (b !== 0x0d) this.trailerLineEmpty = false;
        }
      }
    }
    this.position += n;
  }

  onGap(length: number): void {
    if (this.state === BODY_LENGTH && length <= this.remaining) {
      this.remaining -= length;
      if (this.remaining === 0) this.state = HEAD;
      return;
    }
    // message boundaries are lost: wait for a segment that starts a request or response
    if (this.state !== UNTIL_CLOSE && this.state !== DEAD) this.state = RESYNC;
  }

  private fail(code: 'WIRE_HTTP_MALFORMED' | 'WIRE_APP_LIMIT', offset: number, detail: string, ts: Micros): void {
    this.ctx.error(code, offset, detail, ts);
    this.state = DEAD;
  }

  /** Copies header bytes until the empty line; returns the index after it, or -1 if not there yet. */
  private scanHeaders(data: Uint8Array, from: number, to: number): number {
    for (let i = from; i < to; i++) {
      const b = data[i] ?? 0;
      if (this.blockLength >= HTTP_MAX_HEADER_BLOCK) {
        this.fail('WIRE_APP_LIMIT', this.position + i, 'header block over the bound', this.messageTs);
        return -1;
      }
      this.block[this.blockLength++] = b;
      if (b !== 0x0a) continue;
      const lineLength = this.blockLength - 1 - this.lineStart - (this.block[this.blockLength - 2] === 0x0d ? 1 : 0);
      const firstLine = this.lineStart === 0;
      this.lineStart = this.blockLength;
      if (lineLength === 0) return i + 1;
      // an HTTP/0.9 request is a single line with no version and no headers
      if (firstLine && isSimpleRequest(this.block, lineLength)) return i + 1;
    }
    return -1;
  }

  private onHeaderBlock(ts: Micros): void {
    const lines = this.splitLines();
    this.blockLength = 0;
    this.lineStart = 0;
    const [first = '', ...rest] = lines;
    const headers: Header[] = [];
    for (const line of rest) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      headers.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
    }
    const get = (name: string): string | undefined => headers.find((h) => h.name === name)?.value;
    const chunked = (get('transfer-encoding') ?? '').toLowerCase().includes('chunked');
    const lengthText = get('content-length');
    const length = lengthText !== undefined && /^\d{1,15}$/.test(lengthText) ? Number(lengthText) : undefined;
    if (lengthText !== undefined && length === undefined && !chunked) {
      this.fail('WIRE_HTTP_MALFORMED', this.position, 'bad Content-Length', ts);
      return;
    }
    if (first.startsWith('HTTP/1.')) this.onResponse(first, get, chunked, length, ts);
    else this.onRequest(first, get, chunked, length, ts);
  }

  private splitLines(): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < this.blockLength; i++) {
      if (this.block[i] !== 0x0a) continue;
      const end = i > start && this.block[i - 1] === 0x0d ? i - 1 : i;
      if (end > start) lines.push(latin1Of(this.block, start, end, 8192));
      start = i + 1;
    }
    return lines;
  }

  private onRequest(
    line: string,
    get: (name: string) => string | undefined,
    chunked: boolean,
    length: number | undefined,
    ts: Micros,
  ): void {
    const parts = line.split(' ');
    const [method = '', target = '', version = 'HTTP/1.0'] = parts;
    const simple = parts.length === 2 && METHODS.includes(method) && target.startsWith('/');
    if ((parts.length !== 3 && !simple) || !/^[A-Z][A-Z-]{0,19}$/.test(method) || !version.startsWith('HTTP/1.')) {
      this.fail('WIRE_HTTP_MALFORMED', this.position, 'not an HTTP/1.x request line', ts);
      return;
    }
    let path = target;
    const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(path);
    if (scheme !== null) path = path.slice(scheme[0].length) || '/';
    const cut = path.search(/[?#]/);
    if (cut >= 0) path = path.slice(0, cut);
    const host = get('host');
    const userAgent = get('user-agent');
    const contentType = get('content-type');
    const fhirMedia = isFhirMediaType(contentType) || isFhirMediaType(get('accept'));
    const fhir = path.startsWith('/') ? recognizeFhir(method, path, fhirMedia) : null;
    const event: HttpRequestEvent = {
      kind: 'http-request',
      ts: this.messageTs,
      flow: this.ctx.flow,
      direction: this.direction,
      method,
      path: (fhir?.path ?? path).slice(0, 512),
      ...(host === undefined ? {} : { host: host.slice(0, 256) }),
      ...(userAgent === undefined ? {} : { userAgent: userAgent.slice(0, 512) }),
      ...(contentType === undefined ? {} : { contentType: contentType.slice(0, 128) }),
      ...(fhir === null
        ? {}
        : {
            fhir: {
              ...(fhir.resourceType === undefined ? {} : { resourceType: fhir.resourceType }),
              ...(fhir.interaction === undefined ? {} : { interaction: fhir.interaction }),
            },
          }),
    };
    this.ctx.emit(event);
    if (this.pending.length < MAX_PENDING_METHODS) this.pending.push(method);
    if (method === 'CONNECT') this.state = UNTIL_CLOSE;
    else this.startBody(chunked, length ?? 0);
  }

  private onResponse(
    line: string,
    get: (name: string) => string | undefined,
    chunked: boolean,
    length: number | undefined,
    ts: Micros,
  ): void {
    const status = Number(line.slice(9, 12));
    if (!/^HTTP\/1\.\d [1-5]\d\d( |$)/.test(line)) {
      this.fail('WIRE_HTTP_MALFORMED', this.position, 'not an HTTP/1.x status line', ts);
      return;
    }
    const server = get('server');
    const contentType = get('content-type');
    this.ctx.emit({
      kind: 'http-response',
      ts: this.messageTs,
      flow: this.ctx.flow,
      direction: this.direction,
      status,
      ...(server === undefined ? {} : { server: server.slice(0, 256) }),
      ...(contentType === undefined ? {} : { contentType: contentType.slice(0, 128) }),
    });
    if (status >= 100 && status < 200 && status !== 101) {
      this.state = HEAD; // interim: the final response follows
      return;
    }
    const method = this.pending.shift();
    if (status === 101 || (method === 'CONNECT' && status < 300)) {
      this.state = UNTIL_CLOSE; // the connection is something else from here on
      return;
    }
    if (method === 'HEAD' || status === 204 || status === 304) {
      this.state = HEAD;
      return;
    }
    if (!chunked && length === undefined) {
      this.state = UNTIL_CLOSE;
      return;
    }
    this.startBody(chunked, length ?? 0);
  }

  private startBody(chunked: boolean, length: number): void {
    if (chunked) {
      this.state = CHUNK_SIZE;
      this.chunkLine = '';
    } else if (length > 0) {
      this.state = BODY_LENGTH;
      this.remaining = length;
    } else this.state = HEAD;
  }
}

class HttpDecoder implements TcpAppDecoder {
  private readonly sides: Record<Direction, HttpSide>;
  constructor(ctx: AppContext) {
    const pending: string[] = [];
    this.sides = {
      toServer: new HttpSide(ctx, 'toServer', pending),
      toClient: new HttpSide(ctx, 'toClient', pending),
    };
  }
  onData(direction: Direction, data: Uint8Array, ts: Micros): void {
    this.sides[direction].onData(data, ts);
  }
  onGap(direction: Direction, length: number): void {
    this.sides[direction].onGap(length);
  }
  onEnd(): void {
    // a message cut short by the end of the capture is dropped
  }
}

/** A known method followed by a space, or a status line. */
export function detectHttp(first: Uint8Array): boolean {
  const head = latin1Of(first, 0, Math.min(first.length, 8));
  return head.startsWith('HTTP/1.') || METHODS.some((m) => head.startsWith(`${m} `));
}

export const httpDecoder: AppDecoderFactory = {
  protocol: 'http',
  tcpPorts: [80, 8080, 8000, 8008, 8081, 8888, 591],
  detect: detectHttp,
  createTcp: (ctx) => new HttpDecoder(ctx),
};
