/**
 * @module flow-table
 * Flows keyed by 5-tuple and VLAN stack, found through a numeric hash (no per-packet strings), bounded
 * in number (least recently used flows are ended early) and in buffered bytes (per flow and in
 * total). TCP flows are reassembled per direction and handed to the application decoder chosen by
 * port, else by content; UDP datagrams go to `decodeUdp` by port. Decoder exceptions are caught and
 * become `WIRE_DECODER_FAILED` decode errors: a buggy decoder never stops the run.
 */
import { formatIpv4, formatIpv6, formatMac } from '../bytes.js';
import type {
  AppContext,
  AppDecoderFactory,
  AppEvent,
  Direction,
  Endpoint,
  FlowInfo,
  Micros,
  WireEvent,
} from '../events.js';
import type { PacketState } from '../net/packet-state.js';
import { Flow, FlowList } from './flow.js';
import { TcpStream, type BufferBudget, type StreamOutput } from './tcp-stream.js';

export interface FlowLimits {
  /** Flows tracked at once (default 100,000). */
  readonly maxFlows: number;
  /** Out-of-order bytes held per TCP flow, both directions each (default 1 MiB). */
  readonly maxFlowBufferBytes: number;
  /** Out-of-order bytes held across all flows (default 64 MiB). */
  readonly maxTotalBufferBytes: number;
  readonly tcpIdleMicros: number;
  readonly udpIdleMicros: number;
  /** How long a closed TCP flow stays to absorb its last ACKs and retransmissions. */
  readonly closedLingerMicros: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = {
  maxFlows: 100_000,
  maxFlowBufferBytes: 1 << 20,
  maxTotalBufferBytes: 64 << 20,
  tcpIdleMicros: 300e6,
  udpIdleMicros: 60e6,
  closedLingerMicros: 10e6,
};

const TCP = 6;
const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const PROBE_BYTES = 8;
const SWEEP_EVERY = 1e6;

/** Ports that say "server" when only one side of a flow has one (besides those below 1024 and the decoders'). */
const SERVER_PORTS = [
  1433, 1521, 1883, 2049, 2575, 3306, 3389, 4242, 5060, 5432, 5671, 5672, 5900, 6379, 6661, 8000, 8080, 8443, 8883,
  9200, 11112, 27017,
];

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

function endpointHash(a: number, b: number, c: number, d: number, port: number): number {
  return mix(mix(mix(mix(mix(0x2545f491, a), b), c), d), port);
}

/**
 * Bytes handed to a TCP decoder, copied when they are a small view of a large buffer (a capture
 * chunk): decoders may keep a view between calls, and one kept view pins the whole chunk — across
 * tens of thousands of open flows that was every chunk read, i.e. the whole file, in memory.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.buffer.byteLength > 2 * bytes.byteLength + 4096 ? bytes.slice() : bytes;
}

function ipText(v6: boolean, a: number, b: number, c: number, d: number): string {
  return v6 ? formatIpv6(a, b, c, d) : formatIpv4(d);
}

export class FlowTable {
  private readonly buckets = new Map<number, Flow>();
  private readonly live = { tcp: new FlowList(), udp: new FlowList(), closed: new FlowList() };
  private readonly tcpByPort = new Map<number, AppDecoderFactory>();
  private readonly udpByPort = new Map<number, AppDecoderFactory>();
  private readonly detectors: readonly AppDecoderFactory[];
  private readonly serverPorts = new Set<number>(SERVER_PORTS);
  private readonly budget: BufferBudget;
  private nextSweep = 0;
  /**
   * Capture time for idle timeouts: advances with every forward step of packet time and not at all
   * when time goes back (captures concatenated out of order, `mergecap -a`). Flows of an earlier
   * segment then still go idle while a later segment plays, instead of living until maxFlows.
   */
  private clock = 0;
  private prevTs: Micros | null = null;
  private flowLimitReported = false;
  /** Flows created so far. */
  created = 0;

  constructor(
    private readonly emit: (event: WireEvent) => void,
    decoders: readonly AppDecoderFactory[],
    private readonly limits: FlowLimits,
  ) {
    for (const d of decoders) {
      for (const p of d.tcpPorts ?? []) {
        if (!this.tcpByPort.has(p)) this.tcpByPort.set(p, d);
        this.serverPorts.add(p);
      }
      for (const p of d.udpPorts ?? []) {
        if (!this.udpByPort.has(p)) this.udpByPort.set(p, d);
        this.serverPorts.add(p);
      }
    }
    this.detectors = decoders.filter((d) => d.detect !== undefined && d.createTcp !== undefined);
    this.budget = { used: 0, max: limits.maxTotalBufferBytes };
  }

  get size(): number {
    return this.live.tcp.size + this.live.udp.size + this.live.closed.size;
  }

  get bufferedBytes(): number {
    return this.budget.used;
  }

  private isServerPort(p: number): boolean {
    return p < 1024 || this.serverPorts.has(p);
  }

  /**
   * Accounts one TCP or UDP packet. Returns its flow and sets `this.lastToServer`, or null when the
   * packet belongs to no flow.
   */
  lastToServer = true;

  packet(s: PacketState): Flow | null {
    const ts = s.ts;
    if (this.prevTs === null) this.clock = ts;
    else if (ts > this.prevTs) this.clock += ts - this.prevTs;
    this.prevTs = ts;
    if (this.clock >= this.nextSweep) {
      this.sweep(this.clock);
      this.nextSweep = this.clock + SWEEP_EVERY;
    }
    const proto = s.proto;
    // Transport and IP version: an IPv4 flow never matches an IPv6 one with the same words.
    const protoKey = proto | (s.ipVersion << 8);
    const vlanKey = s.vlanCount === 0 ? 0 : s.vlanKey();
    // 30 bits: a small integer for V8 (no boxed number per lookup).
    const hash =
      (endpointHash(s.s0, s.s1, s.s2, s.s3, s.sport) ^
        endpointHash(s.d0, s.d1, s.d2, s.d3, s.dport) ^
        mix(protoKey, vlanKey)) &
      0x3fffffff;
    let f = this.buckets.get(hash) ?? null;
    let toServer = true;
    while (f !== null) {
      if (f.protoKey === protoKey && f.vlanKey === vlanKey) {
        if (
          f.cport === s.sport &&
          f.sport === s.dport &&
          f.c3 === s.s3 &&
          f.s3 === s.d3 &&
          f.c0 === s.s0 &&
          f.c1 === s.s1 &&
          f.c2 === s.s2 &&
          f.s0 === s.d0 &&
          f.s1 === s.d1 &&
          f.s2 === s.d2
        ) {
          toServer = true;
          break;
        }
        if (
          f.cport === s.dport &&
          f.sport === s.sport &&
          f.c3 === s.d3 &&
          f.s3 === s.s3 &&
          f.c0 === s.d0 &&
          f.c1 === s.d1 &&
          f.c2 === s.d2 &&
          f.s0 === s.s0 &&
          f.s1 === s.s1 &&
          f.s2 === s.s2
        ) {
          toServer = false;
          break;
        }
      }
      f = f.bucketNext;
    }
    const flags = s.tcpFlags;
    if (f !== null && f.ended && proto === TCP && (flags & (SYN | ACK)) === SYN) {
      // A new connection on a closed flow's tuple.
      this.unlink(f);
      f = null;
    }
    if (f === null) {
      f = this.create(s, hash, vlanKey);
      toServer = f.cport === s.sport && f.c3 === s.s3 && f.c0 === s.s0 && f.c1 === s.s1 && f.c2 === s.s2;
    }
    this.lastToServer = toServer;
    f.lastTs = ts;
    f.lastClock = this.clock;
    if (f.ended) {
      this.live.closed.touch(f);
      return f;
    }
    (proto === TCP ? this.live.tcp : this.live.udp).touch(f);
    if (toServer) {
      f.packetsToServer++;
      f.bytesToServer += s.ipBytes;
    } else {
      f.packetsToClient++;
      f.bytesToClient += s.ipBytes;
    }
    if (proto === TCP) this.tcp(f, s, toServer);
    else this.udp(f, s, toServer);
    return f;
  }

  private create(s: PacketState, hash: number, vlanKey: number): Flow {
    if (this.size >= this.limits.maxFlows) this.evictOldest(s.ts);
    // Client: the SYN sender; the receiver of a SYN-ACK; else the sender, unless only its port looks like a server's.
    const synAck = s.proto === TCP ? s.tcpFlags & (SYN | ACK) : 0;
    const senderIsClient =
      synAck === SYN
        ? true
        : synAck === (SYN | ACK)
          ? false
          : !(this.isServerPort(s.sport) && !this.isServerPort(s.dport));
    return this.make(s, hash, vlanKey, senderIsClient);
  }

  private make(s: PacketState, hash: number, vlanKey: number, senderIsClient: boolean): Flow {
    const v6 = s.ipVersion === 6;
    const [c0, c1, c2, c3, cport] = senderIsClient
      ? [s.s0, s.s1, s.s2, s.s3, s.sport]
      : [s.d0, s.d1, s.d2, s.d3, s.dport];
    const [s0, s1, s2, s3, sport] = senderIsClient
      ? [s.d0, s.d1, s.d2, s.d3, s.dport]
      : [s.s0, s.s1, s.s2, s.s3, s.sport];
    const transport = s.proto === TCP ? 'tcp' : 'udp';
    const cip = ipText(v6, c0, c1, c2, c3);
    const sip = ipText(v6, s0, s1, s2, s3);
    const vlans = s.vlanList();
    const srcMac = s.srcMacOff >= 0 ? formatMac(s.data, s.srcMacOff) : undefined;
    const dstMac = s.dstMacOff >= 0 ? formatMac(s.data, s.dstMacOff) : undefined;
    const cmac = senderIsClient ? srcMac : dstMac;
    const smac = senderIsClient ? dstMac : srcMac;
    const client: Endpoint = cmac === undefined ? { ip: cip, port: cport } : { ip: cip, port: cport, mac: cmac };
    const server: Endpoint = smac === undefined ? { ip: sip, port: sport } : { ip: sip, port: sport, mac: smac };
    const fmt = (ip: string, port: number): string => (v6 ? `[${ip}]:${String(port)}` : `${ip}:${String(port)}`);
    const id = `${transport}:${fmt(cip, cport)}>${fmt(sip, sport)}${vlans === undefined ? '' : `@${vlans.join('.')}`}`;
    const info: FlowInfo =
      vlans === undefined ? { id, transport, client, server } : { id, transport, client, server, vlans };
    const f = new Flow(
      hash,
      s.proto | (s.ipVersion << 8),
      vlanKey,
      c0,
      c1,
      c2,
      c3,
      cport,
      s0,
      s1,
      s2,
      s3,
      sport,
      info,
      s.ts,
    );
    f.bucketNext = this.buckets.get(hash) ?? null;
    this.buckets.set(hash, f);
    this.created++;
    if (s.proto === TCP) {
      f.factory = this.tcpByPort.get(sport) ?? this.tcpByPort.get(cport) ?? null;
      if (f.factory !== null && f.factory.createTcp === undefined) f.factory = null;
      if (f.factory === null && this.detectors.length === 0) f.appDone = true;
      else {
        // Streams only for flows a decoder may read.
        f.toServer = new TcpStream(this.output(f, 'toServer'), this.budget, this.limits.maxFlowBufferBytes);
        f.toClient = new TcpStream(this.output(f, 'toClient'), this.budget, this.limits.maxFlowBufferBytes);
      }
    } else {
      f.factory = this.udpByPort.get(sport) ?? this.udpByPort.get(cport) ?? null;
      if (f.factory?.decodeUdp === undefined) {
        f.factory = null;
        f.appDone = true;
      }
    }
    return f;
  }

  private output(f: Flow, dir: Direction): StreamOutput {
    return {
      data: (bytes, ts) => {
        this.deliver(f, dir, bytes, ts);
      },
      gap: (length, ts) => {
        const app = f.app;
        if (app === null) {
          // Content detection cannot look across a hole: this direction is done probing.
          if (dir === 'toServer') {
            f.probeToServer = null;
            f.probedToServer = true;
          } else {
            f.probeToClient = null;
            f.probedToClient = true;
          }
          if (f.probedToServer && f.probedToClient && f.factory === null) f.appDone = true;
          return;
        }
        if (f.appDone) return;
        try {
          app.onGap(dir, length, ts);
        } catch (e) {
          this.decoderFailed(f, e, ts);
        }
      },
    };
  }

  private context(f: Flow): AppContext {
    if (f.ctx !== null) return f.ctx;
    const emit = this.emit;
    const ctx: AppContext = {
      flow: f.info,
      emit(event: AppEvent): void {
        emit(event);
      },
      error(code: string, offset: number, detail: string, ts: Micros): void {
        emit({ kind: 'decode-error', ts, code, layer: f.factory?.protocol ?? 'app', offset, detail, flow: f.info });
      },
    };
    f.ctx = ctx;
    return ctx;
  }

  private decoderFailed(f: Flow, e: unknown, ts: Micros): void {
    f.appDone = true;
    f.app = null;
    // The message is not passed on: it might quote payload bytes.
    const name = e instanceof Error ? e.name : typeof e;
    this.emit({
      kind: 'decode-error',
      ts,
      code: 'WIRE_DECODER_FAILED',
      layer: f.factory?.protocol ?? 'app',
      offset: 0,
      detail: `the ${f.factory?.protocol ?? 'application'} decoder threw (${name}); decoding of this flow stopped`,
      flow: f.info,
    });
  }

  private deliver(f: Flow, dir: Direction, bytes: Uint8Array, ts: Micros): void {
    if (f.appDone) return;
    if (f.app === null) {
      if (f.factory === null) {
        const chosen = this.detect(f, dir, bytes);
        if (chosen === null) return;
        bytes = chosen;
      }
      const factory = f.factory;
      if (factory?.createTcp === undefined) {
        f.appDone = true;
        return;
      }
      try {
        f.app = factory.createTcp(this.context(f));
        f.identified = true;
      } catch (e) {
        this.decoderFailed(f, e, ts);
        return;
      }
    }
    try {
      f.app.onData(dir, ownBytes(bytes), ts);
    } catch (e) {
      this.decoderFailed(f, e, ts);
    }
  }

  /** Content detection on the first bytes of a direction; returns the bytes to feed, or null to wait/skip. */
  private detect(f: Flow, dir: Direction, bytes: Uint8Array): Uint8Array | null {
    const toServer = dir === 'toServer';
    if (toServer ? f.probedToServer : f.probedToClient) return null;
    const held = toServer ? f.probeToServer : f.probeToClient;
    let first = bytes;
    if (held !== null) {
      first = new Uint8Array(held.length + bytes.length);
      first.set(held);
      first.set(bytes, held.length);
    }
    if (first.length < PROBE_BYTES) {
      if (toServer) f.probeToServer = first === bytes ? bytes.slice() : first;
      else f.probeToClient = first === bytes ? bytes.slice() : first;
      return null;
    }
    if (toServer) {
      f.probeToServer = null;
      f.probedToServer = true;
    } else {
      f.probeToClient = null;
      f.probedToClient = true;
    }
    for (const d of this.detectors) {
      let hit = false;
      try {
        hit = d.detect?.(first, dir) === true;
      } catch {
        hit = false;
      }
      if (hit) {
        f.factory = d;
        return first;
      }
    }
    if (f.probedToServer && f.probedToClient) f.appDone = true;
    return null;
  }

  private tcp(f: Flow, s: PacketState, toServer: boolean): void {
    const flags = s.tcpFlags;
    if (flags & SYN) f.handshake = true;
    if (f.appDone) {
      // Nobody will read this flow's bytes: no reassembly, only FIN/RST to end it.
      if (flags & FIN) {
        if (toServer) f.finToServer = true;
        else f.finToClient = true;
      }
      if (flags & RST || (f.finToServer && f.finToClient)) {
        this.finish(f, s.ts);
        this.live.closed.touch(f);
      }
      return;
    }
    const stream = toServer ? f.toServer : f.toClient;
    if (stream === null) return;
    let seq = s.seq;
    if (flags & SYN) {
      stream.syn(seq);
      seq = (seq + 1) >>> 0;
    }
    if (s.payloadDeclared > 0 || flags & FIN) {
      const forced = stream.segment(seq, s.payload(), s.payloadDeclared, (flags & FIN) !== 0, s.ts);
      if (forced && !f.bufferLimitReported) {
        f.bufferLimitReported = true;
        this.emit({
          kind: 'decode-error',
          ts: s.ts,
          code: 'WIRE_TCP_BUFFER_LIMIT',
          layer: 'tcp',
          offset: 0,
          detail: `more than ${String(this.limits.maxFlowBufferBytes)} bytes held out of order; holes given up as gaps`,
          flow: f.info,
        });
      }
    }
    if (flags & FIN) {
      if (toServer) f.finToServer = true;
      else f.finToClient = true;
    }
    // A decoder may have failed or given up during this segment.
    if (f.readsNothing()) this.release(f);
    if (flags & RST || (f.toServer?.closed === true && f.toClient?.closed === true)) {
      this.finish(f, s.ts);
      this.live.closed.touch(f);
    }
    if (this.budget.used > this.budget.max) this.relieve(s.ts);
  }

  private udp(f: Flow, s: PacketState, toServer: boolean): void {
    if (f.appDone) return;
    const factory = f.factory;
    if (factory?.decodeUdp === undefined) return;
    f.identified = true;
    try {
      factory.decodeUdp(this.context(f), toServer ? 'toServer' : 'toClient', s.payload(), s.ts);
    } catch (e) {
      this.decoderFailed(f, e, s.ts);
    }
  }

  /** A flow that no decoder reads any more gives its held bytes back. */
  private release(f: Flow): void {
    f.toServer?.discard();
    f.toClient?.discard();
  }

  /** Total buffer bound reached: give up holes of the least recently used flows that hold bytes. */
  private relieve(ts: Micros): void {
    const target = this.budget.max * 0.75;
    for (const list of [this.live.tcp, this.live.closed]) {
      for (let f = list.tail; f !== null && this.budget.used > target; f = f.prev) {
        if (f.buffered === 0) continue;
        f.toServer?.force(0, ts);
        f.toClient?.force(0, ts);
        this.emit({
          kind: 'decode-error',
          ts,
          code: 'WIRE_TCP_BUFFER_LIMIT',
          layer: 'tcp',
          offset: 0,
          detail: `the decoder's total bound of ${String(this.budget.max)} out-of-order bytes was reached; this flow's holes were given up`,
          flow: f.info,
        });
      }
    }
  }

  /** Ends a flow: flushes its streams, ends its decoder, emits flow-end. Stays in the table (closed). */
  private finish(f: Flow, ts: Micros): void {
    if (f.ended) return;
    f.toServer?.flush(ts);
    f.toClient?.flush(ts);
    const app = f.app;
    if (app !== null && !f.appDone) {
      try {
        app.onEnd(ts);
      } catch (e) {
        this.decoderFailed(f, e, ts);
      }
    }
    f.app = null;
    f.appDone = true;
    f.ended = true;
    f.probeToClient = null;
    f.probeToServer = null;
    const protocol = f.identified ? f.factory?.protocol : undefined;
    this.emit({
      kind: 'flow-end',
      ts,
      flow: f.info,
      firstTs: f.firstTs,
      packetsToServer: f.packetsToServer,
      packetsToClient: f.packetsToClient,
      bytesToServer: f.bytesToServer,
      bytesToClient: f.bytesToClient,
      handshake: f.handshake,
      ...(protocol === undefined ? {} : { protocol }),
    });
  }

  private unlink(f: Flow): void {
    f.list?.remove(f);
    let cur = this.buckets.get(f.hash) ?? null;
    let prev: Flow | null = null;
    while (cur !== null && cur !== f) {
      prev = cur;
      cur = cur.bucketNext;
    }
    if (cur === null) return;
    if (prev === null) {
      if (f.bucketNext === null) this.buckets.delete(f.hash);
      else this.buckets.set(f.hash, f.bucketNext);
    } else prev.bucketNext = f.bucketNext;
    f.bucketNext = null;
  }

  private remove(f: Flow, ts: Micros): void {
    this.finish(f, ts);
    this.unlink(f);
  }

  private evictOldest(ts: Micros): void {
    let oldest: Flow | null = null;
    for (const list of [this.live.closed, this.live.udp, this.live.tcp]) {
      const t = list.tail;
      if (t !== null && (oldest === null || t.lastClock < oldest.lastClock)) oldest = t;
    }
    if (oldest === null) return;
    if (!this.flowLimitReported) {
      this.flowLimitReported = true;
      this.emit({
        kind: 'decode-error',
        ts,
        code: 'WIRE_FLOW_LIMIT',
        layer: 'flow',
        offset: 0,
        detail: `more than ${String(this.limits.maxFlows)} flows at once; the least recently used are ended early (reported once)`,
      });
    }
    this.remove(oldest, oldest.lastTs);
  }

  /**
   * Ends flows idle beyond their timeout at `clock` (see `clock`; equal to packet time in a capture
   * whose time never goes back). Their flow-end carries their last packet's time.
   */
  sweep(clock: Micros): void {
    const pairs: [FlowList, number][] = [
      [this.live.closed, this.limits.closedLingerMicros],
      [this.live.udp, this.limits.udpIdleMicros],
      [this.live.tcp, this.limits.tcpIdleMicros],
    ];
    for (const [list, timeout] of pairs) {
      for (let f = list.tail; f !== null && clock - f.lastClock > timeout; f = list.tail) this.remove(f, f.lastTs);
    }
  }

  /** End of capture: ends every flow, oldest first, each at its last packet's time. */
  end(): void {
    for (const list of [this.live.closed, this.live.udp, this.live.tcp]) {
      for (let f = list.tail; f !== null; f = list.tail) this.remove(f, f.lastTs);
    }
  }
}
