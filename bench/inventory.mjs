// Ward's inventory benchmark: with 1,000,000 devices stored, the p95 of filtered, sorted page
// lists (goal < 50 ms) and a 100,000-row CMMS CSV import (goal < 30 s), on SQLite and then on
// PostgreSQL (its own schema, dropped afterwards). Peer for the import: csv-parse alone on the same
// file (the floor any importer reading it pays); ratios against the goals and between backends.
//
//   npm run bench:inventory
//   node bench/inventory.mjs --devices 1000000 --import 100000 --queries 300 [--skip-pg] [--dir D]
//
// The rows come from real vocabularies: manufacturers and models of the FHIR examples and of
// CISA ICS medical advisories (ICSMA), hospital departments and units, device types with the
// criticality a clinical engineer would give them, MACs under each vendor's real OUI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InventoryService, readCsv } from '@ward/inventory';
import { openPostgresStore, openSqliteStore } from '@ward/store';
import pg from 'pg';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}
const DEVICES = Number(option('devices', 1_000_000));
const IMPORT = Number(option('import', 100_000));
const QUERIES = Number(option('queries', 300));
const SEED_BATCH = Number(option('seed-batch', 50_000));
const SKIP_PG = process.argv.includes('--skip-pg');
const PG_URL = process.env.WARD_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

// [manufacturer, OUI, type, criticality, [models], firmware versions]
const CATALOGUE = [
  [
    'BD',
    '00:1e:c0',
    'infusion-pump',
    'life-sustaining',
    ['Alaris PC 8015', 'Alaris 8100 LVP'],
    ['9.19.2', '9.33.1', '12.1.2'],
  ],
  [
    'Baxter',
    '00:0e:8f',
    'infusion-pump',
    'life-sustaining',
    ['Sigma Spectrum 35700', 'Spectrum IQ'],
    ['8.00.01', '8.01.01', '9.02'],
  ],
  [
    'B. Braun',
    '00:12:3c',
    'infusion-pump',
    'life-sustaining',
    ['Infusomat Space', 'Perfusor Space'],
    ['686E', '687N', '695E'],
  ],
  [
    'Smiths Medical',
    '00:1c:a2',
    'infusion-pump',
    'life-sustaining',
    ['Medfusion 4000', 'CADD-Solis'],
    ['1.1.2', '1.6.1'],
  ],
  ['ICU Medical', '00:1a:69', 'infusion-pump', 'life-sustaining', ['Plum 360', 'LifeCare PCA'], ['15.10', '15.11']],
  [
    'Fresenius Kabi',
    '00:19:d2',
    'infusion-pump',
    'life-sustaining',
    ['Agilia Connect', 'Volumat Agilia'],
    ['2.3', '3.3'],
  ],
  [
    'Philips',
    '00:09:fb',
    'patient-monitor',
    'life-supporting',
    ['IntelliVue MX800', 'IntelliVue MX450', 'IntelliVue MP70'],
    ['M.00.03', 'N.00.02', 'L.01.10'],
  ],
  [
    'GE Healthcare',
    '00:00:c9',
    'patient-monitor',
    'life-supporting',
    ['CARESCAPE B650', 'CARESCAPE B450', 'Dash 4000'],
    ['2.0.1', '3.2', '7A'],
  ],
  [
    'Mindray',
    '00:1a:a0',
    'patient-monitor',
    'life-supporting',
    ['BeneVision N17', 'ePM 12M'],
    ['01.05.00', '02.20.00'],
  ],
  ['Nihon Kohden', '00:0f:a3', 'patient-monitor', 'life-supporting', ['BSM-6000', 'Life Scope G7'], ['01-20', '02-11']],
  ['MyCompany', '01:23:45', 'patient-monitor', 'life-supporting', ['PM1'], ['1.0']],
  ['Nonin', '00:1c:05', 'telemetry', 'diagnostic', ['3150 WristOx2'], ['1.4']],
  ['Philips', '00:09:fb', 'telemetry', 'diagnostic', ['IntelliVue MX40'], ['B.06.59']],
  [
    'Medtronic',
    '00:0b:ab',
    'ventilator',
    'life-sustaining',
    ['Puritan Bennett 980', 'Puritan Bennett 840'],
    ['PB980 2.1', '4.01.00'],
  ],
  ['Hamilton Medical', '00:50:c2', 'ventilator', 'life-sustaining', ['HAMILTON-C6', 'HAMILTON-G5'], ['2.2.4', '1.3.2']],
  ['Dräger', '00:13:a4', 'ventilator', 'life-sustaining', ['Evita V800', 'Savina 300'], ['2.51', '3.12']],
  [
    'Dräger',
    '00:13:a4',
    'anaesthesia-workstation',
    'life-sustaining',
    ['Perseus A500', 'Fabius Plus XL'],
    ['2.01', '3.33'],
  ],
  [
    'GE Healthcare',
    '00:00:c9',
    'anaesthesia-workstation',
    'life-sustaining',
    ['Aisys CS2', 'Carestation 650'],
    ['11', '10.1'],
  ],
  ['Siemens Healthineers', '00:1b:1b', 'ct', 'diagnostic', ['SOMATOM go.Up', 'SOMATOM Force'], ['VA30A', 'VB20A']],
  ['GE Healthcare', '00:00:c9', 'ct', 'diagnostic', ['Revolution CT', 'Optima CT660'], ['23MW21', '16MW11']],
  ['Siemens Healthineers', '00:1b:1b', 'mr', 'diagnostic', ['MAGNETOM Vida', 'MAGNETOM Aera'], ['XA31', 'VE11C']],
  ['Philips', '00:09:fb', 'mr', 'diagnostic', ['Ingenia Ambition', 'Achieva 1.5T'], ['5.7.1', '5.4']],
  ['Carestream', '00:0d:72', 'x-ray', 'diagnostic', ['DRX-Evolution Plus', 'DRX-Revolution'], ['5.7.412', '5.8']],
  ['Fujifilm', '00:17:c8', 'x-ray', 'diagnostic', ['FDR Visionary Suite', 'FDR Go PLUS'], ['V6.0', 'V7.1']],
  ['Philips', '00:09:fb', 'ultrasound', 'diagnostic', ['EPIQ 7', 'Affiniti 70'], ['9.0.3', '7.0']],
  ['GE Healthcare', '00:00:c9', 'ultrasound', 'diagnostic', ['Voluson E10', 'LOGIQ E10'], ['BT21', 'R3']],
  ['Agfa HealthCare', '00:80:5f', 'pacs', 'diagnostic', ['Enterprise Imaging'], ['8.1.4', '8.2']],
  ['Sectra', '00:1d:8e', 'pacs', 'diagnostic', ['Sectra PACS'], ['24.2', '25.1']],
  ['Roche Diagnostics', '00:90:25', 'lab-analyser', 'diagnostic', ['cobas 8000', 'cobas pure'], ['03-02', '01-05']],
  ['Abbott', '00:11:85', 'lab-analyser', 'diagnostic', ['Alinity ci', 'Architect i2000SR'], ['3.4', '9.4']],
  ['Siemens Healthineers', '00:1b:1b', 'lab-analyser', 'diagnostic', ['Atellica Solution'], ['1.27']],
  [
    'BD',
    '00:1e:c0',
    'medication-dispensing-cabinet',
    'therapeutic',
    ['Pyxis MedStation ES', 'Pyxis MedStation 4000'],
    ['1.7.1', '1.3'],
  ],
  [
    'Omnicell',
    '00:24:3f',
    'medication-dispensing-cabinet',
    'therapeutic',
    ['XT Automated Dispensing Cabinet'],
    ['18.1'],
  ],
  ['Hillrom', '00:0c:cc', 'nurse-call', 'non-clinical', ['Voalte Nurse Call', 'Navicare'], ['3.1', '6.3']],
  ['Rauland', '00:60:34', 'nurse-call', 'non-clinical', ['Responder 5'], ['5.8']],
  [
    'Dell',
    '00:14:22',
    'clinical-workstation',
    'non-clinical',
    ['OptiPlex 7090', 'Latitude 5520'],
    ['Windows 10 21H2', 'Windows 11 23H2'],
  ],
  ['InterSystems', '00:50:56', 'interface-engine', 'non-clinical', ['HealthShare Health Connect'], ['2023.1']],
  ['Johnson Controls', '00:0c:c1', 'building-iot', 'non-clinical', ['Metasys NAE55'], ['11.0']],
];
const DEPARTMENTS = [
  ['ICU', ['ICU-A', 'ICU-B']],
  ['Emergency', ['ED', 'Resus']],
  ['Radiology', ['CT', 'MR', 'X-Ray']],
  ['Oncology', ['Infusion Suite', 'Ward 7']],
  ['Cardiology', ['CCU', 'Cath Lab']],
  ['Surgery', ['OR', 'PACU']],
  ['Neonatal', ['NICU']],
  ['Laboratory', ['Core Lab']],
  ['Pharmacy', ['Inpatient Pharmacy']],
  ['Medicine', ['Ward 3', 'Ward 4', 'Ward 5']],
];
const SITES = [
  ['Main Campus', ['Tower A', 'Tower B', 'Diagnostic Centre']],
  ['North Hospital', ['Block 1', 'Block 2']],
  ['Children’s', ['Main']],
];

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}
const pick = (r, list) => list[Math.floor(r() * list.length)];
const hex2 = (n) => n.toString(16).padStart(2, '0');

/** Device number i as a CMMS row. */
function deviceRow(i) {
  const r = rng(i * 2654435761);
  const [vendor, oui, type, criticality, models, firmware] = pick(r, CATALOGUE);
  const [department, units] = pick(r, DEPARTMENTS);
  const [site, buildings] = pick(r, SITES);
  const model = pick(r, models);
  const mac = `${oui}:${hex2((i >>> 16) & 0xff)}:${hex2((i >>> 8) & 0xff)}:${hex2(i & 0xff)}`;
  const ip = `10.${String(20 + ((i >>> 16) & 0x3f))}.${String((i >>> 8) & 0xff)}.${String(i & 0xff)}`;
  return {
    asset: `BME-${String(i).padStart(7, '0')}`,
    serial: `${model
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 4)
      .toUpperCase()}-${String((i * 7919) % 9_999_991).padStart(7, '0')}`,
    vendor,
    model,
    firmware: pick(r, firmware),
    ip,
    mac: i % 5 === 0 ? '' : mac,
    location: `${site} / ${pick(r, buildings)} / ${pick(r, units)} / Room ${String(1 + Math.floor(r() * 40))}`,
    department,
    type: type.replace(/-/g, ' '),
    criticality,
    lastSeen: i % 3 === 0 ? '' : new Date(Date.UTC(2026, 10, 1) + Math.floor(r() * 27 * 86_400_000)).toISOString(),
  };
}

const HEADER =
  'Asset Tag,Serial No,Manufacturer,Model,Software Version,IP Address,MAC Address,Location,Department,Device Type,Criticality';
const csvLine = (d) =>
  [d.asset, d.serial, d.vendor, d.model, d.firmware, d.ip, d.mac, d.location, d.department, d.type, d.criticality]
    .map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
    .join(',');

function csvOf(from, count) {
  const lines = [HEADER];
  for (let i = from; i < from + count; i++) lines.push(csvLine(deviceRow(i)));
  return lines.join('\n') + '\n';
}

/**
 * Seeds `count` devices through the service, SEED_BATCH per transaction: each batch's CSV read by
 * the CSV importer, with the last-seen time of the two thirds the sensor saw added to the same
 * observations (one write per device instead of an import and then a sensor update).
 */
async function seed(service, count) {
  const t0 = performance.now();
  for (let from = 0; from < count; from += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, count - from);
    const read = readCsv(csvOf(from, n), { file: 'seed.csv', sourceLabel: 'seed' });
    if (read.problems.length > 0) throw new Error(`seed rows rejected: ${JSON.stringify(read.problems.slice(0, 3))}`);
    const observations = read.observations.map((o, k) => {
      const seen = deviceRow(from + k).lastSeen;
      return seen === '' ? o : { ...o, fields: { ...o.fields, 'network.firstSeen': seen, 'network.lastSeen': seen } };
    });
    await service.applyObservations(observations, { kind: 'csv', file: 'seed.csv', mapping: null });
    process.stdout.write(
      `\r  seeded ${(from + n).toLocaleString('en')} / ${count.toLocaleString('en')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  process.stdout.write('\n');
  return performance.now() - t0;
}

const QUERY_KINDS = [
  ['type, sort name', (r) => ({ type: pick(r, CATALOGUE)[2], sort: 'name' })],
  [
    'criticality + department, sort name',
    (r) => ({ criticality: pick(r, CATALOGUE)[3], department: pick(r, DEPARTMENTS)[0], sort: 'name' }),
  ],
  [
    'vendor prefix, sort last seen desc',
    (r) => ({ vendor: pick(r, CATALOGUE)[0].slice(0, 4), sort: 'lastSeen', order: 'desc' }),
  ],
  [
    'seen since, sort last seen desc',
    (r) => ({
      seenSince: new Date(Date.UTC(2026, 10, 1 + Math.floor(r() * 26))).toISOString(),
      sort: 'lastSeen',
      order: 'desc',
    }),
  ],
  ['department, sort criticality', (r) => ({ department: pick(r, DEPARTMENTS)[0], sort: 'criticality' })],
  ['full text (model word), sort name', (r) => ({ q: pick(r, pick(r, CATALOGUE)[4]).split(' ')[0], sort: 'name' })],
  ['type, 5th page by cursor', (r) => ({ type: pick(r, CATALOGUE)[2], sort: 'name', pages: 5 })],
];

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function timeQueries(service) {
  const r = rng(42);
  const all = [];
  const perKind = [];
  for (const [label, make] of QUERY_KINDS) {
    const times = [];
    for (let i = 0; i < QUERIES; i++) {
      const { pages = 1, ...q } = make(r);
      let cursor;
      for (let p = 0; p < pages; p++) {
        const t0 = performance.now();
        const page = await service.list({ ...q, limit: 50, cursor });
        const dt = performance.now() - t0;
        if (p === pages - 1) times.push(dt);
        cursor = page.nextCursor ?? undefined;
        if (cursor === undefined) break;
      }
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    perKind.push([label, quantile(times, 0.5), quantile(times, 0.95)]);
  }
  all.sort((a, b) => a - b);
  return { p50: quantile(all, 0.5), p95: quantile(all, 0.95), p99: quantile(all, 0.99), perKind, count: all.length };
}

async function run(label, store) {
  console.log(`\n${label}: ${store.location}`);
  await store.migrate();
  const service = new InventoryService(store);
  const seedMs = await seed(service, DEVICES);
  console.log(
    `  seed             ${DEVICES.toLocaleString('en')} devices in ${(seedMs / 1000).toFixed(1)} s (${Math.round(DEVICES / (seedMs / 1000)).toLocaleString('en')} devices/s through the service)`,
  );
  // Warm up, then time.
  await timeQueries(service).catch(() => undefined);
  const q = await timeQueries(service);
  console.log(
    `  list page (50)   p50 ${q.p50.toFixed(2)} ms, p95 ${q.p95.toFixed(2)} ms, p99 ${q.p99.toFixed(2)} ms over ${q.count} queries; goal p95 < 50 ms: ${q.p95 < 50 ? 'met' : 'MISSED'} (${(q.p95 / 50).toFixed(2)}× the goal)`,
  );
  for (const [kind, p50, p95] of q.perKind)
    console.log(`    ${kind.padEnd(38)} p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`);

  const csv = csvOf(DEVICES, IMPORT);
  const p0 = performance.now();
  parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  const parseMs = performance.now() - p0;
  const t0 = performance.now();
  const report = await service.import(csv, { file: 'cmms-new.csv' });
  const importMs = performance.now() - t0;
  if (report.created !== IMPORT)
    throw new Error(`expected ${IMPORT} created, got ${JSON.stringify({ ...report, outcomes: undefined })}`);
  const t1 = performance.now();
  const again = await service.import(csv, { file: 'cmms-new.csv' });
  const againMs = performance.now() - t1;
  if (again.unchanged !== IMPORT) throw new Error('re-import changed something');
  console.log(
    `  import ${IMPORT.toLocaleString('en')} rows  ${(importMs / 1000).toFixed(2)} s (${Math.round(IMPORT / (importMs / 1000)).toLocaleString('en')} rows/s); goal < 30 s: ${importMs < 30_000 ? 'met' : 'MISSED'} (${(importMs / 30_000).toFixed(2)}× the goal)`,
  );
  console.log(
    `  peer: csv-parse alone on the same file ${(parseMs / 1000).toFixed(2)} s; ward import / parse = ${(importMs / parseMs).toFixed(1)}×`,
  );
  console.log(
    `  re-import (no-op) ${(againMs / 1000).toFixed(2)} s: ${again.unchanged.toLocaleString('en')} unchanged, nothing written`,
  );
  return { p95: q.p95, p50: q.p50, importMs, againMs, seedMs };
}

console.log(
  `inventory benchmark: ${DEVICES.toLocaleString('en')} devices, ${IMPORT.toLocaleString('en')}-row import, ${QUERIES} queries of each kind; node ${process.version}`,
);
const dir = option('dir', mkdtempSync(join(tmpdir(), 'ward-bench-inventory-')));
const sqlite = openSqliteStore({ dataDir: dir });
let a;
try {
  a = await run('SQLite', sqlite);
} finally {
  await sqlite.close();
  if (option('dir', undefined) === undefined) rmSync(dir, { recursive: true, force: true });
}

if (SKIP_PG) {
  console.log('\nPostgreSQL: skipped (--skip-pg)');
} else {
  const schema = `ward_bench_${process.pid}`;
  let b;
  try {
    const store = await openPostgresStore({ url: PG_URL, schema });
    try {
      b = await run('PostgreSQL', store);
    } finally {
      await store.close();
    }
  } catch (error) {
    console.log(`\nPostgreSQL: not run (${error.code ?? ''} ${error.message})`);
  } finally {
    const pool = new pg.Pool({ connectionString: PG_URL });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
  if (b !== undefined) {
    console.log(
      `\nratios PostgreSQL / SQLite: list p95 ${(b.p95 / a.p95).toFixed(2)}×, import ${(b.importMs / a.importMs).toFixed(2)}×, seed ${(b.seedMs / a.seedMs).toFixed(2)}×`,
    );
  }
}
