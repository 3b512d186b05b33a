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
      // Only the findings of this document's vulnerabilities can change.
      await this.findings?.refresh({ vulnerabilities: outcome.ids });
    }
    return outcome;
  }

  /** Fetches `sources` incrementally and resumably, importing each changed document through `importDocument`. */
  sync(sources: readonly SyncSource[], options: Omit<SyncOptions, 'importDocument'> = {}): Promise<SourceSyncResult[]> {
    return syncFeeds(this.store, sources, {
      now: () => this.clock.now(),
      ...options,
      importDocument: (bytes, fileName) => this.importDocument(bytes, fileName),
    });
  }

  /** Imported documents, newest first, and how many vulnerabilities the store holds. */
  async list(): Promise<{ readonly imports: readonly FeedImport[]; readonly vulnerabilities: number }> {
    return {
      imports: await this.store.vulnerabilities.listImports(),
      vulnerabilities: await this.store.vulnerabilities.countVulnerabilities(),
    };
  }
}
