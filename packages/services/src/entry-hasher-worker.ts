/**
 * @module services/entry-hasher-worker
 * The worker thread behind `createEntryHasher`: encodes and hashes batches of ledger entries.
 */
import { parentPort } from 'node:worker_threads';
import type { LedgerEntry } from '@ward/ledger';
import { prepareEntries, type HasherReply } from './entry-hasher.js';

parentPort?.on('message', (request: { id: number; entries: LedgerEntry[] }) => {
  let reply: HasherReply;
  try {
    const { texts, hashes } = prepareEntries(request.entries);
    reply = { id: request.id, texts: [...texts], hashes };
    parentPort?.postMessage(reply, [hashes.buffer as ArrayBuffer]);
  } catch (error) {
    const field =
      typeof error === 'object' && error !== null && 'details' in error
        ? (error as { details?: { field?: unknown } }).details?.field
        : undefined;
    reply = { id: request.id, error: { message: error instanceof Error ? error.message : 'invalid entry', field } };
    parentPort?.postMessage(reply);
  }
});
