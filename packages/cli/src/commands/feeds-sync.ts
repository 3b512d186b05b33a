/**
 * @module commands/feeds-sync
 * `ward feeds sync [--source NAME|URL ...] [--sources FILE]`: fetches the official vulnerability
 * sources incrementally into the store (see `feeds-sync.ts`). Sources are the defaults (NVD, KEV,
 * EPSS, CISA's CSAF provider) or the list in a sources file; `--source` picks some by name, and a
 * URL or domain given to it is taken as a CSAF provider. Exits 1 when any document failed (the
 * result on stdout lists them), after syncing everything else.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { IntelMatchError } from '@ward/intel';
import { z } from 'zod';
import { emit, storeOptions, withStore, type StoreFlags } from '../context.js';
import { DEFAULT_SOURCES, syncFeeds, type SyncSource } from '../feeds-sync.js';
import { table, type CliIo } from '../io.js';

const name = z.string().min(1);
const sourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('nvd'),
    name,
    url: z.url(),
    pageSize: z.number().int().min(1).max(2000).optional(),
    delayMs: z.number().int().min(0).optional(),
  }),
  z.strictObject({ kind: z.literal('kev'), name, url: z.url() }),
  z.strictObject({ kind: z.literal('epss'), name, url: z.url() }),
  z.strictObject({ kind: z.literal('osv'), name, urls: z.array(z.url()).optional(), listing: z.url().optional() }),
  z.strictObject({ kind: z.literal('csaf'), name, url: z.string().min(1) }),
]);
const sourcesFileSchema = z.strictObject({ sources: z.array(sourceSchema) });

function invalid(message: string, details: Record<string, unknown> = {}, cause?: unknown): IntelMatchError {
  return new IntelMatchError('INTEL_SYNC_SOURCE_INVALID', message, { details, cause });
}

/** Reads a sources file: `{"sources": [{"kind": "nvd"|"kev"|"epss"|"osv"|"csaf", "name": …, "url": …}]}`. */
export function readSourcesFile(file: string): SyncSource[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(`${file}: cannot read it as JSON`, { file }, error);
  }
  const parsed = sourcesFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`${file}: ${issue?.message ?? 'invalid'}`, { file, field: issue?.path.join('.') ?? null });
  }
  const names = parsed.data.sources.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw invalid(`${file}: source name ${dup} used twice`, { file, field: 'name' });
  return parsed.data.sources as SyncSource[];
}

/** Picks sources by name; a URL or domain not among the names is a CSAF provider. */
export function selectSources(all: readonly SyncSource[], wanted: readonly string[]): SyncSource[] {
  if (wanted.length === 0) return [...all];
  return wanted.map((w) => {
    const found = all.find((s) => s.name === w);
    if (found !== undefined) return found;
    if (/^https?:\/\//i.test(w) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(w)) return { kind: 'csaf', name: w, url: w };
    throw invalid(`no source named ${w} (known: ${all.map((s) => s.name).join(', ')})`, { source: w });
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface SyncFlags extends StoreFlags {
  readonly source: string[];
  readonly sources?: string;
  readonly timeout: string;
  readonly retries: string;
}

export function feedsSyncCommand(feeds: Command, io: CliIo): void {
  storeOptions(
    feeds
      .command('sync')
      .description('fetch NVD, KEV, EPSS, OSV and CSAF providers incrementally into the store (resumable)')
      .option('--source <name|url>', 'only this source (repeatable); a URL or domain is a CSAF provider', collect, [])
      .option('--sources <file>', 'JSON list of sources replacing the defaults: {"sources": [{kind, name, url}]}')
      .option('--timeout <ms>', 'per request', '60000')
      .option('--retries <n>', 'retries per request on network errors, 429 and 5xx', '3'),
  ).action(async (flags: SyncFlags) => {
    const all = flags.sources === undefined ? DEFAULT_SOURCES : readSourcesFile(flags.sources);
    const sources = selectSources(all, flags.source);
    const timeoutMs = Number(flags.timeout);
    const retries = Number(flags.retries);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || !Number.isInteger(retries) || retries < 0) {
      throw invalid('--timeout must be a positive integer and --retries a non-negative one');
    }
    const apiKey = io.env['NVD_API_KEY'];
    const results = await withStore(io, flags, (store) =>
      syncFeeds(store, sources, {
        timeoutMs,
        retries,
        ...(apiKey === undefined || apiKey === '' ? {} : { nvdApiKey: apiKey }),
      }),
    );
    emit(io, flags, { sources: results }, () =>
      [
        table([
          ['SOURCE', 'FETCHED', 'NOT MODIFIED', 'IMPORTED', 'SKIPPED', 'FAILED', 'HASHES OK', 'SIGNATURES'],
          ...results.map((r) => [
            r.source,
            String(r.fetched),
            String(r.notModified),
            String(r.imported),
            String(r.skipped),
            String(r.failed.length),
            String(r.hashesVerified),
            r.signaturesNotChecked > 0 ? `${String(r.signaturesNotChecked)} not checked` : '',
          ]),
        ]),
        ...results.flatMap((r) => r.failed.map((f) => `${r.source}: ${f.code}: ${f.message}\n`)),
      ].join(''),
    );
    const first = results.flatMap((r) => r.failed)[0];
    if (first !== undefined) {
      const count = results.reduce((n, r) => n + r.failed.length, 0);
      const code = first.code === 'INTEL_SYNC_HASH_MISMATCH' ? 'INTEL_SYNC_HASH_MISMATCH' : 'INTEL_SYNC_HTTP';
      throw new IntelMatchError(code, `${String(count)} document(s) failed; the rest was synced`, {
        details: { failed: count },
      });
    }
  });
}
