/**
 * @module services
 * The composition root of Ward's application services. The server builds one for its lifetime;
 * a CLI command builds one for its run. Both then call the same services, so the same action gives
 * the same stored result and the same ledger entry whichever way it came.
 *
 * Services that change state are bound to an actor (`inventory(actor)`): every change they commit
 * is published as a domain event carrying that actor, and the audit trail turns each event into a
 * `change` entry of the integrity ledger.
 *
 * `jobs` is the runner of the scheduled jobs, with the built-in ones registered. Building services
 * does not start it: `ward serve` does (`jobs.start()`), a CLI command never does; `close()` stops
 * it first, waiting for a running job, then flushes the ledger.
 */
import { existsSync } from 'node:fs';
import { InventoryService, type InventoryChangeEvent } from '@ward/inventory';
import type { Store } from '@ward/store';
import { AccountService, type SessionPolicy } from './accounts.js';
import { auditChanges } from './audit.js';
import { sessionsPruneJob } from './builtin-jobs.js';
import { systemClock, type Clock } from './clock.js';
import type { WardConfig } from './config.js';
import { ServerError } from './errors.js';
import { DomainEvents, type Actor, type DomainEvent } from './events.js';
import type { EntryHasher } from './entry-hasher.js';
import { JobRunner } from './jobs.js';
import { LedgerService, type LedgerKeys } from './ledger.js';
import { defaultLedgerKeyFile, loadOrCreateLedgerKeys } from './ledger-keys.js';
import { SoftwareService } from './software.js';
import { FeedService } from './feeds.js';
import { AccountAdmin } from './account-admin.js';
import { FindingsService } from './findings.js';
import { DiscoveryService } from './discovery.js';

export interface WardServicesOptions {
  readonly store: Store;
  readonly ledgerKeys: LedgerKeys;
  readonly ledgerHasher?: EntryHasher;
  readonly clock?: Clock;
  readonly session?: SessionPolicy;
  /** Told when an entry could not be written to the ledger, or an event listener failed. */
  readonly onError?: (error: unknown, what: string) => void;
  /** Ledger batching delay (tests shorten it). */
  readonly ledgerBatchDelayMs?: number;
  /** The job runner's tick interval and lease owner id (see `JobRunnerOptions`). */
  readonly jobs?: { readonly tickMs?: number; readonly owner?: string };
}

/** What the inventory announces, as a domain event. */
function deviceEvent(actor: Actor, event: InventoryChangeEvent): DomainEvent {
  return {
    type: `device.${event.kind}`,
    at: event.at,
    actor,
    object: event.deviceId,
    stored: { deviceId: event.deviceId, version: event.version, source: event.source, changes: event.changes },
  };
}

export class WardServices {
  readonly store: Store;
  readonly events: DomainEvents;
  readonly accounts: AccountService;
  readonly ledger: LedgerService;
  readonly clock: Clock;
  /** The scheduled jobs; `register` adds one (e.g. `feeds.sync`). Started by `ward serve` only. */
  readonly jobs: JobRunner;

  constructor(options: WardServicesOptions) {
    const onError = options.onError ?? (() => undefined);
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.events = new DomainEvents({
      onListenerError: (error, event) => {
        onError(error, `a listener of ${event.type}`);
      },
    });
    this.accounts = new AccountService(options.store, {
      clock: this.clock,
      ...(options.session === undefined ? {} : { session: options.session }),
    });
    this.ledger = new LedgerService(options.store, options.ledgerKeys, {
      clock: this.clock,
      ...(options.ledgerHasher === undefined ? {} : { hasher: options.ledgerHasher }),
      ...(options.ledgerBatchDelayMs === undefined ? {} : { batchDelayMs: options.ledgerBatchDelayMs }),
      onError: (error) => {
        onError(error, 'the integrity ledger');
      },
    });
    auditChanges(this.events, this.ledger);
    this.jobs = new JobRunner({
      store: options.store,
      clock: this.clock,
      ...(options.jobs?.tickMs === undefined ? {} : { tickMs: options.jobs.tickMs }),
      ...(options.jobs?.owner === undefined ? {} : { owner: options.jobs.owner }),
      onError,
    });
    this.jobs.register(sessionsPruneJob(this.accounts));
  }

  /**
   * The device inventory, acting for `actor`: each committed change becomes a `device.*` event, each
   * saved column mapping a `mapping.saved` one.
   */
  inventory(actor: Actor): InventoryService {
    const service = new InventoryService(this.store, { now: () => this.clock.now().toISOString() });
    service.onChange((event) => {
      this.events.publish(deviceEvent(actor, event));
    });
    service.onMappingSaved((event) => {
      this.events.publish({ type: 'mapping.saved', at: event.at, actor, object: event.name, stored: event.mapping });
    });
    return service;
  }

  /** Changes to users and API tokens, acting for `actor`: `user.*` and `token.*` events. */
  accountAdmin(actor: Actor): AccountAdmin {
    return new AccountAdmin(this.accounts, this.events, actor, this.clock);
  }

  /** SBOMs and VEX decisions, acting for `actor`: `sbom.imported` and `vex.recorded` events. */
  software(actor: Actor): SoftwareService {
    return new SoftwareService(this.store, this.events, actor, this.clock, this.findings(actor));
  }

  /** Stored findings, acting for `actor`: `finding.opened`, `finding.updated`, `finding.closed` events. */
  findings(actor: Actor): FindingsService {
    return new FindingsService(this.store, this.events, actor, this.clock);
  }

  /** Vulnerability feeds (import and sync), acting for `actor`: `feed.imported` events. */
  feeds(actor: Actor): FeedService {
    return new FeedService(this.store, this.events, actor, this.clock, this.findings(actor));
  }

  /** Passive discovery into observations and the inventory, acting for `actor`. */
  discovery(actor: Actor): DiscoveryService {
    return new DiscoveryService(this.store, this.inventory(actor));
  }

  /**
   * Stops the jobs (waiting for a running one), waits until every change so far is in the ledger,
   * then stops it. The store stays open.
   */
  async close(): Promise<void> {
    await this.jobs.stop();
    await this.ledger.close();
  }
}

/**
 * The ledger's keys for a configuration: read from `ledgerKeyFile` (default: in the data folder),
 * created on first use. A missing key for a log that already has checkpoints is refused: a new key
 * would make every earlier checkpoint unverifiable.
 */
export async function ledgerKeysFor(config: WardConfig, store: Store): Promise<LedgerKeys> {
  const keyFile = config.ledgerKeyFile ?? defaultLedgerKeyFile(config.dataDir);
  if (!existsSync(keyFile) && (await store.ledger.latestCheckpoint()) !== undefined) {
    throw new ServerError(
      'SERVER_CONFIG_INVALID',
      `the ledger key ${keyFile} is missing but the log has checkpoints; restore it`,
      {
        details: { key: 'ledgerKeyFile', file: keyFile },
      },
    );
  }
  return loadOrCreateLedgerKeys(keyFile, config.ledgerOrigin);
}
