/**
 * @module routes/feeds
 * Vulnerability feeds over HTTP, through the feed service: upload a feed document (NVD API 2.0,
 * CVE JSON 5, OSV, CSAF, KEV, EPSS; detected by content), list what was imported, and where the
 * sync of each source stands (the `feeds.sync` job does the fetching).
 */
import { DEFAULT_SOURCES } from '@ward/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../errors.js';
import { DOCUMENT_LIMIT, problemSchema, rejectedSchema } from './software.js';
import { bytesOf, withRawBodies } from './uploads.js';

const importSchema = z.object({
  sha256: z.string(),
  fileName: z.string(),
  format: z.string(),
  recordCount: z.number(),
  problemCount: z.number(),
  importedAt: z.string(),
});

export const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/feeds',
    {
      config: { access: 'feeds:read' },
      schema: {
        tags: ['feeds'],
        summary: 'Imported feed documents, newest first, and how many vulnerabilities are stored',
        response: { 200: z.object({ items: z.array(importSchema).readonly(), vulnerabilities: z.number() }) },
      },
    },
    async (request) => {
      const { imports, vulnerabilities } = await app.services.feeds(actorOf(request)).list();
      return { items: imports, vulnerabilities };
    },
  );

  app.get(
    '/feeds/sync',
    {
      config: { access: 'feeds:read' },
      schema: {
        tags: ['feeds'],
        summary: 'Where the sync of each default source stands: documents tracked and the last one stored',
        response: {
          200: z.object({
            sources: z
              .array(
                z.object({
                  name: z.string(),
                  kind: z.string(),
                  url: z.string(),
                  documents: z.number(),
                  lastUpdatedAt: z.string().nullable(),
                }),
              )
              .readonly(),
          }),
        },
      },
    },
    async () => ({
      sources: await Promise.all(
        DEFAULT_SOURCES.map(async (source) => {
          const states = await app.store.feedSync.listStates(source.name);
          const last =
            states
              .map((s) => s.updatedAt)
              .sort()
              .at(-1) ?? null;
          return {
            name: source.name,
            kind: source.kind,
            url: 'url' in source ? source.url : '',
            documents: states.length,
            lastUpdatedAt: last,
          };
        }),
      ),
    }),
  );

  await withRawBodies(app, DOCUMENT_LIMIT, (sub) => {
    sub.post(
      '/feeds/import',
      {
        config: { access: 'feeds:write' },
        bodyLimit: DOCUMENT_LIMIT,
        schema: {
          tags: ['feeds'],
          summary: 'Import one feed document (the body is the file; its format is detected by content)',
          description:
            'One transaction per document; the same bytes imported again change nothing (imported: false). A document ' +
            'in no format Ward reads answers 422.',
          querystring: z.object({ file: z.string().min(1).max(200).default('upload') }),
          response: {
            200: z.object({
              file: z.string(),
              format: z.string(),
              sha256: z.string(),
              imported: z.boolean(),
              records: z.number(),
              problems: z.array(problemSchema).readonly(),
            }),
            422: rejectedSchema,
          },
        },
      },
      async (request, reply) => {
        const file = request.query.file;
        const outcome = await app.services.feeds(actorOf(request)).importDocument(bytesOf(request.body), file);
        if (outcome.kind === 'unrecognised' || outcome.format === null) {
          return reply
            .status(422)
            .type(PROBLEM_CONTENT_TYPE)
            .send({
              ...problemOf('INTEL_FEED_UNRECOGNISED', `${file}: not a feed format Ward reads`, {
                instance: request.url.split('?')[0] ?? request.url,
              }),
              status: 422,
              problems: outcome.problems,
            });
        }
        return {
          file,
          format: outcome.format,
          sha256: outcome.sha256,
          imported: outcome.kind === 'imported',
          records: outcome.records,
          problems: outcome.problems,
        };
      },
    );
  });
};
