/**
 * @module routes/tokens
 * API tokens for machines (sensors, SIEM exports, scripts). The secret is returned once, at
 * creation; Ward keeps only its SHA-256 digest.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit.js';
import { idParams, tokenSchema } from './schemas.js';

export const tokenRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/tokens',
    {
      config: { access: 'tokens:read' },
      schema: {
        tags: ['tokens'],
        summary: 'List API tokens (never their secrets)',
        querystring: z.object({ user: z.string().min(1).max(200).optional() }),
        response: { 200: z.object({ items: z.array(tokenSchema) }) },
      },
    },
    async (request) => {
      const filter = request.query.user;
      const userId = filter === undefined ? undefined : (await app.accounts.findUser(filter)).id;
      return { items: [...(await app.accounts.listTokens(userId))] };
    },
  );

  app.post(
    '/tokens',
    {
      config: { access: 'tokens:write' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token for a user; the secret is in this response only',
        body: z.object({
          user: z.string().min(1).max(200).describe('User id or username'),
          name: z.string().min(1).max(200),
          expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
        }),
        response: { 201: z.object({ token: tokenSchema, secret: z.string() }) },
      },
    },
    async (request, reply) => {
      const { user, name, expiresAt } = request.body;
      const created = await app.services
        .accountAdmin(actorOf(request))
        .createToken({ user, name, expiresAt: expiresAt ?? null });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/tokens/:id',
    {
      config: { access: 'tokens:write' },
      schema: { tags: ['tokens'], summary: 'Revoke an API token', params: idParams, response: { 200: tokenSchema } },
    },
    (request) => app.services.accountAdmin(actorOf(request)).revokeToken(request.params.id),
  );
  return Promise.resolve();
};
