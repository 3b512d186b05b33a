/**
 * @module routes/findings
 * Stored findings over HTTP: the open (or closed, or all) findings with filters and cursor paging,
 * and one finding by id. They are kept current by the services (an SBOM, a feed document or a VEX
 * decision recomputes the findings it can change).
 */
import { ServerError, findingView } from '@ward/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit.js';

const name = z.string().trim().min(1).max(200);
const findingSchema = z
  .looseObject({
    id: z.string(),
    vulnerability: z.string(),
    component: z.string(),
    matchedBy: z.string(),
    confidence: z.string(),
    explanation: z.string(),
    kev: z.boolean(),
    epss: z.number().nullable(),
    vexStatus: z.string().nullable(),
    manufacturer: z.string(),
    model: z.string(),
    firmware: z.string(),
    sbom: z.string(),
    status: z.enum(['open', 'closed']),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .describe('A finding (every field of `ward findings list --json`) with where it is and whether it is open');

export const findingRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/findings',
    {
      config: { access: 'findings:read' },
      schema: {
        tags: ['findings'],
        summary: 'Stored findings with filters, one page at a time (by id)',
        querystring: z.object({
          manufacturer: name.optional(),
          model: name.optional(),
          firmware: name.optional(),
          vulnerability: z.string().trim().min(1).max(100).optional(),
          sbom: z.string().min(1).max(100).optional(),
          status: z.enum(['open', 'closed', 'all']).default('open'),
          kev: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().min(1).max(500).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(findingSchema).readonly(),
            nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await app.services.findings(actorOf(request)).list({
        limit: q.limit,
        status: q.status,
        ...(q.manufacturer === undefined ? {} : { manufacturer: q.manufacturer }),
        ...(q.model === undefined ? {} : { model: q.model }),
        ...(q.firmware === undefined ? {} : { firmware: q.firmware }),
        ...(q.vulnerability === undefined ? {} : { vulnerability: q.vulnerability }),
        ...(q.sbom === undefined ? {} : { sbomId: q.sbom }),
        ...(q.kev === undefined ? {} : { kev: q.kev === 'true' }),
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      });
      return { items: page.items.map((f) => ({ ...findingView(f) })), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/findings/:id',
    {
      config: { access: 'findings:read' },
      schema: {
        tags: ['findings'],
        summary: 'One finding, with why it matched (explanation and structured evidence)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: findingSchema },
      },
    },
    async (request) => {
      const found = await app.services.findings(actorOf(request)).get(request.params.id);
      if (found === undefined) {
        throw new ServerError('SERVER_RESOURCE_NOT_FOUND', `no finding ${request.params.id}`, {
          details: { field: 'id' },
        });
      }
      return { ...findingView(found) };
    },
  );
  return Promise.resolve();
};
