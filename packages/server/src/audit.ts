/**
 * @module audit
 * What the ledger records of an API request: who (user id and role), what (method and route
 * pattern, never the filled URL, query or body), on which object (an opaque id from the path),
 * the outcome and the status. Nothing else, so no patient data can reach the log this way.
 */
import type { FastifyRequest } from 'fastify';
import type { LedgerEntry } from '@ward/ledger';

const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function auditEntryOf(request: FastifyRequest, status: number, at: Date): LedgerEntry | undefined {
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
    object: typeof id === 'string' && OPAQUE_ID.test(id) ? id : null,
    outcome: status === 401 || status === 403 ? 'denied' : status >= 400 ? 'error' : 'allowed',
    status,
  };
}
