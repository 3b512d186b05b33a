/**
 * @module feeds-sync
 * `ward feeds sync`: fetches the official vulnerability sources over HTTP, incrementally and
 * resumably, and imports each document through the one import path (`feed-import.ts`, one
 * transaction per document, or the caller's `importDocument`). Per source and document the store keeps the HTTP validators, a cursor
 * and the SHA-256 last imported (`store.feedSync`), written after each document, so a second sync
 * sends conditional requests and a sync that stopped midway resumes where it stopped.
 *
 * Sources: the NVD CVE API 2.0 (`lastModStartDate`/`lastModEndDate` windows of at most 120 days,
 * `startIndex` paging, `apiKey` header), the CISA KEV JSON, the EPSS CSV (gzip or plain), OSV
 * records (a list of record URLs, or a GCS JSON-API folder listing), and CSAF providers
 * (provider-metadata.json → ROLIE feeds and directory distributions → advisories, each checked
 * against its published `.sha256`/`.sha512`). OpenPGP signatures (`.asc`) are NOT checked: no
 * OpenPGP implementation is available; the result says so per source.
 *
 * HTTP is Node's global `fetch` with a timeout per request and bounded retries with exponential
 * backoff on network errors, 429 and 5xx. A failing document or source is reported with a coded
 * error and the others carry on. Pure parsing of the CSAF listings lives in `@ward/intel`.
 */
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import {
  IntelMatchError,
  parseCsafChanges,
  parseCsafIndex,
  parseProviderMetadata,
  parseRolieFeed,
  type CsafEntry,
} from '@ward/intel';
import type { FeedSyncState, Store } from '@ward/store';
import { importFeedBytes, sha256Hex, type FeedImportOutcome } from './feed-import.js';

export type SyncSource =
  | {
      readonly kind: 'nvd';
      readonly name: string;
      readonly url: string;
      /** `resultsPerPage` (NVD allows up to 2000). */
      readonly pageSize?: number;
      /** Pause between NVD requests (NVD asks for ~6 s without a key, ~0.6 s with one). */
      readonly delayMs?: number;
    }
  | { readonly kind: 'kev'; readonly name: string; readonly url: string }
  | { readonly kind: 'epss'; readonly name: string; readonly url: string }
  | {
      readonly kind: 'osv';
      readonly name: string;
      /** Record URLs fetched one by one. */
      readonly urls?: readonly string[];
      /** A GCS JSON-API object listing (`…/storage/v1/b/BUCKET/o?prefix=ECOSYSTEM/`), paged by `nextPageToken`. */
      readonly listing?: string;
    }
  | {
      readonly kind: 'csaf';
      readonly name: string;
      /** provider-metadata.json URL, or a domain (→ `https://DOMAIN/.well-known/csaf/provider-metadata.json`). */
      readonly url: string;
    };

export const DEFAULT_SOURCES: readonly SyncSource[] = [
  { kind: 'nvd', name: 'nvd', url: 'https://services.nvd.nist.gov/rest/json/cves/2.0' },
  {
    kind: 'kev',
    name: 'kev',
    url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  },
  { kind: 'epss', name: 'epss', url: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz' },
  {
    kind: 'csaf',
    name: 'cisa-csaf',
    url: 'https://www.cisa.gov/sites/default/files/csaf/provider-metadata.json',
  },
];

export interface SyncFailure {
  readonly code: string;
  readonly url: string;
  readonly status: number | null;
  readonly message: string;
}

export interface SourceSyncResult {
  readonly source: string;
  readonly kind: SyncSource['kind'];
  /** Documents downloaded (200 answers, listings and hash files excluded). */
  fetched: number;
  /** Conditional requests answered 304. */
  notModified: number;
  /** Documents newly stored. */
  imported: number;
  /** Documents not downloaded or not stored because already imported (same `updated`, same bytes). */
  skipped: number;
  failed: SyncFailure[];
  /** Hash files checked and matching. */
  hashesVerified: number;
  /** Advisories whose provider publishes an OpenPGP signature: never checked (no OpenPGP library). */
  signaturesNotChecked: number;
  readonly signatures: 'not checked';
}

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<Response>;

export interface SyncOptions {
  readonly fetch?: FetchLike;
  /** Per request (headers and body), milliseconds. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt on network errors, 429 and 5xx. */
  readonly retries?: number;
  /** First backoff, doubled per retry. */
  readonly backoffMs?: number;
  readonly nvdApiKey?: string;
  /** Largest body (and decompressed EPSS file) accepted; default 512 MiB. */
  readonly maxBytes?: number;
  /** Overrides every NVD source's delay (tests: 0). */
  readonly nvdDelayMs?: number;
  readonly now?: () => Date;
  /** Stores one fetched document; default `importFeedBytes` (the feed service passes its own, which announces it). */
  readonly importDocument?: (bytes: Buffer, fileName: string) => Promise<FeedImportOutcome>;
}

interface Ctx {
  readonly store: Store;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxBytes: number;
  readonly options: SyncOptions;
  readonly now: () => Date;
}

interface HttpAnswer {
  readonly status: number;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly body: Buffer;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function httpError(url: string, status: number | null, message: string, cause?: unknown): IntelMatchError {
  return new IntelMatchError('INTEL_SYNC_HTTP', `${url}: ${message}`, { details: { url, status }, cause });
}

/** Reads a body of at most `maxBytes`, so a hostile or broken server cannot exhaust memory. */
async function readBody(response: Response, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw httpError(url, response.status, `body of ${String(declared)} bytes exceeds ${String(maxBytes)}`);
  }
  if (response.body === null) return Buffer.alloc(0);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw httpError(url, response.status, `body exceeds ${String(maxBytes)} bytes`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** GET with timeout and bounded retries; 304 is an answer, any other non-2xx after retries throws. */
async function get(ctx: Ctx, url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  let lastError: IntelMatchError = httpError(url, null, 'not attempted');
  for (let attempt = 0; attempt <= ctx.retries; attempt++) {
    if (attempt > 0) await sleep(ctx.backoffMs * 2 ** (attempt - 1));
    try {
      const response = await ctx.fetch(url, { headers, signal: AbortSignal.timeout(ctx.timeoutMs) });
      if (response.status === 304) {
        return {
          status: 304,
          etag: response.headers.get('etag'),
          lastModified: response.headers.get('last-modified'),
          body: Buffer.alloc(0),
        };
      }
      const body = await readBody(response, url, ctx.maxBytes);
      if (response.ok) {
        return {
          status: response.status,
          etag: response.headers.get('etag'),
          lastModified: response.headers.get('last-modified'),
          body,
        };
      }
      lastError = httpError(url, response.status, `HTTP ${String(response.status)}`);
      if (response.status !== 429 && response.status < 500) throw lastError;
    } catch (error) {
      if (error instanceof IntelMatchError) throw error;
      lastError = httpError(url, null, error instanceof Error ? error.message : 'request failed', error);
    }
  }
  throw lastError;
}

function conditional(state: FeedSyncState | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (state?.etag != null) headers['if-none-match'] = state.etag;
  if (state?.lastModified != null) headers['if-modified-since'] = state.lastModified;
  return headers;
}

function failure(error: unknown, url: string): SyncFailure {
  if (error instanceof IntelMatchError) {
    const details = error.details as { status?: unknown } | undefined;
    return {
      code: error.code,
      url,
      status: typeof details?.status === 'number' ? details.status : null,
      message: error.message,
    };
  }
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'INTEL_SYNC_HTTP';
  return { code, url, status: null, message: error instanceof Error ? error.message : String(error) };
}

function maybeGunzip(url: string, body: Buffer, maxBytes: number): Buffer {
  if (body[0] === 0x1f && body[1] === 0x8b) {
    try {
      return gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (error) {
      throw httpError(url, null, 'gzip body cannot be decompressed', error);
    }
  }
  return body;
}

/** Imports one downloaded document and records its state; counts into `result`. */
async function importAndRecord(
  ctx: Ctx,
  result: SourceSyncResult,
  key: string,
  fileName: string,
  answer: HttpAnswer,
  cursor: string | null,
): Promise<void> {
  const bytes = maybeGunzip(key, answer.body, ctx.maxBytes);
  const outcome = await (ctx.options.importDocument ?? ((b: Buffer, f: string) => importFeedBytes(ctx.store, b, f)))(
    bytes,
    fileName,
  );
  if (outcome.kind === 'unrecognised') {
    result.failed.push({
      code: 'INTEL_FEED_UNRECOGNISED',
      url: key,
      status: answer.status,
      message: `${key}: not a feed format Ward reads`,
    });
    return;
  }
  if (outcome.kind === 'imported') result.imported++;
  else result.skipped++;
  await ctx.store.feedSync.putState({
    source: result.source,
    key,
    etag: answer.etag,
    lastModified: answer.lastModified,
    cursor,
    sha256: outcome.sha256,
    updatedAt: ctx.now().toISOString(),
  });
}

/** One document behind one URL (KEV, EPSS, an OSV record): conditional GET, import when changed. */
async function syncDocument(ctx: Ctx, result: SourceSyncResult, url: string, cursor: string | null = null) {
  try {
    const state = await ctx.store.feedSync.getState(result.source, url);
    if (cursor !== null && state?.cursor === cursor && state.sha256 !== null) {
      result.skipped++;
      return;
    }
    const answer = await get(ctx, url, conditional(state));
    if (answer.status === 304) {
      result.notModified++;
      return;
    }
    result.fetched++;
    await importAndRecord(ctx, result, url, url, answer, cursor);
  } catch (error) {
    result.failed.push(failure(error, url));
  }
}

function nvdDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

const NVD_MAX_WINDOW_MS = 120 * 24 * 3600 * 1000;

interface NvdProgress {
  readonly start: string | null;
  readonly end: string;
  readonly startIndex: number;
}

function readProgress(cursor: string | null | undefined): NvdProgress | null {
  if (cursor == null) return null;
  try {
    const value = JSON.parse(cursor) as Partial<NvdProgress>;
    if (typeof value.end === 'string' && typeof value.startIndex === 'number') {
      return {
        start: typeof value.start === 'string' ? value.start : null,
        end: value.end,
        startIndex: value.startIndex,
      };
    }
  } catch {
    // an unreadable cursor starts the window again
  }
  return null;
}

/**
 * NVD API 2.0: the first sync pages through everything (no date filter); later ones ask for what
 * changed since the last window's end, in windows of at most 120 days. Each page is one import;
 * after it the next `startIndex` is recorded, so an interrupted sync resumes at that page.
 */
async function syncNvd(ctx: Ctx, result: SourceSyncResult, source: Extract<SyncSource, { kind: 'nvd' }>) {
  const feedSync = ctx.store.feedSync;
  const apiKey = ctx.options.nvdApiKey;
  const delay = ctx.options.nvdDelayMs ?? source.delayMs ?? (apiKey === undefined ? 6000 : 600);
  const pageSize = source.pageSize ?? 2000;
  const headers: Record<string, string> = apiKey === undefined ? {} : { apiKey };
  const record = (key: string, cursor: string | null) =>
    feedSync.putState({
      source: result.source,
      key,
      etag: null,
      lastModified: null,
      cursor,
      sha256: null,
      updatedAt: ctx.now().toISOString(),
    });
  const windows: NvdProgress[] = [];
  const pending = readProgress((await feedSync.getState(result.source, 'progress'))?.cursor);
  if (pending !== null) windows.push(pending);
  else {
    const last = (await feedSync.getState(result.source, 'window'))?.cursor ?? null;
    const end = ctx.now();
    if (last === null) windows.push({ start: null, end: end.toISOString(), startIndex: 0 });
    else {
      for (let from = new Date(last).getTime(); from < end.getTime(); from += NVD_MAX_WINDOW_MS) {
        const to = Math.min(from + NVD_MAX_WINDOW_MS, end.getTime());
        windows.push({ start: new Date(from).toISOString(), end: new Date(to).toISOString(), startIndex: 0 });
      }
    }
  }
  let requests = 0;
  for (const window of windows) {
    let startIndex = window.startIndex;
    for (;;) {
      const params = new URLSearchParams({ resultsPerPage: String(pageSize), startIndex: String(startIndex) });
      if (window.start !== null) {
        params.set('lastModStartDate', nvdDate(new Date(window.start)));
        params.set('lastModEndDate', nvdDate(new Date(window.end)));
      }
      const url = `${source.url}?${params.toString()}`;
      if (requests++ > 0 && delay > 0) await sleep(delay);
      let answer: HttpAnswer;
      let page: { totalResults?: unknown; vulnerabilities?: unknown };
      try {
        answer = await get(ctx, url, headers);
        result.fetched++;
        page = JSON.parse(answer.body.toString('utf8')) as typeof page;
      } catch (error) {
        result.failed.push(
          error instanceof SyntaxError
            ? { code: 'INTEL_FEED_MALFORMED', url, status: null, message: `${url}: not JSON` }
            : failure(error, url),
        );
        return; // the recorded progress makes the next sync resume at this page
      }
      const count = Array.isArray(page.vulnerabilities) ? page.vulnerabilities.length : 0;
      const total = typeof page.totalResults === 'number' ? page.totalResults : 0;
      if (count > 0) {
        try {
          // A stable file name: a CVE seen again replaces its earlier NVD record.
          const outcome = await importFeedBytes(ctx.store, answer.body, source.url);
          if (outcome.kind === 'imported') result.imported++;
          else result.skipped++;
        } catch (error) {
          result.failed.push(failure(error, url));
          return;
        }
      }
      startIndex += count;
      if (count === 0 || startIndex >= total) break;
      await record('progress', JSON.stringify({ ...window, startIndex }));
    }
    await record('window', window.end);
    await record('progress', null);
  }
}

function resolve(href: string, base: string): string {
  try {
    return new URL(href, base).toString();
  } catch (error) {
    throw new IntelMatchError('INTEL_FEED_MALFORMED', `${base}: ${href} is not a URL`, {
      details: { url: base, href },
      cause: error,
    });
  }
}

function providerMetadataUrl(value: string): string {
  return /^https?:\/\//i.test(value) ? value : `https://${value}/.well-known/csaf/provider-metadata.json`;
}

/** Checks an advisory's bytes against its published hash files; true when at least one was checked. */
async function checkHashes(
  ctx: Ctx,
  url: string,
  body: Buffer,
  hashes: CsafEntry['hashes'],
  required: boolean,
): Promise<boolean> {
  let checked = false;
  for (const hash of hashes) {
    let answer: HttpAnswer;
    try {
      answer = await get(ctx, hash.url);
    } catch (error) {
      if (!required && error instanceof IntelMatchError && (error.details as { status?: unknown }).status === 404) {
        continue;
      }
      throw error;
    }
    const expected = /^[0-9a-f]+/i.exec(answer.body.toString('utf8').trim())?.[0]?.toLowerCase();
    const actual = createHash(hash.algorithm).update(body).digest('hex');
    if (expected !== actual) {
      throw new IntelMatchError('INTEL_SYNC_HASH_MISMATCH', `${url}: ${hash.algorithm} does not match ${hash.url}`, {
        details: { url, hashUrl: hash.url, algorithm: hash.algorithm },
      });
    }
    checked = true;
  }
  return checked;
}

async function syncAdvisory(
  ctx: Ctx,
  result: SourceSyncResult,
  entry: CsafEntry,
  hashesRequired: boolean,
): Promise<void> {
  const url = entry.url;
  try {
    const state = await ctx.store.feedSync.getState(result.source, url);
    if (entry.signature !== null) result.signaturesNotChecked++;
    if (entry.updated !== null && state?.cursor === entry.updated && state.sha256 !== null) {
      result.skipped++;
      return;
    }
    const answer = await get(ctx, url, conditional(state));
    if (answer.status === 304) {
      result.notModified++;
      return;
    }
    result.fetched++;
    if (state?.sha256 === sha256Hex(answer.body)) {
      result.skipped++;
      await ctx.store.feedSync.putState({ ...state, cursor: entry.updated, updatedAt: ctx.now().toISOString() });
      return;
    }
    if (await checkHashes(ctx, url, answer.body, entry.hashes, hashesRequired)) result.hashesVerified++;
    await importAndRecord(ctx, result, url, url, answer, entry.updated);
  } catch (error) {
    result.failed.push(failure(error, url));
  }
}

/**
 * A listing (provider metadata, ROLIE feed, changes.csv): conditional GET; its validators are
 * recorded only once everything under it succeeded, so a 304 means "all done already".
 */
async function getListing(
  ctx: Ctx,
  result: SourceSyncResult,
  url: string,
): Promise<{ answer: HttpAnswer; commit: (cursor?: string) => Promise<void> } | 'not-modified' | 'failed'> {
  try {
    const state = await ctx.store.feedSync.getState(result.source, url);
    const answer = await get(ctx, url, conditional(state));
    if (answer.status === 304) {
      result.notModified++;
      return 'not-modified';
    }
    const before = result.failed.length;
    return {
      answer,
      commit: async (cursor?: string) => {
        if (result.failed.length !== before) return;
        await ctx.store.feedSync.putState({
          source: result.source,
          key: url,
          etag: answer.etag,
          lastModified: answer.lastModified,
          cursor: cursor ?? state?.cursor ?? null,
          sha256: sha256Hex(answer.body),
          updatedAt: ctx.now().toISOString(),
        });
      },
    };
  } catch (error) {
    result.failed.push(failure(error, url));
    return 'failed';
  }
}

function invalidListing(url: string, message: string): SyncFailure {
  return { code: 'INTEL_FEED_MALFORMED', url, status: null, message: `${url}: ${message}` };
}

function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function syncRolieFeed(ctx: Ctx, result: SourceSyncResult, feedUrl: string): Promise<void> {
  const listing = await getListing(ctx, result, feedUrl);
  if (typeof listing === 'string') return;
  const parsed = parseRolieFeed(parseJsonBody(listing.answer.body), feedUrl);
  if (parsed.entries.length === 0 && parsed.problems.length > 0) {
    result.failed.push(invalidListing(feedUrl, 'not a ROLIE feed'));
    return;
  }
  for (const entry of parsed.entries) {
    let resolved: CsafEntry;
    try {
      resolved = {
        ...entry,
        url: resolve(entry.url, feedUrl),
        hashes: entry.hashes.map((h) => ({ ...h, url: resolve(h.url, feedUrl) })),
        signature: entry.signature === null ? null : resolve(entry.signature, feedUrl),
      };
    } catch (error) {
      result.failed.push(failure(error, feedUrl));
      continue;
    }
    await syncAdvisory(ctx, result, resolved, true);
  }
  await listing.commit();
}

async function syncDirectory(ctx: Ctx, result: SourceSyncResult, directory: string): Promise<void> {
  const base = directory.endsWith('/') ? directory : `${directory}/`;
  let listing = await getListing(ctx, result, `${base}changes.csv`);
  let entries: readonly CsafEntry[];
  if (listing === 'not-modified') return;
  if (listing === 'failed') {
    result.failed.pop(); // no changes.csv: fall back to index.txt
    listing = await getListing(ctx, result, `${base}index.txt`);
    if (typeof listing === 'string') return;
    entries = parseCsafIndex(listing.answer.body.toString('utf8'), `${base}index.txt`).entries;
  } else entries = parseCsafChanges(listing.answer.body.toString('utf8'), `${base}changes.csv`).entries;
  for (const entry of entries) {
    let url: string;
    try {
      url = resolve(entry.url, base);
    } catch (error) {
      result.failed.push(failure(error, base));
      continue;
    }
    await syncAdvisory(
      ctx,
      result,
      {
        ...entry,
        url,
        hashes: [
          { algorithm: 'sha512', url: `${url}.sha512` },
          { algorithm: 'sha256', url: `${url}.sha256` },
        ],
        signature: null,
      },
      false,
    );
  }
  await listing.commit();
}

async function syncCsaf(ctx: Ctx, result: SourceSyncResult, source: Extract<SyncSource, { kind: 'csaf' }>) {
  const url = providerMetadataUrl(source.url);
  const state = await ctx.store.feedSync.getState(result.source, url);
  const listing = await getListing(ctx, result, url);
  if (listing === 'failed') return;
  let rolie: string[];
  let directories: string[];
  if (listing === 'not-modified') {
    // the distributions seen last time (kept as the cursor, written together with the validators)
    const cached = asRecord(parseJsonBody(Buffer.from(state?.cursor ?? 'null')));
    rolie = stringList(cached['rolie']);
    directories = stringList(cached['directories']);
  } else {
    const meta = parseProviderMetadata(parseJsonBody(listing.answer.body), url);
    rolie = meta.rolieFeeds.map((f) => resolve(f.url, url));
    directories = meta.directories.map((d) => resolve(d, url));
    if (rolie.length === 0 && directories.length === 0) {
      result.failed.push(invalidListing(url, 'provider metadata names no ROLIE feed or directory'));
      return;
    }
  }
  for (const feed of rolie) await syncRolieFeed(ctx, result, feed);
  for (const directory of directories) await syncDirectory(ctx, result, directory);
  if (listing !== 'not-modified') await listing.commit(JSON.stringify({ rolie, directories }));
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

async function syncOsv(ctx: Ctx, result: SourceSyncResult, source: Extract<SyncSource, { kind: 'osv' }>) {
  for (const url of source.urls ?? []) await syncDocument(ctx, result, url);
  if (source.listing === undefined) return;
  let pageToken: string | null = null;
  do {
    const listingUrl = new URL(source.listing);
    if (pageToken !== null) listingUrl.searchParams.set('pageToken', pageToken);
    let page: { items?: { name?: unknown; mediaLink?: unknown; updated?: unknown }[]; nextPageToken?: unknown };
    try {
      page = JSON.parse((await get(ctx, listingUrl.toString())).body.toString('utf8')) as typeof page;
    } catch (error) {
      result.failed.push(
        error instanceof SyntaxError
          ? invalidListing(listingUrl.toString(), 'not a GCS object listing')
          : failure(error, listingUrl.toString()),
      );
      return;
    }
    for (const item of page.items ?? []) {
      if (typeof item.name !== 'string' || !item.name.endsWith('.json') || typeof item.mediaLink !== 'string') continue;
      await syncDocument(ctx, result, item.mediaLink, typeof item.updated === 'string' ? item.updated : null);
    }
    pageToken = typeof page.nextPageToken === 'string' ? page.nextPageToken : null;
  } while (pageToken !== null);
}

/** Syncs every source in turn; one failing never stops the others. */
export async function syncFeeds(
  store: Store,
  sources: readonly SyncSource[],
  options: SyncOptions = {},
): Promise<SourceSyncResult[]> {
  const ctx: Ctx = {
    store,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    timeoutMs: options.timeoutMs ?? 60_000,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 1000,
    maxBytes: options.maxBytes ?? 512 * 1024 * 1024,
    options,
    now: options.now ?? (() => new Date()),
  };
  const results: SourceSyncResult[] = [];
  for (const source of sources) {
    const result: SourceSyncResult = {
      source: source.name,
      kind: source.kind,
      fetched: 0,
      notModified: 0,
      imported: 0,
      skipped: 0,
      failed: [],
      hashesVerified: 0,
      signaturesNotChecked: 0,
      signatures: 'not checked',
    };
    results.push(result);
    try {
      switch (source.kind) {
        case 'nvd':
          await syncNvd(ctx, result, source);
          break;
        case 'kev':
        case 'epss':
          await syncDocument(ctx, result, source.url);
          break;
        case 'osv':
          await syncOsv(ctx, result, source);
          break;
        case 'csaf':
          await syncCsaf(ctx, result, source);
          break;
      }
    } catch (error) {
      result.failed.push(failure(error, 'url' in source ? source.url : source.name));
    }
  }
  return results;
}
