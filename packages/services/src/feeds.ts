/**
 * @module feeds
 * Vulnerability feeds as a service: importing a document (any format Ward reads, detected by
 * content; one transaction; the same bytes twice change nothing) and syncing the official sources
 * over HTTP (`feeds-sync.ts`, the HTTP client a port). Each newly stored document is announced as
 * a `feed.imported` event, whichever way it came, and the findings of its vulnerabilities are
 * recomputed.
 */
import type { FeedImport, Store } from '@ward/store';
import type { Clock } from './clock.js';
import type { FindingsService } from './findings.js';
import type { Actor, DomainEvents } from './events.js';
import { importFeedBytes, type FeedImportOutcome } from './feed-import.js';
import { syncFeeds, type SourceSyncResult, type SyncOptions, type SyncSource } from './feeds-sync.js';

export class FeedService {
  constructor(
    readonly store: Store,
    private readonly events: DomainEvents,
    private readonly actor: Actor,
    private readonly clock: Clock,
    private readonly findings?: FindingsService,
  ) {}

  /** Parses `bytes` as a feed document named `fileName` (the origin of its records) and stores it. */
  async importDocument(bytes: Buffer, fileName: string): Promise<FeedImportOutcome> {
    return (await this.importDocuments([{ bytes: () => bytes, fileName }]))[0] as FeedImportOutcome;
  }

  /**
   * Imports documents one by one (each its own transaction; `bytes` is read only when its turn
   * comes), then recomputes once the findings of every vulnerability they brought — also when a
   * later document fails, for those stored before it.
   */
  async importDocuments(
    documents: Iterable<{ readonly bytes: () => Buffer; readonly fileName: string }>,
  ): Promise<FeedImportOutcome[]> {
    const outcomes: FeedImportOutcome[] = [];
    try {
      for (const document of documents) outcomes.push(await this.#store(document.bytes(), document.fileName));
    } finally {
      await this.#refreshFindings(outcomes);
    }
    return outcomes;
  }

  async #refreshFindings(outcomes: readonly FeedImportOutcome[]): Promise<void> {
    // Only the findings of these documents' vulnerabilities can change.
    const ids = outcomes.filter((o) => o.kind === 'imported').flatMap((o) => o.ids);
    if (ids.length > 0) await this.findings?.refresh({ vulnerabilities: [...new Set(ids)] });
  }

  async #store(bytes: Buffer, fileName: string): Promise<FeedImportOutcome> {
    const now = this.clock.now();
    const outcome = await importFeedBytes(this.store, bytes, fileName, now);
    if (outcome.kind === 'imported') {
      this.events.publish({
        type: 'feed.imported',
        at: now.toISOString(),
        actor: this.actor,
        object: outcome.sha256,
        stored: { fileName, format: outcome.format, sha256: outcome.sha256, records: outcome.records },
      });
    }
    return outcome;
  }

  /**
   * Fetches `sources` incrementally and resumably, storing each changed document as it arrives,
   * then recomputes once the findings of everything the run brought.
   */
  async sync(
    sources: readonly SyncSource[],
    options: Omit<SyncOptions, 'importDocument'> = {},
  ): Promise<SourceSyncResult[]> {
    const outcomes: FeedImportOutcome[] = [];
    try {
      return await syncFeeds(this.store, sources, {
        now: () => this.clock.now(),
        ...options,
        importDocument: async (bytes, fileName) => {
          const outcome = await this.#store(bytes, fileName);
          outcomes.push(outcome);
          return outcome;
        },
      });
    } finally {
      await this.#refreshFindings(outcomes);
    }
  }

  /** Imported documents, newest first, and how many vulnerabilities the store holds. */
  async list(): Promise<{ readonly imports: readonly FeedImport[]; readonly vulnerabilities: number }> {
    return {
      imports: await this.store.vulnerabilities.listImports(),
      vulnerabilities: await this.store.vulnerabilities.countVulnerabilities(),
    };
  }
}
