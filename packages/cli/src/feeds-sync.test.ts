import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '@ward/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncFeeds, type SourceSyncResult } from '@ward/services';
import { ward } from './test-helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** `../shared/data` beside the checkout (the lead's `/work/main`), or two levels up from a worktree. */
const vulnDir =
  [path.resolve(repoRoot, '../shared/data'), path.resolve(repoRoot, '../../shared/data')]
    .map((d) => path.join(d, 'vulnerability'))
    .find((d) => existsSync(d)) ?? path.resolve(repoRoot, '../shared/data/vulnerability');
const have = existsSync(path.join(vulnDir, 'cisa-csaf-it')) && existsSync(path.join(vulnDir, 'cisa-kev'));
if (!have) console.warn(`skipping feeds sync tests: ${vulnDir} (cisa-csaf-it, cisa-kev, nvdlib, osv) absent`);

const CISA_BASE = 'https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white';
const NVD_PAGE = 20;
const EPSS_CSV =
  '#model_version:v2025.03.14,score_date:2026-03-01T12:55:00Z\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99956\nCVE-2017-0144,0.94,0.9995\n';

interface Hits {
  /** Requests per path (query excluded). */
  readonly paths: Map<string, number>;
  /** Query strings of the NVD requests, in order. */
  readonly nvdQueries: URLSearchParams[];
  notModified: number;
}

/** A stand-in for the real providers: the real sample files served with ETags, hashes and NVD paging. */
class FeedServer {
  readonly hits: Hits = { paths: new Map(), nvdQueries: [], notModified: 0 };
  /** Advisory names whose published hash is wrong. */
  tampered = new Set<string>();
  /** After this many advisory downloads, advisory connections are cut (a sync killed midway). */
  killAdvisoriesAfter: number | null = null;
  advisoriesServed = 0;
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server?.close(() => {
        resolve();
      }),
    );
  }

  reset(): void {
    this.hits.paths.clear();
    this.hits.nvdQueries.length = 0;
    this.hits.notModified = 0;
    this.tampered.clear();
    this.killAdvisoriesAfter = null;
    this.advisoriesServed = 0;
  }

  private send(req: IncomingMessage, res: ServerResponse, body: Buffer | string, type: string): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      this.hits.notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, etag }).end(bytes);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.base);
    const p = url.pathname;
    this.hits.paths.set(p, (this.hits.paths.get(p) ?? 0) + 1);
    if (p === '/csaf/provider-metadata.json') {
      this.send(req, res, JSON.stringify(this.providerMetadata()), 'application/json');
    } else if (p === '/csaf/feed.json') {
      const feed = readFileSync(path.join(vulnDir, 'cisa-csaf-it/cisa-csaf-it-feed-tlp-white.json'), 'utf8');
      this.send(req, res, feed.replaceAll(CISA_BASE, `${this.base}/csaf/files`), 'application/json');
    } else if (p === '/csaf-dir/provider-metadata.json') {
      const meta = this.providerMetadata() as Record<string, unknown>;
      this.send(
        req,
        res,
        JSON.stringify({ ...meta, distributions: [{ directory_url: `${this.base}/csaf-dir/white/` }] }),
        'json',
      );
    } else if (p === '/csaf-dir/white/changes.csv') {
      const feed = JSON.parse(
        readFileSync(path.join(vulnDir, 'cisa-csaf-it/cisa-csaf-it-feed-tlp-white.json'), 'utf8'),
      ) as { feed: { entry: { content: { src: string }; updated: string }[] } };
      const lines = feed.feed.entry.map((e) => `"2024/${path.basename(e.content.src)}","${e.updated}"`);
      this.send(req, res, `${lines.join('\n')}\n`, 'text/csv');
    } else if (p.startsWith('/csaf/files/2024/') || p.startsWith('/csaf-dir/white/2024/')) {
      const name = path.basename(p);
      if (p.startsWith('/csaf-dir/') && name.endsWith('.sha512')) {
        res.writeHead(404).end(); // this provider publishes SHA-256 only
        return;
      }
      const m = /^(va-[\d-]+\.json)(\.sha256|\.sha512|\.asc)?$/.exec(name);
      const file = m?.[1] === undefined ? undefined : path.join(vulnDir, 'cisa-csaf-it', m[1]);
      if (file === undefined || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const bytes = readFileSync(file);
      const suffix = m?.[2];
      if (suffix === '.sha256' || suffix === '.sha512') {
        const digest = createHash(suffix.slice(1))
          .update(this.tampered.has(m?.[1] ?? '') ? Buffer.concat([bytes, Buffer.from(' ')]) : bytes)
          .digest('hex');
        this.send(req, res, `${digest}  ${m?.[1] ?? ''}\n`, 'text/plain');
      } else if (suffix === '.asc') res.writeHead(404).end();
      else {
        if (this.killAdvisoriesAfter !== null && this.advisoriesServed >= this.killAdvisoriesAfter) {
          req.socket.destroy();
          return;
        }
        this.advisoriesServed++;
        this.send(req, res, bytes, 'application/json');
      }
    } else if (p === '/epss.csv.gz') {
      this.send(req, res, gzipSync(EPSS_CSV), 'application/gzip');
    } else if (p === '/kev.json') {
      this.send(req, res, readFileSync(path.join(vulnDir, 'cisa-kev/known_exploited_vulnerabilities.json')), 'json');
    } else if (p === '/hostile/provider-metadata.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22]));
    } else if (p === '/hostile/feed.json') {
      this.send(req, res, JSON.stringify({ feed: { entry: [{ content: { src: 'http://[::1' } }, 7, null] } }), 'json');
    } else if (p === '/hostile/pm2.json') {
      this.send(
        req,
        res,
        JSON.stringify({ distributions: [{ rolie: { feeds: [{ url: '/hostile/feed.json' }] } }] }),
        'json',
      );
    } else if (p === '/broken/kev.json') {
      res.writeHead(500).end('down');
    } else if (p.startsWith('/osv/')) {
      const file = path.join(vulnDir, 'osv-samples', path.basename(p));
      if (!existsSync(file)) res.writeHead(404).end();
      else this.send(req, res, readFileSync(file), 'application/json');
    } else if (p === '/nvd/rest/json/cves/2.0') {
      this.hits.nvdQueries.push(url.searchParams);
      this.send(req, res, JSON.stringify(nvdPage(url.searchParams)), 'application/json');
    } else res.writeHead(404).end();
  }

  private providerMetadata(): unknown {
    return {
      canonical_url: `${this.base}/csaf/provider-metadata.json`,
      distributions: [
        {
          rolie: {
            feeds: [
              {
                summary: 'CISA CSAF IT feed (TLP:WHITE)',
                tlp_label: 'WHITE',
                url: `${this.base}/csaf/feed.json`,
              },
            ],
          },
        },
      ],
      last_updated: '2024-10-10T18:21:27Z',
      list_on_CSAF_aggregators: true,
      metadata_version: '2.0',
      mirror_on_CSAF_aggregators: true,
      public_openpgp_keys: [],
      publisher: { category: 'coordinator', name: 'CISA', namespace: 'https://www.cisa.gov' },
      role: 'csaf_provider',
    };
  }
}

/** Every distinct CVE of the nvdlib fixtures, ordered by id. */
function nvdRecords(): { cve: { id: string; lastModified: string } }[] {
  const dir = path.join(vulnDir, 'nvd-api2-json-nvdlib-fixtures');
  const byId = new Map<string, { cve: { id: string; lastModified: string } }>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as {
      vulnerabilities: { cve: { id: string; lastModified: string } }[];
    };
    for (const v of doc.vulnerabilities) byId.set(v.cve.id, v);
  }
  return [...byId.values()].sort((a, b) => a.cve.id.localeCompare(b.cve.id));
}

function nvdPage(q: URLSearchParams): unknown {
  const start = q.get('lastModStartDate');
  const end = q.get('lastModEndDate');
  const all = nvdRecords().filter((v) => {
    const t = new Date(`${v.cve.lastModified}Z`).getTime();
    return (start === null || t >= new Date(start).getTime()) && (end === null || t <= new Date(end).getTime());
  });
  const startIndex = Number(q.get('startIndex') ?? '0');
  const size = Number(q.get('resultsPerPage') ?? '2000');
  const page = all.slice(startIndex, startIndex + size);
  return {
    resultsPerPage: page.length,
    startIndex,
    totalResults: all.length,
    format: 'NVD_CVE',
    version: '2.0',
    timestamp: '2026-03-01T00:00:00.000',
    vulnerabilities: page,
  };
}

describe.skipIf(!have)('ward feeds sync against a local server with the real sample files', () => {
  const server = new FeedServer();
  let sourcesFile = '';

  beforeAll(async () => {
    await server.start();
    const dir = mkdtempSync(path.join(tmpdir(), 'ward-sync-'));
    sourcesFile = path.join(dir, 'sources.json');
    writeFileSync(
      sourcesFile,
      JSON.stringify({
        sources: [
          { kind: 'nvd', name: 'nvd', url: `${server.base}/nvd/rest/json/cves/2.0`, pageSize: NVD_PAGE, delayMs: 0 },
          { kind: 'kev', name: 'kev', url: `${server.base}/kev.json` },
          { kind: 'kev', name: 'kev-mirror-down', url: `${server.base}/broken/kev.json` },
          {
            kind: 'osv',
            name: 'osv',
            urls: [`${server.base}/osv/GO-2020-0001.json`, `${server.base}/osv/PYSEC-2023-74.json`],
          },
          { kind: 'csaf', name: 'cisa-csaf', url: `${server.base}/csaf/provider-metadata.json` },
        ],
      }),
    );
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.reset();
  });

  const dataDir = () => mkdtempSync(path.join(tmpdir(), 'ward-sync-data-'));
  async function sync(dir: string, ...extra: string[]) {
    const r = await ward(
      ['feeds', 'sync', '--sources', sourcesFile, '--data-dir', dir, '--retries', '0', '--json', ...extra],
      { env: {} },
    );
    const bySource = new Map(r.json<{ sources: SourceSyncResult[] }>().sources.map((s) => [s.source, s]));
    const get = (name: string): SourceSyncResult => {
      const s = bySource.get(name);
      if (s === undefined) throw new Error(`no result for ${name}`);
      return s;
    };
    return { code: r.code, get, stderr: r.stderr };
  }
  const advisoryDownloads = () =>
    [...server.hits.paths].filter(([p]) => /\/va-[\d-]+\.json$/.test(p)).map(([p, n]) => [path.basename(p), n]);

  it('imports everything once, then sends conditional requests and imports nothing new', async () => {
    const dir = dataDir();
    const first = await sync(dir, '--source', 'nvd', '--source', 'kev', '--source', 'osv', '--source', 'cisa-csaf');
    expect(first.code).toBe(0);
    const csaf = first.get('cisa-csaf');
    expect([csaf.fetched, csaf.imported, csaf.hashesVerified, csaf.signaturesNotChecked, csaf.failed]).toEqual([
      4,
      4,
      4,
      4,
      [],
    ]);
    expect(csaf.signatures).toBe('not checked');
    expect([first.get('kev').imported, first.get('osv').imported]).toEqual([1, 2]);
    const pages = Math.ceil(nvdRecords().length / NVD_PAGE);
    expect(pages).toBeGreaterThan(1);
    expect([first.get('nvd').fetched, first.get('nvd').imported]).toEqual([pages, pages]);
    expect(server.hits.nvdQueries.map((q) => q.get('startIndex'))).toEqual(
      Array.from({ length: pages }, (_, i) => String(i * NVD_PAGE)),
    );
    expect(server.hits.nvdQueries.every((q) => q.get('lastModStartDate') === null)).toBe(true);
    const listed = await ward(['feeds', 'list', '--data-dir', dir, '--json'], { env: {} });
    const ids = listed.json<{ items: { fileName: string }[]; vulnerabilities: number }>();
    expect(ids.vulnerabilities).toBeGreaterThanOrEqual(nvdRecords().length);
    expect(ids.items.filter((i) => /va-[\d-]+\.json$/.test(i.fileName))).toHaveLength(4);
    expect(advisoryDownloads().every(([, n]) => n === 1)).toBe(true);

    server.reset();
    const second = await sync(dir, '--source', 'nvd', '--source', 'kev', '--source', 'osv', '--source', 'cisa-csaf');
    expect(second.code).toBe(0);
    for (const name of ['nvd', 'kev', 'osv', 'cisa-csaf'])
      expect(`${name} ${String(second.get(name).imported)}`).toBe(`${name} 0`);
    // provider metadata, ROLIE feed, KEV and both OSV records answered 304; no advisory was asked for again
    expect(second.get('cisa-csaf').notModified).toBe(2);
    expect(second.get('kev').notModified).toBe(1);
    expect(second.get('osv').notModified).toBe(2);
    expect(server.hits.notModified).toBe(5);
    expect(advisoryDownloads()).toEqual([]);
    expect(second.get('cisa-csaf').fetched).toBe(0);
    // NVD asks only for what changed since the first sync
    expect(server.hits.nvdQueries.length).toBeGreaterThan(0);
    expect(server.hits.nvdQueries.every((q) => q.get('lastModStartDate') !== null)).toBe(true);
    expect(second.get('nvd').imported).toBe(0);
  });

  it('follows a directory distribution (changes.csv), checks SHA-256 files and reads gzip EPSS', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'dir-sources.json');
    writeFileSync(
      file,
      JSON.stringify({
        sources: [
          { kind: 'csaf', name: 'dir', url: `${server.base}/csaf-dir/provider-metadata.json` },
          { kind: 'epss', name: 'epss', url: `${server.base}/epss.csv.gz` },
        ],
      }),
    );
    server.tampered.add('va-24-201-01.json');
    const r = await ward(['feeds', 'sync', '--sources', file, '--data-dir', dir, '--retries', '0', '--json'], {
      env: {},
    });
    const results = r.json<{ sources: SourceSyncResult[] }>().sources;
    const csaf = results.find((s) => s.source === 'dir');
    expect([csaf?.imported, csaf?.hashesVerified]).toEqual([3, 3]);
    expect(csaf?.failed.map((f) => [f.code, path.basename(f.url)])).toEqual([
      ['INTEL_SYNC_HASH_MISMATCH', 'va-24-201-01.json'],
    ]);
    expect(results.find((s) => s.source === 'epss')?.imported).toBe(1);
    const store = openSqliteStore({ dataDir: dir });
    try {
      expect((await store.vulnerabilities.listEpss()).map((e) => e.cve).sort()).toEqual([
        'CVE-2017-0144',
        'CVE-2021-44228',
      ]);
    } finally {
      await store.close();
    }
  });

  it('does not import an advisory whose published hash does not match, and imports the others', async () => {
    const dir = dataDir();
    server.tampered.add('va-24-262-01.json');
    const r = await sync(dir, '--source', 'cisa-csaf');
    expect(r.code).toBe(1);
    const csaf = r.get('cisa-csaf');
    expect(csaf.failed.map((f) => [f.code, path.basename(f.url)])).toEqual([
      ['INTEL_SYNC_HASH_MISMATCH', 'va-24-262-01.json'],
    ]);
    expect(csaf.imported).toBe(3);
    const listed = await ward(['feeds', 'list', '--data-dir', dir, '--json'], { env: {} });
    const files = listed.json<{ items: { fileName: string }[] }>().items.map((i) => path.basename(i.fileName));
    expect(files.sort()).toEqual(['va-24-201-01.json', 'va-24-254-01.json', 'va-24-254-02.json']);

    // once the provider publishes the right hash, the next sync imports it and only it
    server.reset();
    const again = await sync(dir, '--source', 'cisa-csaf');
    expect(again.code).toBe(0);
    expect([again.get('cisa-csaf').imported, again.get('cisa-csaf').skipped]).toEqual([1, 3]);
    expect(advisoryDownloads()).toEqual([['va-24-262-01.json', 1]]);
  });

  it('resumes a sync cut off midway without downloading the finished advisories again', async () => {
    const dir = dataDir();
    server.killAdvisoriesAfter = 2;
    const cut = await sync(dir, '--source', 'cisa-csaf');
    expect(cut.code).toBe(1);
    expect(cut.get('cisa-csaf').imported).toBe(2);
    expect(cut.get('cisa-csaf').failed.map((f) => f.code)).toEqual(['INTEL_SYNC_HTTP', 'INTEL_SYNC_HTTP']);
    const done = new Set(advisoryDownloads().map(([name]) => name));
    expect(done.size).toBe(4); // two served, two cut

    server.reset();
    const resumed = await sync(dir, '--source', 'cisa-csaf');
    expect(resumed.code).toBe(0);
    expect([resumed.get('cisa-csaf').imported, resumed.get('cisa-csaf').skipped]).toEqual([2, 2]);
    const again = advisoryDownloads();
    expect(again).toHaveLength(2);
    expect(again.every(([, n]) => n === 1)).toBe(true);
  });

  it('reports a source answering 500 and still syncs the others', async () => {
    const dir = dataDir();
    const r = await sync(dir, '--source', 'kev-mirror-down', '--source', 'kev', '--source', 'osv');
    expect(r.code).toBe(1);
    expect(r.get('kev-mirror-down').failed.map((f) => [f.code, f.status])).toEqual([['INTEL_SYNC_HTTP', 500]]);
    expect(r.get('kev').imported).toBe(1);
    expect(r.get('osv').imported).toBe(2);
    expect(JSON.parse(r.stderr) as unknown).toMatchObject({ error: { code: 'INTEL_SYNC_HTTP' } });
  });

  it('reports hostile provider documents with codes and carries on', async () => {
    const store = openSqliteStore({ dataDir: dataDir() });
    try {
      await store.migrate();
      const results = await syncFeeds(
        store,
        [
          { kind: 'csaf', name: 'garbage', url: `${server.base}/hostile/provider-metadata.json` },
          { kind: 'csaf', name: 'bad-feed', url: `${server.base}/hostile/pm2.json` },
          { kind: 'kev', name: 'kev', url: `${server.base}/kev.json` },
        ],
        { retries: 0 },
      );
      expect(results.map((r) => [r.source, r.failed.map((f) => f.code), r.imported])).toEqual([
        ['garbage', ['INTEL_FEED_MALFORMED'], 0],
        ['bad-feed', ['INTEL_FEED_MALFORMED'], 0],
        ['kev', [], 1],
      ]);
    } finally {
      await store.close();
    }
  });

  it('retries a failing request a bounded number of times with backoff', async () => {
    const store = openSqliteStore({ dataDir: dataDir() });
    try {
      await store.migrate();
      const [result] = await syncFeeds(store, [{ kind: 'kev', name: 'down', url: `${server.base}/broken/kev.json` }], {
        retries: 2,
        backoffMs: 1,
      });
      expect(result?.failed.map((f) => f.code)).toEqual(['INTEL_SYNC_HTTP']);
      expect(server.hits.paths.get('/broken/kev.json')).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('resumes NVD paging at the page where it stopped', async () => {
    const store = openSqliteStore({ dataDir: dataDir() });
    const source = {
      kind: 'nvd',
      name: 'nvd',
      url: `${server.base}/nvd/rest/json/cves/2.0`,
      pageSize: NVD_PAGE,
    } as const;
    try {
      await store.migrate();
      let calls = 0;
      // the second page never arrives
      const [cut] = await syncFeeds(store, [source], {
        retries: 0,
        nvdDelayMs: 0,
        fetch: (url, init) => (++calls === 2 ? Promise.reject(new Error('connection reset')) : fetch(url, init)),
      });
      expect([cut?.imported, cut?.failed.map((f) => f.code)]).toEqual([1, ['INTEL_SYNC_HTTP']]);
      server.reset();
      const [resumed] = await syncFeeds(store, [source], { retries: 0, nvdDelayMs: 0 });
      expect(resumed?.failed).toEqual([]);
      expect(server.hits.nvdQueries[0]?.get('startIndex')).toBe(String(NVD_PAGE));
      expect(server.hits.nvdQueries[0]?.get('lastModStartDate')).toBeNull();
    } finally {
      await store.close();
    }
  });
});

describe('feeds sync sources', () => {
  it('rejects an unknown source name and a malformed sources file with a usage exit code', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ward-sync-bad-'));
    const unknown = await ward(['feeds', 'sync', '--source', 'nope', '--data-dir', dir, '--json'], { env: {} });
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: 'INTEL_SYNC_SOURCE_INVALID' } });
    const file = path.join(dir, 'sources.json');
    writeFileSync(file, JSON.stringify({ sources: [{ kind: 'nvd', name: 'x', url: 'not a url' }] }));
    const bad = await ward(['feeds', 'sync', '--sources', file, '--data-dir', dir, '--json'], { env: {} });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: 'INTEL_SYNC_SOURCE_INVALID' } });
  });
});
