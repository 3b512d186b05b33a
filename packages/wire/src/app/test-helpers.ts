/**
 * @module app/test-helpers
 * Test-only helpers (excluded from the build): a recording `AppContext`, and feeding a TCP stream or
 * UDP datagrams to a decoder factory in chosen chunkings.
 */
import type { AppContext, AppDecoderFactory, AppEvent, Direction, FlowInfo, Micros, Transport } from '../events.js';

export interface RecordedError {
  readonly code: string;
  readonly offset: number;
  readonly detail: string;
}

export interface Recording {
  readonly ctx: AppContext;
  readonly events: AppEvent[];
  readonly errors: RecordedError[];
}

export function makeFlow(
  transport: Transport,
  client = { ip: '10.0.0.1', port: 40000 },
  server = { ip: '10.0.0.2', port: 1 },
): FlowInfo {
  return {
    id: `${transport}:${client.ip}:${String(client.port)}>${server.ip}:${String(server.port)}`,
    transport,
    client,
    server,
  };
}

export function record(flow: FlowInfo = makeFlow('tcp')): Recording {
  const events: AppEvent[] = [];
  const errors: RecordedError[] = [];
  return {
    ctx: {
      flow,
      emit: (e) => events.push(e),
      error: (code, offset, detail) => errors.push({ code, offset, detail }),
    },
    events,
    errors,
  };
}

export type Item =
  | { readonly kind: 'data'; readonly direction: Direction; readonly data: Uint8Array; readonly ts: Micros }
  | { readonly kind: 'gap'; readonly direction: Direction; readonly length: number; readonly ts: Micros };

/** Feeds `items` to a new TCP decoder of `factory`; returns what it emitted. */
export function feedTcp(
  factory: AppDecoderFactory,
  items: readonly Item[],
  flow: FlowInfo = makeFlow('tcp'),
): Recording {
  const rec = record(flow);
  const decoder = factory.createTcp?.(rec.ctx);
  if (decoder === undefined) throw new Error(`${factory.protocol} has no TCP decoder`);
  let last = 0;
  for (const item of items) {
    last = item.ts;
    if (item.kind === 'data') decoder.onData(item.direction, item.data, item.ts);
    else decoder.onGap(item.direction, item.length, item.ts);
  }
  decoder.onEnd(last);
  return rec;
}

/** The same stream cut at other places: each data item split after every `sizes[k]` bytes (cycled). */
export function rechunk(items: readonly Item[], sizes: readonly number[]): Item[] {
  const out: Item[] = [];
  let k = 0;
  for (const item of items) {
    if (item.kind !== 'data') {
      out.push(item);
      continue;
    }
    let at = 0;
    while (at < item.data.length) {
      const size = Math.max(1, sizes.length === 0 ? item.data.length : (sizes[k++ % sizes.length] ?? 1));
      out.push({ ...item, data: item.data.subarray(at, at + size) });
      at += size;
    }
  }
  return out;
}

/** All the bytes of one direction concatenated. */
export function joinDirection(items: readonly Item[], direction: Direction): Uint8Array {
  const parts = items.filter((i) => i.kind === 'data' && i.direction === direction) as Extract<
    Item,
    { kind: 'data' }
  >[];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.data.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p.data, at);
    at += p.data.length;
  }
  return out;
}

/** Feeds each datagram to `factory.decodeUdp`. */
export function feedUdp(
  factory: AppDecoderFactory,
  datagrams: readonly { readonly direction: Direction; readonly data: Uint8Array; readonly ts: Micros }[],
  flow: FlowInfo = makeFlow('udp'),
): Recording {
  const rec = record(flow);
  for (const d of datagrams) factory.decodeUdp?.(rec.ctx, d.direction, d.data, d.ts);
  return rec;
}

/** Wraps text in MLLP framing (0x0B … 0x1C 0x0D). */
export function mllp(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + 3);
  out[0] = 0x0b;
  out.set(message, 1);
  out[message.length + 1] = 0x1c;
  out[message.length + 2] = 0x0d;
  return out;
}
