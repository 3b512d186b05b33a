/**
 * @module routes/software
 * SBOMs and VEX over HTTP, through the software service: upload an SBOM for a device model and
 * firmware (the body is the file, any format Ward reads), list and show SBOMs; import a VEX
 * document or record one decision for a model, list the decisions, export them as CycloneDX, CSAF
 * 2.0 VEX or OpenVEX. Every change is audited as the caller's.
 */
import { VEX_JUSTIFICATIONS, VEX_STATUSES, type IntelProblem } from '@ward/intel';
import { ServerError } from '@ward/services';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../errors.js';
import { bytesOf, withRawBodies } from './uploads.js';

const name = z.string().trim().min(1).max(200);
const fileName = z.string().min(1).max(200).default('upload');
const modelQuery = z.object({ manufacturer: name, model: name });
export const problemSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  file: z.string().nullable(),
  record: z.string().nullable(),
  field: z.string().nullable(),
  message: z.string(),
});
const nullableText = z.string().nullable();
const attachmentSchema = z.object({ manufacturer: z.string(), model: z.string(), firmware: z.string() });
const sbomSummarySchema = z.object({
  id: z.string(),
  format: z.string(),
  specVersion: z.string(),
  serial: nullableText,
  docVersion: z.number().nullable(),
  subject: z.object({ name: nullableText, version: nullableText, manufacturer: nullableText }),
  fileName: z.string(),
  sha256: z.string(),
  componentCount: z.number(),
  importedAt: z.string(),
  attachments: z.array(attachmentSchema).readonly(),
});
const componentSchema = z.object({
  ref: z.string(),
  name: z.string(),
  version: nullableText,
  group: nullableText,
  supplier: nullableText,
  purl: nullableText,
  cpe: nullableText,
  kind: nullableText,
  hashes: z.array(z.object({ alg: z.string(), content: z.string() })).readonly(),
  parent: nullableText,
  endOfSupport: nullableText,
  levelOfSupport: nullableText,
  identity: z.string(),
});
const sbomDetailSchema = sbomSummarySchema.extend({
  components: z.array(componentSchema).readonly(),
  dependencies: z.array(z.object({ from: z.string(), to: z.string() })).readonly(),
});
const decisionSchema = z.object({
  id: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  vulnerability: z.string(),
  componentIdentity: z.string(),
  component: z.string(),
  componentName: nullableText,
  componentVersion: nullableText,
  versionRange: nullableText,
  status: z.enum(VEX_STATUSES),
  justification: nullableText,
  sourceJustification: nullableText,
  impactStatement: nullableText,
  actionStatement: nullableText,
  author: z.string(),
  decidedAt: z.string(),
  origin: z.string(),
});
export const rejectedSchema = z.looseObject({}).describe('problem+json naming every problem (file, record, field)');

/** Largest SBOM, VEX or feed document accepted over HTTP. */
export const DOCUMENT_LIMIT = 64 * 1024 * 1024;

/**
 * 422 problem+json naming every problem of a document that could not be read; its code and detail
 * are those of the first error (else `fallback`).
 */
function rejected(url: string, file: string, fallback: string, what: string, problems: readonly IntelProblem[]) {
  const first = problems.find((p) => p.severity === 'error') ?? problems[0];
  return {
    ...problemOf(first?.code ?? fallback, `${file}: ${first?.message ?? what}`, {
      instance: url.split('?')[0] ?? url,
      errors: problems.map((p) => ({
        field: [p.file, p.record, p.field].filter((x) => x !== null && x !== '').join(' '),
        message: `${p.code}: ${p.message}`,
      })),
    }),
    status: 422,
    problems,
  };
}

export const softwareRoutes: FastifyPluginAsyncZod = async (app) => {
  const softwareOf = (request: FastifyRequest) => app.services.software(actorOf(request));

  app.get(
    '/sboms',
    {
      config: { access: 'software:read' },
      schema: {
        tags: ['software'],
        summary: 'List SBOMs, newest first',
        querystring: z.object({ manufacturer: name.optional(), model: name.optional(), firmware: name.optional() }),
        response: { 200: z.object({ items: z.array(sbomSummarySchema).readonly() }) },
      },
    },
    async (request) => ({ items: await softwareOf(request).listSboms(request.query) }),
  );

  app.get(
    '/sboms/:id',
    {
      config: { access: 'software:read' },
      schema: {
        tags: ['software'],
        summary: 'One SBOM with its components and dependency graph',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: {
          200: sbomDetailSchema,
        },
      },
    },
    async (request) => {
      const detail = await softwareOf(request).getSbom(request.params.id);
      if (detail === undefined) {
        throw new ServerError('SERVER_RESOURCE_NOT_FOUND', `no SBOM ${request.params.id}`, {
          details: { field: 'id' },
        });
      }
      return detail;
    },
  );

  app.get(
    '/vex',
    {
      config: { access: 'software:read' },
      schema: {
        tags: ['software'],
        summary: 'The current VEX decisions of a model (or every one, oldest first, with history=true)',
        querystring: modelQuery.extend({ history: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.object({ decisions: z.array(decisionSchema).readonly() }) },
      },
    },
    async (request) => {
      const { history, ...model } = request.query;
      return { decisions: await softwareOf(request).listVex(model, { history: history === 'true' }) };
    },
  );

  app.get(
    '/vex/export',
    {
      config: { access: 'software:read' },
      schema: {
        tags: ['software'],
        summary: 'The current VEX decisions of a model as a validated CycloneDX, CSAF 2.0 VEX or OpenVEX document',
        querystring: modelQuery.extend({
          format: z.enum(['cyclonedx', 'csaf', 'openvex']),
          firmware: name.optional(),
          author: name.optional(),
        }),
      },
    },
    async (request, reply) => {
      const { format, firmware, author, ...model } = request.query;
      const { document } = await softwareOf(request).exportVex({
        model,
        format,
        ...(firmware === undefined ? {} : { firmware }),
        ...(author === undefined ? {} : { author }),
      });
      return reply.type('application/json; charset=utf-8').send(document);
    },
  );

  app.post(
    '/vex/decisions',
    {
      config: { access: 'software:write' },
      schema: {
        tags: ['software'],
        summary: "Record one person's VEX decision for a component of a model",
        body: z
          .object({
            manufacturer: name,
            model: name,
            vulnerability: z.string().trim().min(1).max(100),
            component: z.string().trim().min(1).max(2000),
            status: z.enum(VEX_STATUSES),
            justification: z.enum(VEX_JUSTIFICATIONS).optional(),
            componentVersion: z.string().trim().min(1).max(200).optional(),
            versionRange: z.string().trim().min(1).max(2000).optional(),
            impactStatement: z.string().trim().min(1).max(4000).optional(),
            actionStatement: z.string().trim().min(1).max(4000).optional(),
            author: name,
          })
          .strict(),
        response: { 200: decisionSchema },
      },
    },
    async (request) => {
      const { manufacturer, model, author, ...rest } = request.body;
      const statement = {
        vulnerability: rest.vulnerability,
        component: rest.component,
        status: rest.status,
        origin: 'api',
        author,
        ...(rest.justification === undefined ? {} : { justification: rest.justification }),
        ...(rest.componentVersion === undefined ? {} : { componentVersion: rest.componentVersion }),
        ...(rest.versionRange === undefined ? {} : { versionRange: rest.versionRange }),
        ...(rest.impactStatement === undefined ? {} : { impactStatement: rest.impactStatement }),
        ...(rest.actionStatement === undefined ? {} : { actionStatement: rest.actionStatement }),
      };
      return softwareOf(request).decide({ manufacturer, model }, statement, author);
    },
  );

  await withRawBodies(app, DOCUMENT_LIMIT, (sub) => {
    sub.post(
      '/sboms',
      {
        config: { access: 'software:write' },
        bodyLimit: DOCUMENT_LIMIT,
        schema: {
          tags: ['software'],
          summary:
            'Upload an SBOM (CycloneDX 1.2–1.6 JSON/XML, SPDX 2.2/2.3 JSON or tag-value, SPDX 3.0 JSON-LD) for a model and firmware',
          description:
            'The body is the file; its format is detected by content. The SBOM, its components, dependency graph and ' +
            'embedded VEX statements are stored in one transaction; the same document attached again changes nothing. ' +
            'A document Ward cannot read answers 422 with every problem (file, record, field).',
          querystring: z.object({ manufacturer: name, model: name, firmware: name, file: fileName }),
          response: {
            200: z.object({
              file: z.string(),
              sbom: sbomSummarySchema,
              created: z.boolean(),
              format: z.string(),
              schema: z.enum(['schema', 'structural']).nullable(),
              components: z.number(),
              vexStatements: z.number(),
              problems: z.array(problemSchema).readonly(),
            }),
            422: rejectedSchema,
          },
        },
      },
      async (request, reply) => {
        const { file, ...attachment } = request.query;
        const outcome = await softwareOf(request).importSbom({ bytes: bytesOf(request.body), file, attachment });
        if (outcome.sbom === null) {
          return reply
            .status(422)
            .type(PROBLEM_CONTENT_TYPE)
            .send(rejected(request.url, file, 'INTEL_SBOM_INVALID', 'not an SBOM', outcome.problems));
        }
        return { ...outcome, sbom: outcome.sbom, format: outcome.format ?? '' };
      },
    );

    sub.post(
      '/vex',
      {
        config: { access: 'software:write' },
        bodyLimit: DOCUMENT_LIMIT,
        schema: {
          tags: ['software'],
          summary: 'Import a VEX document (CycloneDX, CSAF 2.0 VEX, OpenVEX) as decisions for a model',
          querystring: modelQuery.extend({ author: name.optional(), file: fileName }),
          response: {
            200: z.object({
              file: z.string(),
              format: z.string(),
              decisions: z.number(),
              problems: z.array(problemSchema).readonly(),
            }),
            422: rejectedSchema,
          },
        },
      },
      async (request, reply) => {
        const { file, author, ...model } = request.query;
        const outcome = await softwareOf(request).importVex({
          bytes: bytesOf(request.body),
          file,
          model,
          ...(author === undefined ? {} : { author }),
        });
        if (outcome.format === null) {
          return reply
            .status(422)
            .type(PROBLEM_CONTENT_TYPE)
            .send(rejected(request.url, file, 'INTEL_VEX_FORMAT', 'not a VEX document', outcome.problems));
        }
        return { ...outcome, format: outcome.format };
      },
    );
  });
};
