/**
 * @module routes/ledger
 * The integrity ledger over HTTP: the signed checkpoint, inclusion and consistency proofs, entries,
 * and health-record version commitments (a hash or salted commitment — never the record).
 */
import { LedgerError, parseEntry, type LedgerEntry } from '@ward/ledger';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServerError } from '@ward/services';

const hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex characters');
const opaqueId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'expected an opaque identifier (letters, digits, . _ : -)');
const count = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const checkpointView = z.object({
  origin: z.string(),
  size: z.number(),
  rootHash: hex,
  note: z.string().describe('The checkpoint as a C2SP signed note'),
});
const inclusionView = z.object({
  leafIndex: z.number(),
  treeSize: z.number(),
  leafHash: hex,
  hashes: z.array(hex),
  rootHash: hex,
});
const consistencyView = z.object({
  first: z.number(),
  second: z.number(),
  hashes: z.array(hex),
  firstRoot: hex,
  secondRoot: hex,
});

function asRecord(entry: LedgerEntry): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry));
}

export const ledgerRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/ledger/checkpoint',
    {
      config: { access: 'ledger:read' },
      schema: {
        tags: ['ledger'],
        summary: 'The latest signed checkpoint (JSON; the bare signed note with Accept: text/plain)',
        response: { 200: checkpointView.extend({ verifierKeys: z.array(z.string()) }) },
      },
    },
    async (request, reply) => {
      const checkpoint = await app.ledger.checkpoint();
      const accept = request.headers.accept ?? '';
      if (accept.includes('text/plain') && !accept.includes('application/json')) {
        // A string body bypasses the JSON serializer.
        return reply.type('text/plain; charset=utf-8').send(checkpoint.note as never);
      }
      return { ...checkpoint, verifierKeys: [...app.ledger.verifierKeys] };
    },
  );

  app.get(
    '/ledger/proof/inclusion',
    {
      config: { access: 'ledger:read' },
      schema: {
        tags: ['ledger'],
        summary: 'RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves',
        querystring: z.object({ index: count, size: count.optional().describe('Default: the latest checkpoint') }),
        response: { 200: inclusionView },
      },
    },
    async (request) => {
      const size = request.query.size ?? (await app.ledger.checkpoint()).size;
      return app.ledger.inclusion(request.query.index, size);
    },
  );

  app.get(
    '/ledger/proof/consistency',
    {
      config: { access: 'ledger:read' },
      schema: {
        tags: ['ledger'],
        summary: 'RFC 9162 consistency proof between the trees of `first` and `second` leaves',
        querystring: z.object({ first: count, second: count }),
        response: { 200: consistencyView },
      },
    },
    (request) => app.ledger.consistency(request.query.first, request.query.second),
  );

  app.get(
    '/ledger/entries',
    {
      config: { access: 'ledger:read' },
      schema: {
        tags: ['ledger'],
        summary: 'Entries with index in [start, end), at most 1000',
        querystring: z
          .object({ start: count, end: count })
          .refine((q) => q.end >= q.start && q.end - q.start <= 1000, 'end must be within start…start+1000'),
        response: {
          200: z.object({
            items: z.array(z.object({ index: z.number(), leafHash: hex, entry: z.record(z.string(), z.unknown()) })),
          }),
        },
      },
    },
    async (request) => ({
      items: (await app.ledger.entries(request.query.start, request.query.end)).map((e) => ({
        ...e,
        entry: asRecord(e.entry),
      })),
    }),
  );

  app.post(
    '/ledger/records',
    {
      config: { access: 'ledger:write' },
      schema: {
        tags: ['ledger'],
        summary:
          'Commit a health-record version: its SHA-256, or a salted commitment. Never the record. The record id is logged only as a keyed pseudonym.',
        body: z.union([
          z.object({ recordId: opaqueId, version: z.number().int().min(1), sha256: hex }).strict(),
          z.object({ recordId: opaqueId, version: z.number().int().min(1), commitment: hex }).strict(),
        ]),
        response: {
          201: z.object({
            leafIndex: z.number(),
            pseudonym: z.string().describe('How the record id appears in the log'),
            inclusion: inclusionView,
            checkpoint: checkpointView,
          }),
        },
      },
    },
    async (request, reply) => {
      // The client's record id may be a medical record number: only its pseudonym enters the log.
      const pseudonym = app.ledger.pseudonym(request.body.recordId);
      const entry: LedgerEntry = parseEntry({
        kind: 'record',
        at: new Date().toISOString(),
        ...request.body,
        recordId: pseudonym,
      });
      const existing = await app.ledger.recordVersions(pseudonym);
      if (existing.some((v) => v.version === request.body.version)) {
        throw new LedgerError(
          'LEDGER_INPUT_INVALID',
          `version ${String(request.body.version)} of this record is already committed`,
          {
            details: { field: 'version' },
          },
        );
      }
      const [leafIndex = -1] = await app.ledger.append([entry]);
      const checkpoint = await app.ledger.checkpoint();
      const inclusion = await app.ledger.inclusion(leafIndex, checkpoint.size);
      return reply.status(201).send({ leafIndex, pseudonym, inclusion, checkpoint });
    },
  );

  app.get(
    '/ledger/records/:id',
    {
      config: { access: 'ledger:read' },
      schema: {
        tags: ['ledger'],
        summary: 'Every committed version of a record, each with its inclusion proof in the latest checkpoint',
        params: z.object({ id: opaqueId }),
        response: {
          200: z.object({
            recordId: z.string(),
            pseudonym: z.string(),
            checkpoint: checkpointView,
            versions: z.array(
              z.object({
                version: z.number(),
                leafIndex: z.number(),
                entry: z.record(z.string(), z.unknown()),
                inclusion: inclusionView,
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const checkpoint = await app.ledger.checkpoint();
      const pseudonym = app.ledger.pseudonym(request.params.id);
      const rows = (await app.ledger.recordVersions(pseudonym)).filter((r) => r.leafIndex < checkpoint.size);
      const versions = await Promise.all(
        rows.map(async (row) => {
          const [found] = await app.ledger.entries(row.leafIndex, row.leafIndex + 1);
          if (
            found?.entry.kind !== 'record' ||
            found.entry.recordId !== row.recordId ||
            found.entry.version !== row.version
          ) {
            throw new ServerError(
              'SERVER_LEDGER_CORRUPT',
              `the record index points at leaf ${String(row.leafIndex)}, which is not that version`,
            );
          }
          return {
            version: row.version,
            leafIndex: row.leafIndex,
            entry: asRecord(found.entry),
            inclusion: await app.ledger.inclusion(row.leafIndex, checkpoint.size),
          };
        }),
      );
      return { recordId: request.params.id, pseudonym, checkpoint, versions };
    },
  );
  return Promise.resolve();
};
