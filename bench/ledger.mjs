// Ward's integrity ledger benchmark: durable appends, proof latency, and a full verify, beside
// @transmute/rfc9162 (an independent RFC 9162 implementation) on the same entries.
//
//   npm run build && node bench/ledger.mjs --leaves 1000000
//
// Options: --leaves N (default 1,000,000), --batch B entries per durable transaction (50,000),
// --proofs K proofs of each kind to time (2,000), --peer-leaves M leaves given to the peer
// (100,000: it holds every entry in memory and recomputes the tree for each proof),
// --dir D the log directory (a fresh temporary folder), --reuse to time proofs and verify on a log
// already in --dir (its append is not timed again), --skip-verify to leave out the full verify.
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { encodeEntry } from '@ward/ledger';
import { LedgerService, createEntryHasher, loadOrCreateLedgerKeys } from '@ward/services';
import { openSqliteStore } from '@ward/store';

const { RFC9162 } = createRequire(import.meta.url)('@transmute/rfc9162');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}
const N = Number(option('leaves', 1_000_000));
const BATCH = Number(option('batch', 50_000));
const PROOFS = Number(option('proofs', 2_000));
const PEER = Math.min(N, Number(option('peer-leaves', 100_000)));
const dir = option('dir', mkdtempSync(join(tmpdir(), 'ward-bench-ledger-')));
const REUSE = process.argv.includes('--reuse');
const SKIP_VERIFY = process.argv.includes('--skip-verify');

const entryOf = (i) => ({
  kind: 'access',
  at: new Date(Date.UTC(2026, 10, 28, 8) + i * 37).toISOString(),
  actor: `user-${String(i % 4_000)}`,
  role: ['clinical-engineer', 'security-analyst', 'auditor'][i % 3],
  action: ['GET /api/v1/devices/:id', 'GET /api/v1/devices', 'POST /api/v1/ledger/records'][i % 3],
  object: `dev-${String(i % 25_000)}`,
  outcome: 'allowed',
  status: 200,
});

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (x) => `${x.toFixed(3)} ms`;
const rate = (count, millis) => Math.round(count / (millis / 1000));
const random = (() => {
  let s = 0x2545f491;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
})();

console.log(
  `ledger benchmark: ${N.toLocaleString('en')} leaves, batches of ${BATCH.toLocaleString('en')}, ${PROOFS} proofs; node ${process.version}; log in ${dir}`,
);

// 1. Durable appends (one transaction and one fsync per batch).
const store = openSqliteStore({ dataDir: dir });
await store.migrate();
const keys = loadOrCreateLedgerKeys(join(dir, 'ledger.key'), 'bench.ward.example/ledger');
const ledger = new LedgerService(store, keys, { batchDelayMs: 0, maxBatch: BATCH, hasher: createEntryHasher() });
const reused = REUSE && (await store.ledger.size()) >= N;
let t = performance.now();
if (!reused) {
  // Two batches in flight, as concurrent writers would keep it: one is hashed while one is stored.
  const inflight = [];
  for (let i = 0; i < N; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(N, i + BATCH); j += 1) batch.push(entryOf(j));
    inflight.push(ledger.append(batch));
    if (inflight.length >= 2) await inflight.shift();
  }
  await Promise.all(inflight);
}
const appendMs = performance.now() - t;
const wardAppend = rate(N, appendMs);
const bytes = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);

// Peer: @transmute/rfc9162 computes the tree head of the same entries (in memory, no storage).
const peerEntries = Array.from({ length: PEER }, (_, i) => encodeEntry(entryOf(i)));
t = performance.now();
const peerRoot = await RFC9162.treeHead(peerEntries);
const peerHeadMs = performance.now() - t;
const peerAppend = rate(PEER, peerHeadMs);
const wardAtPeer = await ledger.inclusion(0, PEER);
const sameRoot = Buffer.from(peerRoot).toString('hex') === wardAtPeer.rootHash;

if (reused) console.log('\nappend                (reused the log in --dir; not timed)');
else
  console.log(
    `\nappend (durable)      ward ${wardAppend.toLocaleString('en')} entries/s (${(appendMs / 1000).toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(0)} MiB on disk)`,
  );
console.log(
  `tree head (memory)    @transmute/rfc9162 ${peerAppend.toLocaleString('en')} entries/s on ${PEER.toLocaleString('en')} entries; same root as ward: ${sameRoot}`,
);
if (!reused)
  console.log(`ratio                 ward durable / peer in-memory = ${(wardAppend / peerAppend).toFixed(2)}×`);

// 2. Proof latency at N leaves: a first pass from a cold start, then a second, warm one (page cache
// and the in-memory upper levels filled, as in a server that has been running).
async function timeProofs() {
  const inclusion = [];
  const consistency = [];
  for (let k = 0; k < PROOFS; k += 1) {
    const index = Math.floor(random() * N);
    let s = performance.now();
    await ledger.inclusion(index, N);
    inclusion.push(performance.now() - s);
    const first = 1 + Math.floor(random() * (N - 1));
    s = performance.now();
    await ledger.consistency(first, N);
    consistency.push(performance.now() - s);
  }
  inclusion.sort((a, b) => a - b);
  consistency.sort((a, b) => a - b);
  return { inclusion, consistency };
}
const cold = await timeProofs();
const { inclusion, consistency } = await timeProofs();
// Peer proofs: it recomputes from every entry, so a handful at its own size.
const peerInclusion = [];
for (let k = 0; k < 5; k += 1) {
  const s = performance.now();
  await RFC9162.inclusionProof(peerEntries[Math.floor(random() * PEER)], peerEntries);
  peerInclusion.push(performance.now() - s);
}
peerInclusion.sort((a, b) => a - b);
console.log(
  `\ninclusion proof       ward at ${N.toLocaleString('en')}, cold: p50 ${ms(quantile(cold.inclusion, 0.5))}, p99 ${ms(quantile(cold.inclusion, 0.99))}`,
);
console.log(
  `consistency proof     ward at ${N.toLocaleString('en')}, cold: p50 ${ms(quantile(cold.consistency, 0.5))}, p99 ${ms(quantile(cold.consistency, 0.99))}`,
);
console.log(
  `inclusion proof       ward at ${N.toLocaleString('en')}, warm: p50 ${ms(quantile(inclusion, 0.5))}, p99 ${ms(quantile(inclusion, 0.99))}`,
);
console.log(
  `consistency proof     ward at ${N.toLocaleString('en')}, warm: p50 ${ms(quantile(consistency, 0.5))}, p99 ${ms(quantile(consistency, 0.99))}`,
);
console.log(
  `inclusion proof       @transmute/rfc9162 at ${PEER.toLocaleString('en')}: p50 ${ms(quantile(peerInclusion, 0.5))}`,
);
console.log(
  `ratio                 peer p50 / ward p50 = ${(quantile(peerInclusion, 0.5) / quantile(inclusion, 0.5)).toFixed(0)}×`,
);

if (SKIP_VERIFY) {
  await ledger.close();
  await store.close();
  process.exit(0);
}
// 3. Full verify, beside SHA-256 on one core: the same leaf and node hashes from memory.
t = performance.now();
const report = await ledger.verify();
const verifyMs = performance.now() - t;
t = performance.now();
const levelHashes = [];
for (let i = 0; i < N; i += 1)
  levelHashes.push(
    createHash('sha256')
      .update(Buffer.from([0]))
      .update(encodeEntry(entryOf(i)))
      .digest(),
  );
for (let level = levelHashes; level.length > 1;) {
  const next = [];
  for (let i = 0; i + 1 < level.length; i += 2)
    next.push(
      createHash('sha256')
        .update(Buffer.from([1]))
        .update(level[i])
        .update(level[i + 1])
        .digest(),
    );
  level = next;
}
const shaMs = performance.now() - t;
console.log(
  `\nfull verify           ward ${(verifyMs / 1000).toFixed(1)} s (${rate(N, verifyMs).toLocaleString('en')} leaves/s), ok: ${report.ok}, ${report.checkpoints} checkpoints`,
);
console.log(`SHA-256 bound         node:crypto, one core, same hashes from memory: ${(shaMs / 1000).toFixed(1)} s`);
console.log(`ratio                 ward verify / SHA-256 bound = ${(verifyMs / shaMs).toFixed(2)}×`);

await ledger.close();
await store.close();
if (option('dir', undefined) === undefined) rmSync(dir, { recursive: true, force: true });
