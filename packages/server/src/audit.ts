/**
 * @module audit
 * What the ledger records of an API request: who (user id and role), what (method and route
 * pattern, never the filled URL, query or body), on which object (an opaque id from the path),
 * the outcome and the status. Nothing else, so no patient data can reach the log this way.
 */
import type { FastifyRequest } from 'fastify';
import type { LedgerEntry } from '@ward/ledger';
import type { Actor } from '@ward/services';

const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Routes whose `:id` is a client's record id (possibly a medical record number): it is logged as
 * its pseudonym, never as given.
 */
const RECORD_ROUTES = /^\/api\/v1\/ledger\/records\//;

export function auditEntryOf(
  request: FastifyRequest,
  status: number,
  at: Date,
  pseudonym: (recordId: string) => string,
): LedgerEntry | undefined {
  const principal = request.principal;
  const pattern = request.routeOptions.url;
  if (principal === undefined || pattern === undefined || request.is404) return undefined;
  const params = request.params as Record<string, unknown> | undefined;
  const id = params?.id;
  return {
    kind: 'access',
    at: at.toISOString(),
    actor: principal.user.id,
    role: principal.user.role,
    action: `${request.method} ${pattern}`,
    object:
      typeof id !== 'string' ? null : RECORD_ROUTES.test(pattern) ? pseudonym(id) : OPAQUE_ID.test(id) ? id : null,
    outcome: status === 401 || status === 403 ? 'denied' : status >= 400 ? 'error' : 'allowed',
    status,
  };
}

/** The actor of an API request, for the services; anonymous requests never reach a changing route. */
export function actorOf(request: FastifyRequest): Actor {
  const user = request.principal?.user;
  return user === undefined
    ? { id: 'anonymous', role: 'none', via: 'api' }
    : { id: user.id, role: user.role, via: 'api' };
}
