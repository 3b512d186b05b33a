// Ward's passive-discovery benchmark: `ward scan` beside tshark and nDPI's ndpiReader on the same
// ≥ 1 GB capture, in the same run.
//
//   npm run bench:decode                  # builds the capture once, then times the three tools
//   node bench/decode.mjs --size-mb 1024 --dir /var/tmp/ward-bench-decode [--skip-tshark]
//
// The capture: every Ethernet capture in ../shared/data/pcap is concatenated into one seed
// (mergecap -a), then copied with Debian tcpreplay's `tcprewrite --seed=i --enet-mac-seed=i` so
// that each copy has its own IP and MAC addresses (many distinct hosts and flows), and the copies
// are concatenated (mergecap -a -F pcap) until the file reaches --size-mb. It is kept in --dir and
// reused by later runs.
//
// Each tool runs under /usr/bin/time -v (wall time, peak RSS):
//   ward:      node packages/cli/dist/bin.js scan FILE --json            (decodes every layer, builds devices)
//   tshark:    tshark -r FILE -q                                          (full dissection, no output)
//              tshark -r FILE -T fields -e frame.number                   (dissection with one field printed)
//   ndpiReader: ndpiReader -i FILE -q                                     (nDPI protocol identification, one thread)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}
const SIZE = Number(option('size-mb', 1024)) * 1024 * 1024;
const DIR = option('dir', '/var/tmp/ward-bench-decode');
const SKIP_TSHARK = process.argv.includes('--skip-tshark');
const shared = [resolve(repo, '../shared/data'), resolve(repo, '../../shared/data')].find((d) => existsSync(d));
if (shared === undefined) {
  console.error('bench: ../shared/data is absent; it holds the seed captures');
  process.exit(2);
}

function capturesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...capturesUnder(path));
    else if (/\.(pcap|pcapng)$/.test(name)) out.push(path);
  }
  return out.sort();
}

function buildCapture() {
  mkdirSync(DIR, { recursive: true });
  const big = join(DIR, `decode-${String(SIZE / 1024 / 1024)}mb.pcap`);
  if (existsSync(big)) return big;
  const all = capturesUnder(join(shared, 'pcap'));
  const info = execFileSync('capinfos', ['-T', '-m', '-E', ...all], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ethernet = info
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .filter((cells) => cells[1] === 'ether')
    .map((cells) => cells[0]);
  // tcprewrite refuses some malformed packets of the fuzzing captures: keep the files it takes.
  const usable = ethernet.filter(
    (f) =>
      spawnSync('tcprewrite', ['--seed=1', `--infile=${f}`, `--outfile=${join(DIR, 'probe.pcap')}`], {
        stdio: 'ignore',
      }).status === 0,
  );
  const seed = join(DIR, 'seed.pcap');
  execFileSync('mergecap', ['-a', '-F', 'pcap', '-w', seed, ...usable]);
  const seedSize = statSync(seed).size;
  const copies = Math.ceil(SIZE / seedSize);
  console.log(
    `seed: ${String(ethernet.length)} Ethernet captures, ${(seedSize / 1e6).toFixed(1)} MB; ${String(copies)} rewritten copies`,
  );
  const parts = [];
  for (let i = 1; i <= copies; i++) {
    const part = join(DIR, `part-${String(i)}.pcap`);
    execFileSync(
      'tcprewrite',
      [`--seed=${String(i)}`, `--enet-mac-seed=${String(i)}`, `--infile=${seed}`, `--outfile=${part}`],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    parts.push(part);
  }
  execFileSync('mergecap', ['-a', '-F', 'pcap', '-w', big, ...parts]);
  for (const part of parts) rmSync(part);
  return big;
}

/** Runs a command under /usr/bin/time -v; returns wall seconds and peak RSS in MB. */
function timed(label, command, args) {
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (result.status !== 0 || wall === null || rss === null) {
    console.error(`${label} failed (${String(result.status)}):\n${result.stderr.slice(-2000)}`);
    process.exit(1);
  }
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { label, seconds, rssMb: Number(rss[1]) / 1024, stdout: result.stdout };
}

const file = buildCapture();
const bytes = statSync(file).size;
const packets = Number(
  /Number of packets:\s+(\d+)/.exec(execFileSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' }))?.[1],
);
console.log(`capture: ${file}, ${(bytes / 1e9).toFixed(2)} GB, ${String(packets)} packets`);

const runs = [];
const ward = timed('ward scan', process.execPath, [join(repo, 'packages/cli/dist/bin.js'), 'scan', file, '--json']);
const scanned = JSON.parse(ward.stdout);
console.log(
  `ward: ${String(scanned.devices.length)} devices, ${String(scanned.stats.flows)} flows, ${String(scanned.stats.packets)} packets, ${String(scanned.stats.decodeErrors)} decode errors`,
);
runs.push(ward);
runs.push(timed('ndpiReader -i FILE -q', 'ndpiReader', ['-i', file, '-q']));
if (!SKIP_TSHARK) {
  runs.push(timed('tshark -r FILE -q', 'tshark', ['-r', file, '-q']));
  runs.push(timed('tshark -T fields -e frame.number', 'tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number']));
}

const rows = runs.map((r) => ({
  tool: r.label,
  seconds: r.seconds.toFixed(2),
  'Gbit/s': ((bytes * 8) / r.seconds / 1e9).toFixed(3),
  'packets/s': Math.round(packets / r.seconds).toLocaleString('en'),
  'peak RSS MB': r.rssMb.toFixed(0),
  'ward speed ×': (r.seconds / ward.seconds).toFixed(2),
}));
console.table(rows);
const ndpi = runs.find((r) => r.label.startsWith('ndpiReader'));
// `tshark -r FILE -q` with no tap only reads the file (it prints nothing, so it dissects nothing):
// the dissecting run is the comparable peer.
const tshark = runs.find((r) => r.label === 'tshark -T fields -e frame.number');
console.log(
  `goals: ≥ 20× tshark: ${tshark === undefined ? 'not run' : `${(tshark.seconds / ward.seconds).toFixed(1)}×`}; ` +
    `≥ ndpiReader's Gbit/s: ${ndpi === undefined ? '-' : `${(ndpi.seconds / ward.seconds).toFixed(2)}× its speed`}; ` +
    `peak RSS ≤ 256 MB: ${ward.rssMb.toFixed(0)} MB`,
);
