/**
 * @module events
 * Domain events: what a service announces after it has committed a change. A service publishes;
 * subscribers (the audit trail first of all, later detection, notifications and the dashboard's
 * live view) react. Events are announced only after the store has committed, so a subscriber never
 * sees a change that was rolled back, and a subscriber's failure never undoes one.
 */

/** How a change was asked for. */
export type Channel = 'api' | 'cli' | 'job';

/** Who asked for a change. */
export interface Actor {
  /** A user id, `cli:<operating-system user>` or `job:<job name>`: opaque, never a person's name. */
  readonly id: string;
  readonly role: string;
  readonly via: Channel;
}

export interface DomainEvent {
  /** A dotted verb: `device.created`, `device.updated`, `sbom.imported`, `finding.opened`… */
  readonly type: string;
  /** ISO 8601 UTC time of the commit. */
  readonly at: string;
  readonly actor: Actor;
  /** The opaque id of the changed object, or null when the change has no single object. */
  readonly object: string | null;
  /**
   * What was stored, as stored (JSON-serialisable). The audit trail commits to its digest; it must
   * hold only what the store keeps, so no patient data can reach a subscriber this way.
   */
  readonly stored: unknown;
}

export type EventListener = (event: DomainEvent) => void;

export interface DomainEventsOptions {
  /** Told when a listener throws; the event still reaches the other listeners. */
  readonly onListenerError?: (error: unknown, event: DomainEvent) => void;
}

/** An in-process event bus: synchronous delivery in subscription order. */
export class DomainEvents {
  readonly #listeners = new Set<EventListener>();
  readonly #onListenerError: (error: unknown, event: DomainEvent) => void;

  constructor(options: DomainEventsOptions = {}) {
    this.#onListenerError = options.onListenerError ?? (() => undefined);
  }

  /** Calls `listener` for every event published from now on. Returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: DomainEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }
}

/** The operating-system user behind a CLI command, as an actor id the ledger accepts. */
export function cliActor(osUser: string): Actor {
  const cleaned = osUser.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return { id: `cli:${cleaned === '' ? 'unknown' : cleaned}`, role: 'local-admin', via: 'cli' };
}

/** A scheduled job, as an actor. */
export function jobActor(name: string): Actor {
  return { id: `job:${name}`, role: 'system', via: 'job' };
}
