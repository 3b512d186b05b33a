/**
 * @module feed-import
 * The one path by which a feed document reaches the store, shared by the feed service's import and
 * sync (the API, `ward feeds import|sync` and the `feeds.sync` job): parse it (format detected by content), then store its records in one
 * transaction. A document whose bytes were imported before changes nothing.
 */
import { createHash } from 'node:crypto';
import { parseFeed, type FeedProblem } from '@ward/intel';
import type { Store } from '@ward/store';

export interface FeedImportOutcome {
  /** `unrecognised`: not a feed format Ward reads; nothing stored. */
  readonly kind: 'imported' | 'already' | 'unrecognised';
  readonly format: string | null;
  readonly sha256: string;
  readonly records: number;
  /** The vulnerability ids and aliases (CVE ids) of the document's records: what findings it can change. */
  readonly ids: readonly string[];
  readonly problems: readonly FeedProblem[];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Parses `bytes` as a feed named `fileName` (the origin of its records) and stores it. */
export async function importFeedBytes(
  store: Store,
  bytes: Buffer,
  fileName: string,
  now: Date = new Date(),
): Promise<FeedImportOutcome> {
  const sha256 = sha256Hex(bytes);
  const result = await parseFeed(bytes.toString('utf8'), fileName);
  if (result.kind === 'unrecognised') {
    return { kind: 'unrecognised', format: null, sha256, records: 0, ids: [], problems: result.problems };
  }
  const base = {
    fileName,
    format: result.format,
    sha256,
    importedAt: now.toISOString(),
    problemCount: result.problems.length,
  };
  const stored = await store.vulnerabilities.importFeed(
    result.kind === 'vulnerabilities'
      ? {
          ...base,
          vulnerabilities: result.vulnerabilities.map((v) => ({
            id: v.id,
            source: v.source,
            origin: v.origin,
            modified: v.modified,
            record: v,
          })),
        }
      : result.kind === 'kev'
        ? { ...base, kev: result.kev.map((k) => ({ cve: k.cve, record: k })) }
        : { ...base, epss: result.epss.map((e) => ({ ...e, scoreDate: result.scoreDate })) },
  );
  return {
    kind: stored.created ? 'imported' : 'already',
    format: result.format,
    sha256,
    records: stored.recordCount,
    ids:
      result.kind === 'vulnerabilities'
        ? [...new Set(result.vulnerabilities.flatMap((v) => [v.id, ...v.aliases]))]
        : result.kind === 'kev'
          ? result.kev.map((k) => k.cve)
          : result.epss.map((e) => e.cve),
    problems: result.problems,
  };
}
