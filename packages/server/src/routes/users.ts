/**
 * @module routes/users
 * Accounts, for administrators (auditors may read).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit.js';
import { idParams, roleSchema, userSchema } from './schemas.js';

export const userRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/users',
    {
      config: { access: 'users:read' },
      schema: {
        tags: ['users'],
        summary: 'List accounts',
        response: { 200: z.object({ items: z.array(userSchema) }) },
      },
    },
    async () => ({ items: [...(await app.accounts.listUsers())] }),
  );

  app.post(
    '/users',
    {
      config: { access: 'users:write' },
      schema: {
        tags: ['users'],
        summary: 'Create an account; without a password one is generated and returned once',
        body: z.object({
          username: z.string().min(1).max(64),
          role: roleSchema,
          displayName: z.string().max(200).nullable().optional(),
          password: z.string().max(4096).optional(),
        }),
        response: {
          201: z.object({ user: userSchema, generatedPassword: z.string().optional() }),
        },
      },
    },
    async (request, reply) => {
      const { username, role, displayName, password } = request.body;
      const result = await app.services.accountAdmin(actorOf(request)).addUser({
        username,
        role,
        ...(displayName === undefined ? {} : { displayName }),
        ...(password === undefined ? {} : { password }),
      });
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/users/:id',
    {
      config: { access: 'users:read' },
      schema: { tags: ['users'], summary: 'One account', params: idParams, response: { 200: userSchema } },
    },
    (request) => app.accounts.findUser(request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: { access: 'users:write' },
      schema: {
        tags: ['users'],
        summary: 'Change role or disable an account (never the last active administrator)',
        params: idParams,
        body: z
          .object({ role: roleSchema.optional(), disabled: z.boolean().optional() })
          .refine((b) => b.role !== undefined || b.disabled !== undefined, 'give role or disabled'),
        response: { 200: userSchema },
      },
    },
    (request) => {
      const { role, disabled } = request.body;
      return app.services.accountAdmin(actorOf(request)).updateUser(request.params.id, {
        ...(role === undefined ? {} : { role }),
        ...(disabled === undefined ? {} : { disabled }),
      });
    },
  );
  return Promise.resolve();
};
