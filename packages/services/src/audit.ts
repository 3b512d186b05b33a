/**
 * @module audit
 * The audit trail of changes: every domain event becomes a `change` entry in the integrity ledger,
 * naming who (actor, role, channel), what (the event type and the object's id) and committing to
 * what was stored by the SHA-256 of its canonical JSON. The same change made through the API, the
 * CLI or a job gives the same action, object and digest.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@ward/core';
import type { ChangeEntry } from '@ward/ledger';
import type { DomainEvent, DomainEvents } from './events.js';

const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** SHA-256 (hex) of the canonical JSON of `value`. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

export function changeEntryOf(event: DomainEvent): ChangeEntry {
  return {
    kind: 'change',
    at: event.at,
    actor: event.actor.id,
    role: event.actor.role,
    via: event.actor.via,
    action: event.type,
    object: event.object !== null && OPAQUE_ID.test(event.object) ? event.object : null,
    digest: digestOf(event.stored),
  };
}

/** What the audit trail needs of the ledger: somewhere to put an entry without waiting. */
export interface ChangeSink {
  enqueue(entry: ChangeEntry): void;
}

/** Subscribes the ledger to every domain event. Returns the function that unsubscribes. */
export function auditChanges(events: DomainEvents, ledger: ChangeSink): () => void {
  return events.subscribe((event) => {
    ledger.enqueue(changeEntryOf(event));
  });
}
