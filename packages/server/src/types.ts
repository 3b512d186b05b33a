/**
 * @module types
 * What Ward adds to Fastify's types: each route's declared access, the request's principal, and
 * the services the routes use.
 */
import type { RouteAccess } from '@ward/core';
import type { Store } from '@ward/store';
import type { AccountService, LedgerService, Principal, WardServices } from '@ward/services';

/** A registered route as the access walker sees it. */
export interface RouteRecord {
  readonly method: string;
  readonly url: string;
  /** The route's config object; read `access` from it after registration has finished. */
  readonly config: { access?: RouteAccess };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a caller needs. Every route must declare it; one that does not is denied to all. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
    /** Digest of the session's CSRF token when the request came with a session cookie. */
    sessionCsrfHash: string | undefined;
  }
  interface FastifyInstance {
    store: Store;
    accounts: AccountService;
    ledger: LedgerService;
    services: WardServices;
    routeTable: RouteRecord[];
  }
}
