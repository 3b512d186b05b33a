// Micro-benchmark of @ward/wire's lower half (capture → link → IP → flows → TCP reassembly): every
// Ethernet packet of the shared captures gathered into one pcap, copied N times with the IPv4
// addresses' second octet rewritten per copy (so each copy brings new hosts and flows), decoded
// in-process in 64 KiB chunks as a file stream would feed it. Prints packets/s and Gbit/s by wall
// time and by the process's CPU time (the fairer figure on a shared machine), and peak RSS. The end-to-end comparison with tshark and ndpiReader is bench/decode (on `ward scan`).
//
//   npm run build && node bench/wire-decode.mjs [--copies 200] [--runs 3] [--reassemble] [--data ../shared/data/pcap]
//   (--write FILE writes the built capture instead, to feed other tools the same input;
//    --stream FILE decodes FILE from a file stream and reports the decoder's own peak RSS)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createCaptureReader, createDecoder } from '@ward/wire';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}
const COPIES = Number(option('copies', 200));
// --reassemble: a stand-in application decoder takes every TCP flow (by content) and every UDP
// datagram, so every stream is reassembled — the cost the app decoders will add on top, minus their parsing.
const REASSEMBLE = process.argv.includes('--reassemble');
let appBytes = 0;
const everything = {
  protocol: 'http',
  detect: () => true,
  udpPorts: Array.from({ length: 65536 }, (_, i) => i),
  createTcp: () => ({
    onData(_d, data) {
      appBytes += data.length;
    },
    onGap() {},
    onEnd() {},
  }),
  decodeUdp(_c, _d, data) {
    appBytes += data.length;
  },
};
const RUNS = Number(option('runs', 3));
const STREAM = option('stream', undefined);
if (STREAM !== undefined) {
  // Decode an existing capture (e.g. one --write made) from a file stream, as `ward scan` will:
  // peak RSS of the decoder alone.
  const { createReadStream, statSync: stat } = await import('node:fs');
  const size = stat(STREAM).size;
  const d = createDecoder({ sink: () => undefined, decoders: REASSEMBLE ? [everything] : [] });
  let peak = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for await (const chunk of createReadStream(STREAM, { highWaterMark: 1 << 16 })) {
    d.push(chunk);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  d.end();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = process.cpuUsage(c0);
  const cpuSecs = (c1.user + c1.system) / 1e6;
  const st = d.stats();
  console.log(
    `${STREAM}: ${String(st.packets)} packets, ${String(st.flows)} flows; wall ${((size * 8) / secs / 1e9).toFixed(2)} Gbit/s, ` +
      `CPU ${(st.packets / cpuSecs / 1e6).toFixed(2)} Mpackets/s, ${((size * 8) / cpuSecs / 1e9).toFixed(2)} Gbit/s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
  process.exit(0);
}
const root = resolve(import.meta.dirname, '..');
const dataDir = option(
  'data',
  [resolve(root, '../shared/data/pcap'), resolve(root, '../../shared/data/pcap')].find((d) => existsSync(d)),
);
if (dataDir === undefined || !existsSync(dataDir)) {
  console.error('bench/wire-decode: no shared captures found (give --data DIR)');
  process.exit(2);
}

function captures(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return captures(p);
    return /\.(pcap|pcapng)(\.gz)?$/.test(n) ? [p] : [];
  });
}

// Gather every Ethernet packet.
const packets = [];
for (const file of captures(dataDir)) {
  let bytes = readFileSync(file);
  if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  const reader = createCaptureReader(
    (p) => {
      if (p.linkType === 1) packets.push(p.data.slice());
    },
    () => undefined,
  );
  reader.push(bytes);
  reader.end();
}
const onePass = packets.reduce((n, p) => n + 16 + p.length, 0);
const total = 24 + onePass * COPIES;
const file = new Uint8Array(total);
const dv = new DataView(file.buffer);
dv.setUint32(0, 0xa1b2c3d4, true);
dv.setUint16(4, 2, true);
dv.setUint16(6, 4, true);
dv.setUint32(16, 262144, true);
dv.setUint32(20, 1, true);
let o = 24;
let ts = 1_700_000_000;
for (let c = 0; c < COPIES; c++) {
  for (const p of packets) {
    ts += 0.0001;
    const sec = Math.floor(ts);
    dv.setUint32(o, sec, true);
    dv.setUint32(o + 4, Math.floor((ts - sec) * 1e6), true);
    dv.setUint32(o + 8, p.length, true);
    dv.setUint32(o + 12, p.length, true);
    file.set(p, o + 16);
    // IPv4 over untagged Ethernet: second octet of both addresses = copy number.
    if (p.length >= 34 && p[12] === 0x08 && p[13] === 0x00) {
      file[o + 16 + 14 + 13] = c & 0xff;
      file[o + 16 + 14 + 17] = c & 0xff;
    }
    o += 16 + p.length;
  }
}

const WRITE = option('write', undefined);
if (WRITE !== undefined) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(WRITE, file);
  console.log(`wrote ${WRITE}`);
  process.exit(0);
}

let peakRss = 0;

const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const CHUNK = 65536;
console.log(
  `wire-decode: ${String(packets.length * COPIES)} packets, ${(total / 1e6).toFixed(1)} MB (${String(COPIES)} copies of ${String(packets.length)} Ethernet packets)`,
);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
for (let run = 0; run < RUNS; run++) {
  let events = 0;
  const d = createDecoder({
    decoders: REASSEMBLE ? [everything] : [],
    sink: () => {
      events++;
    },
  });
  const t0 = process.hrtime.bigint();
  const c0 = cpu();
  for (let i = 0; i < total; i += CHUNK) {
    d.push(file.subarray(i, i + CHUNK));
    if ((i & 0xffffff) === 0) sample();
  }
  d.end();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuSecs = cpu() - c0;
  sample();
  const st = d.stats();
  console.log(
    `run ${String(run + 1)}: wall ${(st.packets / secs / 1e6).toFixed(2)} Mpackets/s, ${((total * 8) / secs / 1e9).toFixed(2)} Gbit/s; ` +
      `CPU ${(st.packets / cpuSecs / 1e6).toFixed(2)} Mpackets/s, ${((total * 8) / cpuSecs / 1e9).toFixed(2)} Gbit/s; ` +
      `${String(st.flows)} flows, ${String(events)} events${REASSEMBLE ? `, ${String(appBytes)} app bytes` : ''}, ${secs.toFixed(2)} s`,
  );
}
console.log(
  `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (includes the ${(total / 2 ** 20).toFixed(0)} MB capture held in memory)`,
);
