/**
 * @module commands/feeds-sync
 * `ward feeds sync [--source NAME|URL ...] [--sources FILE]`: fetches the official vulnerability
 * sources incrementally into the store (see `feeds-sync.ts`). Sources are the defaults (NVD, KEV,
 * EPSS, CISA's CSAF provider) or the list in a sources file; `--source` picks some by name, and a
 * URL or domain given to it is taken as a CSAF provider. Exits 1 when any document failed (the
 * result on stdout lists them), after syncing everything else.
 */
import type { Command } from 'commander';
import { IntelMatchError } from '@ward/intel';
import { DEFAULT_SOURCES, invalidSource, readSourcesFile, selectSources } from '@ward/services';
import { emit, storeOptions, withServices, type StoreFlags } from '../context.js';
import { table, type CliIo } from '../io.js';

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
      throw invalidSource('--timeout must be a positive integer and --retries a non-negative one');
    }
    const apiKey = io.env['NVD_API_KEY'];
    const results = await withServices(io, flags, (services, actor) =>
      services.feeds(actor).sync(sources, {
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
