/**
 * @module routes/system
 * Liveness and readiness, for load balancers and orchestrators.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServerError, WARD_VERSION } from '@ward/services';

export const systemRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) },
      },
    },
    () => ({ status: 'ok' as const, version: WARD_VERSION }),
  );

  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers',
        response: { 200: z.object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']) }) },
      },
    },
    async () => {
      try {
        await app.store.ping();
      } catch (error) {
        throw new ServerError('SERVER_NOT_READY', 'the database does not answer', { cause: error });
      }
      return { status: 'ready' as const, database: app.store.kind };
    },
  );
  return Promise.resolve();
};
