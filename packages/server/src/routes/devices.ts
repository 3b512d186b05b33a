/**
 * @module routes/devices
 * The device inventory, as far as the foundation goes: list, read, create. The inventory
 * capability extends these routes.
 */
import { randomUUID } from 'node:crypto';
import { DEVICE_TYPES } from '@ward/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import { deviceSchema, idParams, pageOf, pageQuery } from './schemas.js';

export const deviceRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/devices',
    {
      config: { access: 'devices:read' },
      schema: {
        tags: ['devices'],
        summary: 'List devices, oldest first, with cursor pagination',
        querystring: pageQuery,
        response: { 200: pageOf(deviceSchema) },
      },
    },
    async (request) => {
      const page = await app.store.devices.list({ limit: request.query.limit, cursor: request.query.cursor });
      return { items: [...page.items], nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/devices/:id',
    {
      config: { access: 'devices:read' },
      schema: { tags: ['devices'], summary: 'One device', params: idParams, response: { 200: deviceSchema } },
    },
    async (request) => {
      const device = await app.store.devices.get(request.params.id);
      if (device === undefined) {
        throw new ServerError('SERVER_RESOURCE_NOT_FOUND', `no device ${request.params.id}`, {
          details: { field: 'id' },
        });
      }
      return device;
    },
  );

  app.post(
    '/devices',
    {
      config: { access: 'devices:write' },
      schema: {
        tags: ['devices'],
        summary: 'Record a device by hand',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          type: z.enum(DEVICE_TYPES).default('unknown'),
          manufacturer: z.string().trim().min(1).max(200).nullable().default(null),
          model: z.string().trim().min(1).max(200).nullable().default(null),
        }),
        response: { 201: deviceSchema },
      },
    },
    async (request, reply) => {
      const device = await app.store.devices.create({
        id: randomUUID(),
        ...request.body,
        createdAt: new Date().toISOString(),
      });
      return reply.status(201).send(device);
    },
  );
  return Promise.resolve();
};
