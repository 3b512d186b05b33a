/**
 * @module flow
 * One transport flow's state, and the intrusive least-recently-used list flows live on (one list per
 * timeout class, so the idle sweep stops at the first flow still alive).
 */
import type { AppContext, AppDecoderFactory, FlowInfo, Micros, TcpAppDecoder } from '../events.js';
import type { TcpStream } from './tcp-stream.js';

export class Flow {
  bucketNext: Flow | null = null;
  prev: Flow | null = null;
  next: Flow | null = null;
  list: FlowList | null = null;

  lastTs: Micros;
  /** The flow table's clock at the last packet (idle timeouts; see FlowTable). */
  lastClock = 0;
  packetsToServer = 0;
  packetsToClient = 0;
  bytesToServer = 0;
  bytesToClient = 0;
  handshake = false;
  /** flow-end was emitted; packets still count towards nothing. */
  ended = false;
  toServer: TcpStream | null = null;
  toClient: TcpStream | null = null;
  factory: AppDecoderFactory | null = null;
  app: TcpAppDecoder | null = null;
  ctx: AppContext | null = null;
  /** No (more) application decoding for this flow. */
  appDone = false;
  /** Whether the application protocol was put to work (for flow-end's `protocol`). */
  identified = false;
  probeToServer: Uint8Array | null = null;
  probeToClient: Uint8Array | null = null;
  probedToServer = false;
  probedToClient = false;
  hostClient = false;
  hostServer = false;
  bufferLimitReported = false;
  finToServer = false;
  finToClient = false;

  constructor(
    readonly hash: number,
    /** Transport protocol | IP version << 8. */
    readonly protoKey: number,
    readonly vlanKey: number,
    readonly c0: number,
    readonly c1: number,
    readonly c2: number,
    readonly c3: number,
    readonly cport: number,
    readonly s0: number,
    readonly s1: number,
    readonly s2: number,
    readonly s3: number,
    readonly sport: number,
    readonly info: FlowInfo,
    readonly firstTs: Micros,
  ) {
    this.lastTs = firstTs;
  }

  /** No decoder reads this flow (read through a call, as it changes under callbacks). */
  readsNothing(): boolean {
    return this.appDone;
  }

  get buffered(): number {
    return (this.toServer?.buffered ?? 0) + (this.toClient?.buffered ?? 0);
  }
}

export class FlowList {
  head: Flow | null = null;
  tail: Flow | null = null;
  size = 0;

  /** Puts `f` at the head (most recent), taking it off any list it was on. */
  touch(f: Flow): void {
    if (f.list === this && this.head === f) return;
    f.list?.remove(f);
    f.list = this;
    f.prev = null;
    f.next = this.head;
    if (this.head !== null) this.head.prev = f;
    this.head = f;
    if (this.tail === null) this.tail = f;
    this.size++;
  }

  remove(f: Flow): void {
    if (f.list !== this) return;
    if (f.prev !== null) f.prev.next = f.next;
    else this.head = f.next;
    if (f.next !== null) f.next.prev = f.prev;
    else this.tail = f.prev;
    f.prev = null;
    f.next = null;
    f.list = null;
    this.size--;
  }
}
