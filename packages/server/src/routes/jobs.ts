/**
 * @module routes/jobs
 * The scheduled jobs over HTTP: what each did last and when it runs next, and "run now". The
 * runner and its rules are `JobRunner` in `@ward/services`; these handlers only call it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const timestamp = z.string().describe('ISO 8601, UTC');

export const jobSchema = z
  .object({
    name: z.string(),
    everySeconds: z.number().describe('Seconds from the end of a successful run to the next'),
    enabled: z.boolean(),
    state: z.enum(['idle', 'running', 'failed']),
    lastStartedAt: timestamp.nullable(),
    lastFinishedAt: timestamp.nullable(),
    lastOutcome: z.enum(['ok', 'failed']).nullable(),
    lastError: z.string().nullable().describe('`CODE: message` of the last run, when it failed'),
    lastSummary: z.unknown().describe('What the last successful run reported (counts, cursors)'),
    nextRunAt: timestamp,
    runs: z.number(),
    leaseOwner: z.string().nullable().describe('The server running the job now (host/pid/random)'),
    leaseExpiresAt: timestamp.nullable(),
  })
  .meta({ id: 'Job' });

const jobName = z.string().regex(/^[a-z][a-z0-9.-]{0,127}$/, 'expected a job name such as sessions.prune');

export const jobRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/jobs',
    {
      config: { access: 'jobs:read' },
      schema: {
        tags: ['jobs'],
        summary: "The scheduled jobs: each one's last run, outcome and next due time",
        response: { 200: z.object({ items: z.array(jobSchema) }) },
      },
    },
    async () => ({ items: await app.services.jobs.list() }),
  );

  app.post(
    '/jobs/:name/run',
    {
      config: { access: 'jobs:write' },
      schema: {
        tags: ['jobs'],
        summary: 'Run a job now, on schedule or not; answers once it has started (409 while it runs anywhere)',
        params: z.object({ name: jobName }),
        response: { 202: z.object({ job: jobSchema }) },
      },
    },
    async (request, reply) => {
      // The run's outcome is recorded by the runner; `done` never rejects.
      const { job, done } = await app.services.jobs.runNow(request.params.name);
      void done;
      return reply.status(202).send({ job });
    },
  );
  return Promise.resolve();
};
