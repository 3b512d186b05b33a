/**
 * @module test/support/tshark
 * tshark as a test peer: extracts TCP payloads (reassembled per stream and direction in sequence
 * order, retransmissions dropped, holes reported as gaps) and UDP payloads from a capture, and reads
 * tshark's own dissector fields, so decoders can be checked against Wireshark on the same bytes.
 * Test-only (spawns tshark); skips are decided by `haveTool`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** `../shared/data` beside the checkout (in a worktree under `wt/`, the one two levels up). */
export const sharedDataDir =
  [resolve(repoRoot, '../shared/data'), resolve(repoRoot, '../../shared/data')].find((d) => existsSync(d)) ??
  resolve(repoRoot, '../shared/data');
export const pcapDir = resolve(sharedDataDir, 'pcap');

export function haveTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export const haveTshark = haveTool('tshark');
export const haveSharedData = existsSync(sharedDataDir);

/** Rows of tshark `-T fields` output (tab-separated, one row per matching frame). */
export function tsharkFields(
  pcap: string,
  filter: string,
  fields: readonly string[],
  extra: readonly string[] = [],
): string[][] {
  const args = [
    '-r',
    pcap,
    '-n',
    ...extra,
    '-Y',
    filter,
    '-T',
    'fields',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=\u001f',
  ];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

export interface Peer {
  readonly ip: string;
  readonly port: number;
}

export type StreamItem =
  | {
      readonly kind: 'data';
      readonly direction: 'toServer' | 'toClient';
      readonly data: Uint8Array;
      readonly ts: number;
    }
  | { readonly kind: 'gap'; readonly direction: 'toServer' | 'toClient'; readonly length: number; readonly ts: number };

export interface TcpStream {
  readonly stream: number;
  readonly client: Peer;
  readonly server: Peer;
  readonly items: StreamItem[];
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replaceAll(':', ''), 'hex'));
}

/** Every TCP stream of `pcap` with its payload in order per direction. */
export function tcpStreams(pcap: string, extra: readonly string[] = []): TcpStream[] {
  const rows = tsharkFields(
    pcap,
    'tcp',
    [
      'tcp.stream',
      'ip.src',
      'ipv6.src',
      'tcp.srcport',
      'ip.dst',
      'ipv6.dst',
      'tcp.dstport',
      'tcp.flags.syn',
      'tcp.flags.ack',
      'tcp.seq_raw',
      'tcp.len',
      'tcp.payload',
      'frame.time_epoch',
    ],
    ['-o', 'tcp.desegment_tcp_streams:FALSE', ...extra],
  );
  interface State {
    stream: TcpStream;
    next: Map<string, number>;
    pending: Map<string, Map<number, { data: Uint8Array; ts: number }>>;
  }
  const streams = new Map<number, State>();
  for (const r of rows) {
    const [s, src4, src6, sport, dst4, dst6, dport, syn, ack, seqRaw, len, payload, time] = r;
    const id = Number(s);
    const src: Peer = { ip: (src4 ?? '') || (src6 ?? ''), port: Number(sport) };
    const dst: Peer = { ip: (dst4 ?? '') || (dst6 ?? ''), port: Number(dport) };
    let st = streams.get(id);
    if (st === undefined) {
      const synAck = syn === '1' && ack === '1';
      const client = synAck ? dst : src;
      const server = synAck ? src : dst;
      st = { stream: { stream: id, client, server, items: [] }, next: new Map(), pending: new Map() };
      streams.set(id, st);
    }
    const key = `${src.ip}:${String(src.port)}`;
    const direction = key === `${st.stream.client.ip}:${String(st.stream.client.port)}` ? 'toServer' : 'toClient';
    const seq = Number(seqRaw);
    const ts = Number(time) * 1e6;
    const dataLength = Number(len);
    if (syn === '1') {
      st.next.set(key, (seq + 1) % 2 ** 32);
      continue;
    }
    if (dataLength === 0 || payload === undefined || payload === '') continue;
    if (!st.next.has(key)) st.next.set(key, seq);
    const expected = st.next.get(key) ?? seq;
    const rel = (seq - expected + 2 ** 32) % 2 ** 32;
    const data = hexBytes(payload);
    if (rel >= 2 ** 31) {
      // retransmission or overlap: keep only what is new
      const behind = 2 ** 32 - rel;
      if (behind >= data.length) continue;
      st.stream.items.push({ kind: 'data', direction, data: data.subarray(behind), ts });
      st.next.set(key, (expected + data.length - behind) % 2 ** 32);
    } else if (rel === 0) {
      st.stream.items.push({ kind: 'data', direction, data, ts });
      let nextSeq = (expected + data.length) % 2 ** 32;
      const waiting = st.pending.get(key);
      while (waiting?.has(nextSeq) === true) {
        const w = waiting.get(nextSeq);
        waiting.delete(nextSeq);
        if (w === undefined) break;
        st.stream.items.push({ kind: 'data', direction, data: w.data, ts: w.ts });
        nextSeq = (nextSeq + w.data.length) % 2 ** 32;
      }
      st.next.set(key, nextSeq);
    } else {
      const waiting = st.pending.get(key) ?? new Map<number, { data: Uint8Array; ts: number }>();
      waiting.set(seq, { data, ts });
      st.pending.set(key, waiting);
    }
  }
  // segments still waiting are after holes: report the hole, then deliver them in order
  for (const st of streams.values()) {
    for (const [key, waiting] of st.pending) {
      const direction =
        key === `${st.stream.client.ip}:${String(st.stream.client.port)}`
          ? ('toServer' as const)
          : ('toClient' as const);
      let next = st.next.get(key) ?? 0;
      for (const seq of [...waiting.keys()].sort(
        (a, b) => ((a - next + 2 ** 32) % 2 ** 32) - ((b - next + 2 ** 32) % 2 ** 32),
      )) {
        const w = waiting.get(seq);
        if (w === undefined) continue;
        const hole = (seq - next + 2 ** 32) % 2 ** 32;
        if (hole >= 2 ** 31) continue;
        if (hole > 0) st.stream.items.push({ kind: 'gap', direction, length: hole, ts: w.ts });
        st.stream.items.push({ kind: 'data', direction, data: w.data, ts: w.ts });
        next = (seq + w.data.length) % 2 ** 32;
      }
    }
  }
  return [...streams.values()].map((s) => s.stream);
}

export interface Datagram {
  readonly frame: number;
  readonly src: Peer;
  readonly dst: Peer;
  readonly data: Uint8Array;
  readonly ts: number;
}

/** Every UDP datagram of `pcap` matching `filter` (first fragment reassembled by tshark). */
export function udpDatagrams(pcap: string, filter = 'udp', extra: readonly string[] = []): Datagram[] {
  return tsharkFields(
    pcap,
    filter,
    [
      'frame.number',
      'ip.src',
      'ipv6.src',
      'udp.srcport',
      'ip.dst',
      'ipv6.dst',
      'udp.dstport',
      'udp.payload',
      'frame.time_epoch',
    ],
    extra,
  )
    .filter((r) => (r[7] ?? '') !== '')
    .map((r) => ({
      frame: Number(r[0]),
      src: { ip: (r[1] ?? '') || (r[2] ?? ''), port: Number(r[3]) },
      dst: { ip: (r[4] ?? '') || (r[5] ?? ''), port: Number(r[6]) },
      data: hexBytes(r[7] ?? ''),
      ts: Number(r[8]) * 1e6,
    }));
}

/** tshark's `-T json` dissection of the frames matching `filter` (each `_source.layers`). */
export function tsharkJson(pcap: string, filter: string, extra: readonly string[] = []): Record<string, unknown>[] {
  const out = execFileSync('tshark', ['-r', pcap, '-n', ...extra, '-Y', filter, '-T', 'json', '--no-duplicate-keys'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const frames = JSON.parse(out === '' ? '[]' : out) as { _source: { layers: Record<string, unknown> } }[];
  return frames.map((f) => f._source.layers);
}

/** Every value stored under `key` anywhere inside `tree` (arrays flattened), in document order. */
export function findAll(tree: unknown, key: string): unknown[] {
  const out: unknown[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === key) {
        if (Array.isArray(v)) out.push(...(v as unknown[]));
        else out.push(v);
      } else walk(v);
    }
  };
  walk(tree);
  return out;
}
