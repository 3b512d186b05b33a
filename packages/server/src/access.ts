/**
 * @module access
 * Deny by default. Every route declares `config.access`; this hook finds the principal (a bearer
 * token, or a session cookie) and lets the request through only when the role grants the access.
 * Requests made with a session cookie must also carry the session's CSRF token when they change
 * state. A route without a declaration is refused to everyone, and the server will not start with
 * one (see `assertAccessDeclared`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAllowed } from '@ward/core';
import { digest, digestsEqual } from '@ward/services';
import { AuthError } from '@ward/services';

export const SESSION_COOKIE = 'ward_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

async function resolvePrincipal(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const bearer = bearerOf(request);
  if (bearer !== undefined) {
    request.principal = bearer === '' ? undefined : await app.accounts.authenticateToken(bearer);
    if (request.principal === undefined) {
      throw new AuthError('AUTH_UNAUTHENTICATED', 'the bearer token is unknown, revoked or expired');
    }
    return;
  }
  const secret = request.cookies[SESSION_COOKIE];
  if (secret === undefined || secret === '') return;
  const found = await app.accounts.authenticateSession(secret);
  if (found === undefined) return;
  request.principal = found.principal;
  request.sessionCsrfHash = found.csrfHash;
}

export function registerAccessControl(app: FastifyInstance): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionCsrfHash', undefined);
  app.decorate('routeTable', [] as FastifyInstance['routeTable']);

  app.addHook('onRoute', (route) => {
    route.config ??= {};
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) app.routeTable.push({ method, url: route.url, config: route.config });
  });

  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === undefined) {
      throw new AuthError('AUTH_ACCESS_UNDECLARED', 'this route declares no access rule and is closed to everyone');
    }
    if (access === 'public') return;
    await resolvePrincipal(app, request);
    const principal = request.principal;
    if (principal === undefined) {
      throw new AuthError('AUTH_UNAUTHENTICATED', 'sign in or send a bearer token');
    }
    if (!isAllowed(access, principal.user.role)) {
      throw new AuthError('AUTH_FORBIDDEN', `the role ${principal.user.role} does not grant ${access}`, {
        details: { required: access },
      });
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const expected = request.sessionCsrfHash;
      if (typeof sent !== 'string' || expected === undefined || !digestsEqual(digest(sent), expected)) {
        throw new AuthError('AUTH_CSRF_FAILED', `send the session's CSRF token in the ${CSRF_HEADER} header`);
      }
    }
  });

  app.addHook('onReady', async () => {
    const undeclared = app.routeTable.filter((r) => r.config.access === undefined);
    if (undeclared.length > 0) {
      throw new Error(
        `routes without a declared access rule: ${undeclared.map((r) => `${r.method} ${r.url}`).join(', ')}`,
      );
    }
    return Promise.resolve();
  });
}
