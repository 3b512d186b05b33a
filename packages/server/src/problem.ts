/**
 * @module problem
 * Turns every error into `application/problem+json`: schema failures name the field, malformed
 * bodies and unknown routes get their own codes, Ward errors keep theirs, anything else is a 500
 * that is logged and not described to the client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isWardError } from '@ward/core';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PROBLEM_CONTENT_TYPE, problemOf, type FieldProblem, type Problem } from './errors.js';

function send(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.code === 'AUTH_UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer realm="ward"');
  if (problem.retryAfterSeconds !== undefined) reply.header('retry-after', String(problem.retryAfterSeconds));
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

function fieldPath(context: string | undefined, instancePath: string, params: unknown): string {
  const parts = instancePath.split('/').filter((p) => p !== '');
  // A missing required property names itself in params, not in the path.
  if (typeof params === 'object' && params !== null && 'missingProperty' in params) {
    parts.push(String(params.missingProperty));
  }
  return [context ?? 'body', ...parts].join('.');
}

const MALFORMED_BODY = new Set([
  'FST_ERR_CTP_INVALID_JSON_BODY',
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
]);

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0] ?? request.url;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors: FieldProblem[] = error.validation.map((v) => ({
      field: fieldPath(error.validationContext, v.instancePath, v.params),
      message: v.message ?? 'is invalid',
    }));
    const first = errors[0];
    return problemOf(
      'SERVER_VALIDATION',
      first === undefined ? 'the request is invalid' : `${first.field}: ${first.message}`,
      { instance, errors },
    );
  }
  if (isWardError(error)) {
    const field = error.details?.field;
    const retry = error.details?.retryAfterSeconds;
    return problemOf(error.code, error.message, {
      instance,
      ...(typeof field === 'string' ? { errors: [{ field, message: error.message }] } : {}),
      ...(typeof retry === 'number' ? { retryAfterSeconds: retry } : {}),
    });
  }
  const fastifyError = error as Partial<FastifyError>;
  const code = fastifyError.code ?? '';
  if (MALFORMED_BODY.has(code)) {
    return problemOf('SERVER_MALFORMED_BODY', `the request body is not valid JSON: ${fastifyError.message ?? ''}`, {
      instance,
      errors: [{ field: 'body', message: fastifyError.message ?? 'malformed' }],
    });
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return problemOf('SERVER_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json', { instance });
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return problemOf('SERVER_PAYLOAD_TOO_LARGE', 'the request body is too large', { instance });
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return problemOf('SERVER_MALFORMED_BODY', `the request body is not valid JSON: ${error.message}`, {
      instance,
      errors: [{ field: 'body', message: error.message }],
    });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return problemOf('SERVER_VALIDATION', fastifyError.message ?? 'the request is invalid', { instance });
  }
  return problemOf('SERVER_INTERNAL', `an unexpected error occurred (request ${request.id}); see the server log`, {
    instance,
  });
}

/** For Fastify's `frameworkErrors` (a malformed URL, a bad content type header…): also problem+json. */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem =
    error.code === 'FST_ERR_BAD_URL'
      ? problemOf('SERVER_ROUTE_NOT_FOUND', 'the request path is not a valid URL', {
          instance: request.url.split('?')[0] ?? request.url,
        })
      : toProblem(error, request);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-security-policy', "default-src 'none'");
  void send(reply, problem);
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return send(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      problemOf('SERVER_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`, {
        instance: request.url.split('?')[0] ?? request.url,
      }),
    ),
  );
}
