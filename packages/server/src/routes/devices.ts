/**
 * @module routes/devices
 * The device inventory over HTTP: list with filters, full-text search, sort and cursor pagination;
 * one device with its provenance, conflicts and identifiers; its change history; a person's
 * create and edit; imports (CSV, TSV, FHIR R4 JSON/XML) and exports (FHIR R4 Bundle, CSV); saved
 * column mappings. Every change goes through the InventoryService.
 */
import { CRITICALITIES, DEVICE_TYPES, LIFECYCLE_STATES, SUPPORT_STATUSES } from '@ward/core';
import { IMPORT_FORMATS, type ImportReport, type InventoryService } from '@ward/inventory';
import type { FastifyRequest } from 'fastify';
import { INVENTORY_SORTS } from '@ward/store';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServerError } from '@ward/services';
import { actorOf } from '../audit.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../errors.js';
import { deviceHistorySchema, inventoryDeviceSchema } from './schemas.js';

const text = z.string().trim().max(200);
const optionalText = text.nullable().optional();
const list = z.array(z.string().trim().max(2000)).max(200).nullable().optional();

/** What a person may set. Values are checked again by the service (MACs, IPs, UDI, dates). */
const deviceFields = z
  .object({
    name: text.min(1).nullable().optional(),
    type: z.enum(DEVICE_TYPES).nullable().optional(),
    manufacturer: optionalText,
    model: optionalText,
    firmwareVersion: optionalText,
    osVersion: optionalText,
    serialNumber: optionalText,
    assetTag: optionalText,
    udi: z.string().trim().max(512).nullable().optional().describe('A GS1 or HIBCC UDI carrier'),
    macs: list,
    ips: list,
    hostnames: list,
    dicomAeTitles: list,
    location: z
      .object({ site: optionalText, building: optionalText, unit: optionalText, room: optionalText })
      .strict()
      .optional(),
    department: optionalText,
    owner: optionalText,
    criticality: z.enum(CRITICALITIES).nullable().optional(),
    phi: z.boolean().nullable().optional(),
    network: z.object({ vlan: optionalText, subnet: optionalText }).strict().optional(),
    supportStatus: z.enum(SUPPORT_STATUSES).nullable().optional(),
    endOfSupport: z.string().max(10).nullable().optional().describe('YYYY-MM-DD'),
    lifecycle: z.enum(LIFECYCLE_STATES).nullable().optional(),
    sbomIds: list,
    documents: z
      .array(z.object({ title: text, url: z.string().max(2000) }).strict())
      .max(100)
      .nullable()
      .optional(),
    parentId: optionalText,
  })
  .strict()
  .describe('Fields to set; null hands a field back to the other sources');

type DeviceFields = z.infer<typeof deviceFields>;

/** The API's nested shape as the service's flat field names (`location.room`). */
function patchOf(body: DeviceFields): Record<string, unknown> {
  const { location, network, ...rest } = body;
  const patch: Record<string, unknown> = { ...rest };
  for (const [k, v] of Object.entries(location ?? {})) patch[`location.${k}`] = v;
  for (const [k, v] of Object.entries(network ?? {})) patch[`network.${k}`] = v;
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(1000).optional(),
  type: z.enum(DEVICE_TYPES).optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  department: z.string().max(200).optional(),
  vendor: z.string().max(200).optional().describe('Manufacturer prefix, case-insensitive'),
  lifecycle: z.enum(LIFECYCLE_STATES).optional(),
  seenSince: z.iso.datetime({ offset: true }).optional().describe('Last seen on the network at or after'),
  hasFindings: z.enum(['true', 'false']).optional().describe('By the open-findings count kept on each device'),
  q: z.string().max(200).optional().describe('Full-text search: every word must start a word of the device'),
  sort: z.enum(INVENTORY_SORTS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

type ListQuery = z.infer<typeof listQuery>;

function filtersOf(q: Omit<ListQuery, 'limit' | 'cursor'>) {
  return {
    type: q.type,
    criticality: q.criticality,
    department: q.department,
    vendor: q.vendor,
    lifecycle: q.lifecycle,
    seenSince: q.seenSince === undefined ? undefined : new Date(q.seenSince).toISOString(),
    hasFindings: q.hasFindings === undefined ? undefined : q.hasFindings === 'true',
    q: q.q,
    sort: q.sort,
    order: q.order,
  };
}

const idParams = z.object({ id: z.string().min(1).max(200) });

const IMPORT_TYPES = [
  'text/csv',
  'text/tab-separated-values',
  'text/plain',
  'application/json',
  'application/fhir+json',
  'application/xml',
  'application/fhir+xml',
  'text/xml',
];

const importReportSchema = z.looseObject({}).describe('What the import changed or would change');

export const deviceRoutes: FastifyPluginAsyncZod = async (app) => {
  /** The inventory acting for the request's principal: each change it commits is audited as theirs. */
  const inventoryOf = (request: FastifyRequest): InventoryService => app.services.inventory(actorOf(request));

  const notFound = (id: string): never => {
    throw new ServerError('SERVER_RESOURCE_NOT_FOUND', `no device ${id}`, { details: { field: 'id' } });
  };

  app.get(
    '/devices',
    {
      config: { access: 'devices:read' },
      schema: {
        tags: ['devices'],
        summary: 'List devices: filters, full-text search, sort, cursor pagination',
        querystring: listQuery,
        response: {
          200: z.object({
            items: z.array(inventoryDeviceSchema).readonly(),
            nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
          }),
        },
      },
    },
    async (request) => {
      const { limit, cursor, ...rest } = request.query;
      const page = await inventoryOf(request).list({ ...filtersOf(rest), limit, cursor });
      return { items: page.items, nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/devices/export',
    {
      config: { access: 'devices:read' },
      schema: {
        tags: ['devices'],
        summary: 'Export devices as a FHIR R4 Bundle of Device resources, or as CSV',
        querystring: listQuery
          .omit({ limit: true, cursor: true })
          .extend({ format: z.enum(['fhir', 'csv']).default('fhir') }),
      },
    },
    async (request, reply) => {
      const { format, ...rest } = request.query;
      const filters = filtersOf(rest);
      if (format === 'csv') {
        let out = '';
        for await (const line of inventoryOf(request).exportCsv(filters)) out += line;
        return reply.type('text/csv; charset=utf-8').send(out);
      }
      return reply.type('application/fhir+json').send(JSON.stringify(await inventoryOf(request).exportFhir(filters)));
    },
  );

  app.get(
    '/devices/mappings',
    {
      config: { access: 'devices:read' },
      schema: { tags: ['devices'], summary: 'Saved CSV column mappings' },
    },
    async (request) => ({ items: await inventoryOf(request).listMappings() }),
  );

  app.put(
    '/devices/mappings/:name',
    {
      config: { access: 'devices:write' },
      schema: {
        tags: ['devices'],
        summary: 'Save a CSV column mapping under a name',
        params: z.object({ name: z.string().min(1).max(64) }),
        body: z.looseObject({}),
      },
    },
    async (request) => ({
      name: request.params.name,
      mapping: await inventoryOf(request).saveMapping(request.params.name, request.body),
    }),
  );

  app.get(
    '/devices/:id',
    {
      config: { access: 'devices:read' },
      schema: {
        tags: ['devices'],
        summary: 'One device: values, provenance of each, conflicts, identifiers',
        params: idParams,
        response: {
          200: inventoryDeviceSchema.extend({
            identifiers: z.array(z.object({ kind: z.string(), value: z.string() })).readonly(),
          }),
        },
      },
    },
    async (request) => {
      const detail = (await inventoryOf(request).detail(request.params.id)) ?? notFound(request.params.id);
      return { ...detail.device, identifiers: detail.identifiers };
    },
  );

  app.get(
    '/devices/:id/history',
    {
      config: { access: 'devices:read' },
      schema: {
        tags: ['devices'],
        summary: 'Every change of one device, oldest first (retiring deletes nothing)',
        params: idParams,
        response: { 200: z.object({ items: z.array(deviceHistorySchema).readonly() }) },
      },
    },
    async (request) => {
      if ((await inventoryOf(request).get(request.params.id)) === undefined) notFound(request.params.id);
      return { items: await inventoryOf(request).history(request.params.id) };
    },
  );

  app.post(
    '/devices',
    {
      config: { access: 'devices:write' },
      schema: {
        tags: ['devices'],
        summary: 'Record a device by hand (joins an existing record when a strong identifier matches)',
        body: deviceFields.extend({ name: text.min(1) }),
        response: { 201: inventoryDeviceSchema },
      },
    },
    async (request, reply) => {
      const device = await inventoryOf(request).create(patchOf(request.body), request.principal?.user.id ?? 'unknown');
      return reply.status(201).send(device);
    },
  );

  app.patch(
    '/devices/:id',
    {
      config: { access: 'devices:write' },
      schema: {
        tags: ['devices'],
        summary: "A person's change to a device; it outranks imports and the sensor",
        params: idParams,
        body: deviceFields,
        response: { 200: inventoryDeviceSchema },
      },
    },
    async (request) => {
      if ((await inventoryOf(request).get(request.params.id)) === undefined) notFound(request.params.id);
      return inventoryOf(request).edit(
        request.params.id,
        patchOf(request.body),
        request.principal?.user.id ?? 'unknown',
      );
    },
  );

  // Imports take the file as the body, in its own media type: their own parsers, a larger limit.
  await app.register((plain) => {
    const sub = plain.withTypeProvider<ZodTypeProvider>();
    sub.removeContentTypeParser(['application/json', 'text/plain']);
    sub.addContentTypeParser(IMPORT_TYPES, { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => {
      done(null, body);
    });
    sub.post(
      '/devices/import',
      {
        config: { access: 'devices:write' },
        bodyLimit: 64 * 1024 * 1024,
        schema: {
          tags: ['devices'],
          summary: 'Import a CSV/TSV export or FHIR R4 Device/DeviceDefinition (JSON or XML, single or Bundle)',
          description:
            'The body is the file. With atomic (default) a file with any bad record commits nothing and answers 422 ' +
            'with every problem (row and column, or FHIR path); dryRun reports what would change and writes nothing.',
          querystring: z.object({
            file: z.string().min(1).max(200).default('upload'),
            format: z.enum(IMPORT_FORMATS).optional(),
            mapping: z.string().min(1).max(64).optional(),
            dryRun: z.enum(['true', 'false']).default('false'),
            atomic: z.enum(['true', 'false']).default('true'),
          }),
          response: {
            200: importReportSchema,
            422: z.looseObject({}).describe('problem+json with every bad record and the report'),
          },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const body = typeof request.body === 'string' ? request.body : '';
        const report: ImportReport = await inventoryOf(request).import(body, {
          file: q.file,
          ...(q.format === undefined ? {} : { format: q.format }),
          ...(q.mapping === undefined ? {} : { mapping: q.mapping }),
          dryRun: q.dryRun === 'true',
          atomic: q.atomic === 'true',
        });
        if (report.atomic && report.problems.length > 0) {
          const problem = problemOf(
            'INVENTORY_IMPORT_REJECTED',
            `${String(report.problems.length)} bad records; nothing was imported`,
            {
              instance: request.url.split('?')[0] ?? request.url,
              errors: report.problems.map((p) => ({
                field: p.field === null ? p.ref : `${p.ref}: ${p.field}`,
                message: p.reason,
              })),
            },
          );
          return reply
            .status(422)
            .type(PROBLEM_CONTENT_TYPE)
            .send({ ...problem, report });
        }
        const answer: Record<string, unknown> = { ...report };
        return answer;
      },
    );
    return Promise.resolve();
  });
};
