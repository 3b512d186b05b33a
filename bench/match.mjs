// Ward's matcher benchmark: a full re-match of a fleet of SBOMs (and their devices) against an
// NVD-sized catalogue, and one new advisory against the whole fleet.
//
//   npm run bench:match   (= tsc -b tsconfig.build.json && node --expose-gc bench/match.mjs)
//
// Options: --cves N catalogue size (default 250,000), --sboms S (10,000), --components C per SBOM
// (300), --pool P distinct components the fleet draws from (30,000), --advisories A new advisories
// timed one by one (200), --in F share of pool components inside an affected range (0.1).
//
// The catalogue is built by replicating the real records in ../shared/data/vulnerability (NVD API
// 2.0, CVE JSON 5, OSV, CISA ICSMA CSAF), each copy with a new id and its products renamed to one
// of many variants, so index buckets and version ranges look like the real ones. Components are
// derived from the catalogue's own CPE criteria, purls and named products, with a version inside
// or outside the range. No peer is installed on this machine to compare with (Dependency-Track,
// Grype and OSV-Scanner need their own databases fetched online); the figures stand alone.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FleetIndex,
  MatchCache,
  VulnerabilityIndex,
  matchNewVulnerability,
  matchSubject,
  parseFeed,
} from '@ward/intel';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}
const CVES = option('cves', 250_000);
const SBOMS = option('sboms', 10_000);
const PER = option('components', 300);
const POOL = option('pool', 30_000);
const ADVISORIES = option('advisories', 200);
const IN_SHARE = option('in', 0.1);

const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
const dataDir = [resolve(repoRoot, '../shared/data'), resolve(repoRoot, '../../shared/data')].find((d) =>
  existsSync(d),
);
if (dataDir === undefined) {
  console.error('bench/match: ../shared/data is absent; the benchmark replicates its real records');
  process.exit(1);
}

let seed = 0x9e3779b9;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const pick = (list) => list[Math.floor(random() * list.length)];
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
let peakRss = 0;
// Wall time and this process's CPU time (user + system) for a phase: on a shared machine the CPU
// time is the one-core figure; the wall time includes waiting for the CPU.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const settle = () => globalThis.gc?.();
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

// 1. Templates: every real record, parsed by Ward's own parsers.
const walk = (d) =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const templates = [];
for (const folder of [
  'nvd-api2-json-nvdlib-fixtures',
  'cve-json5-vulnrichment-icsma',
  'osv-samples',
  'cisa-csaf-icsma',
]) {
  for (const file of walk(join(dataDir, 'vulnerability', folder)).filter((f) => f.endsWith('.json'))) {
    const r = await parseFeed(readFileSync(file, 'utf8'), file);
    if (r.kind === 'vulnerabilities')
      templates.push(...r.vulnerabilities.filter((v) => v.affected.length > 0 && v.withdrawn !== true));
  }
}

// 2. The catalogue: copy i of template i % T, products renamed to variant floor(i / T).
const renameCpe = (cpe, k) => {
  const parts = cpe.split(':');
  if (parts.length !== 13) return cpe;
  parts[3] = `${parts[3]}_v${k}`;
  parts[4] = `${parts[4]}_v${k}`;
  return parts.join(':');
};
const renamePurl = (purl, k) =>
  purl.replace(/^(pkg:[^/]+\/(?:[^?@#]*\/)?)([^/?@#]+)/, (_, head, name) => `${head}${name}-v${k}`);
const renameNode = (node, k) => ({
  ...node,
  matches: node.matches.map((m) => ({ ...m, criteria: renameCpe(m.criteria, k) })),
  children: node.children.map((c) => renameNode(c, k)),
});
function variant(template, i, k) {
  return {
    ...template,
    id: `CVE-${2000 + (i % 25)}-${String(1_000_000 + i)}`,
    origin: `${template.origin}~${k}`,
    affected: template.affected.map((spec) =>
      spec.kind === 'purl'
        ? { ...spec, purl: renamePurl(spec.purl, k) }
        : spec.kind === 'cpe-config'
          ? { ...spec, nodes: spec.nodes.map((n) => renameNode(n, k)) }
          : { ...spec, products: spec.products.map((p) => ({ ...p, product: `${p.product} v${k}` })) },
    ),
  };
}
const t0 = performance.now();
const catalogue = [];
for (let i = 0; i < CVES; i++)
  catalogue.push(variant(templates[i % templates.length], i, Math.floor(i / templates.length)));
const tCatalogue = performance.now() - t0;
sampleRss();

// 3. Components derived from catalogue entries, inside or outside their ranges.
const inside = (range) =>
  range.versions?.[0] ??
  range.startIncluding ??
  range.endIncluding ??
  range.lastAffected ??
  (range.introduced && range.introduced !== '0' ? range.introduced : '0.0.1');
const componentsOf = (vuln, inRange, n) => {
  const out = [];
  for (const spec of vuln.affected) {
    if (spec.kind === 'purl') {
      const version = inRange ? inside(spec.ranges[0] ?? {}) : '99999.0.0';
      out.push({
        ref: `c${n}-${out.length}`,
        name: spec.purl,
        version,
        supplier: null,
        purl: `${spec.purl.replace(/\?.*$/, '')}@${encodeURIComponent(version)}`,
        cpe: null,
        hashes: [],
        kind: 'library',
      });
    } else if (spec.kind === 'cpe-config') {
      const visit = (node) => {
        for (const m of node.matches) {
          const parts = m.criteria.split(':');
          const version = m.range === undefined ? parts[5] : inRange ? inside(m.range) : '99999';
          parts[5] = version === '*' || version === '-' ? version : version.replace(/:/g, '\\:');
          out.push({
            ref: `c${n}-${out.length}`,
            name: parts[4],
            version: version === '*' || version === '-' ? null : version,
            supplier: null,
            purl: null,
            cpe: parts.join(':'),
            hashes: [],
            kind: parts[2] === 'h' ? 'device' : 'library',
          });
        }
        node.children.forEach(visit);
      };
      spec.nodes.forEach(visit);
    }
  }
  return out;
};
const pool = [];
const namedProducts = [];
for (const v of catalogue)
  for (const s of v.affected) if (s.kind === 'named-product') namedProducts.push(...s.products);
while (pool.length < POOL) {
  const v = pick(catalogue);
  const inRange = random() < IN_SHARE;
  // A component group (e.g. firmware + its hardware) stays together.
  const group = componentsOf(v, inRange, pool.length);
  if (group.length > 0) pool.push(group.slice(0, 4));
}
const fleet = [];
for (let s = 0; s < SBOMS; s++) {
  const components = [];
  while (components.length < PER) components.push(...pick(pool));
  const p = pick(namedProducts);
  const firmware = random() < IN_SHARE ? (p.version?.split('|')[0]?.trim() ?? '1.0') : '99999.1';
  fleet.push({
    device: { id: `dev-${s}`, manufacturer: p.vendor, model: p.product, firmware },
    components: components.slice(0, PER),
  });
}
sampleRss();

// 4. Full re-match.
settle();
let t = performance.now();
let c = cpuMs();
const index = VulnerabilityIndex.of(catalogue);
const tIndex = performance.now() - t;
const cIndex = cpuMs() - c;
sampleRss();
settle();
t = performance.now();
c = cpuMs();
const cache = new MatchCache();
let findings = 0;
let byRule = {};
for (const subject of fleet) {
  const fs = matchSubject(index, subject, {}, cache);
  findings += fs.length;
  for (const f of fs) byRule[f.matchedBy] = (byRule[f.matchedBy] ?? 0) + 1;
  if ((findings & 0x3ff) === 0) sampleRss();
}
const tMatch = performance.now() - t;
const cMatch = cpuMs() - c;
sampleRss();

// 5. One new advisory against the whole fleet.
settle();
t = performance.now();
c = cpuMs();
const fleetIndex = new FleetIndex(fleet);
const tFleet = performance.now() - t;
const cFleet = cpuMs() - c;
sampleRss();
settle();
const times = [];
const cpuTimes = [];
let adFindings = 0;
for (let a = 0; a < ADVISORIES; a++) {
  const i = Math.floor(random() * CVES);
  const fresh = { ...catalogue[i], id: `CVE-2026-${String(900_000 + a)}` };
  const s = performance.now();
  const sc = cpuMs();
  adFindings += matchNewVulnerability(fleetIndex, fresh).length;
  times.push(performance.now() - s);
  cpuTimes.push(cpuMs() - sc);
}
times.sort((x, y) => x - y);
cpuTimes.sort((x, y) => x - y);
const q = (p, list = times) => list[Math.min(list.length - 1, Math.floor(p * list.length))];
sampleRss();

const components = SBOMS * PER;
console.log(`templates            ${templates.length} real records (NVD API 2.0, CVE JSON 5, OSV, CSAF ICSMA)`);
console.log(
  `catalogue            ${CVES.toLocaleString('en')} vulnerabilities built in ${(tCatalogue / 1000).toFixed(2)} s`,
);
console.log(
  `fleet                ${SBOMS.toLocaleString('en')} SBOMs × ${PER} components = ${components.toLocaleString('en')} (pool ${POOL.toLocaleString('en')}), ${SBOMS.toLocaleString('en')} devices`,
);
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`index build          wall ${sec(tIndex)}, CPU ${sec(cIndex)}`);
console.log(
  `full re-match        wall ${sec(tMatch)}, CPU ${sec(cMatch)} (${Math.round(components / (cMatch / 1000)).toLocaleString('en')} components per CPU-second), ${findings.toLocaleString('en')} findings ${JSON.stringify(byRule)}`,
);
console.log(`fleet index build    wall ${sec(tFleet)}, CPU ${sec(cFleet)}`);
console.log(
  `one new advisory     wall p50 ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms; CPU p50 ${q(0.5, cpuTimes).toFixed(2)} ms, p99 ${q(0.99, cpuTimes).toFixed(2)} ms over ${ADVISORIES} advisories (${adFindings.toLocaleString('en')} findings)`,
);
console.log(`peak RSS             ${mib(peakRss)} (sampled)`);
console.log(
  `goals (CPU time)     full re-match < 10 s: ${cMatch < 10_000 ? 'met' : 'NOT met'}; new advisory < 100 ms (p99): ${q(0.99, cpuTimes) < 100 ? 'met' : 'NOT met'}; RSS < 2 GB: ${peakRss < 2 * 2 ** 30 ? 'met' : 'NOT met'}`,
);
console.log('peer                 none installed that works offline on these records; no ratio printed');
