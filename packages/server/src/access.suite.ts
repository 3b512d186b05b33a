import { isAllowed, ROLES, type RouteAccess } from '@ward/core';
import { randomBytes } from 'node:crypto';
import { generateSignerKey, signerFromKey } from '@ward/ledger';
import type { Store } from '@ward/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { bearer, createTestApp, TEST_PASSWORD, type TestApp } from './test-helpers.js';
import type { RouteRecord } from './types.js';

/**
 * Walks every registered route × every role × no credentials. A route without a declared access
 * rule fails the walk; so does any answer that does not match what the rule says. `openStore`
 * gives a fresh store (SQLite by default).
 */
export function describeAccessWalk(label: string, openStore?: () => Promise<Store>): void {
  describe(`access control on every route (${label})`, () => {
    let t: TestApp;
    let routes: RouteRecord[];

    beforeAll(async () => {
      t = openStore === undefined ? await createTestApp() : await createTestApp({ store: await openStore() });
      routes = t.app.routeTable;
    });
    afterAll(async () => {
      await t.close();
    });

    const concreteUrl = (url: string): string =>
      url.replace(/:[A-Za-z0-9_]+/g, 'no-such-id').replace(/\*$/, 'no-such-file');
    const withBody = (method: string): boolean => ['POST', 'PUT', 'PATCH'].includes(method);

    it('has registered the API, the docs and the web app, each with a declared access rule', () => {
      const keys = routes.map((r) => `${r.method} ${r.url}`);
      for (const expected of [
        'GET /api/v1/health',
        'GET /api/v1/ready',
        'GET /api/v1/devices',
        'POST /api/v1/devices',
        'POST /api/v1/auth/login',
        'GET /api/v1/users',
        'POST /api/v1/tokens',
        'GET /api/v1/jobs',
        'POST /api/v1/jobs/:name/run',
        'GET /api/docs/json',
        'GET /',
      ]) {
        expect(keys).toContain(expected);
      }
      const undeclared = routes.filter((r) => r.config.access === undefined).map((r) => `${r.method} ${r.url}`);
      expect(undeclared).toEqual([]);
    });

    it('answers each route as its rule says, for no credentials and for every role', async () => {
      const failures: string[] = [];
      for (const route of routes) {
        const access = route.config.access as RouteAccess;
        const request = {
          method: route.method as 'GET',
          url: concreteUrl(route.url),
          ...(withBody(route.method) ? { payload: {} } : {}),
        };
        const anonymous = await t.app.inject(request);
        const anonymousOk =
          access === 'public' ? ![401, 403].includes(anonymous.statusCode) : anonymous.statusCode === 401;
        if (!anonymousOk)
          failures.push(`${route.method} ${route.url} (${access}) anonymous → ${String(anonymous.statusCode)}`);
        if (access !== 'public' && anonymous.statusCode === 401) {
          expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
        }
        for (const role of ROLES) {
          const res = await t.app.inject({
            ...request,
            headers: bearer(t.tokens[role]),
          });
          const allowed = isAllowed(access, role);
          const ok = allowed ? ![401, 403].includes(res.statusCode) : res.statusCode === 403;
          if (!ok) failures.push(`${route.method} ${route.url} (${access}) as ${role} → ${String(res.statusCode)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('asks for the CSRF token on every state-changing route reached with a session cookie', async () => {
      const sessions = new Map<string, { cookie: string; csrf: string }>();
      const sessionOf = async (role: string) => {
        const cached = sessions.get(role);
        if (cached !== undefined) return cached;
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `u-${role}`, password: TEST_PASSWORD },
        });
        const raw = res.headers['set-cookie'];
        const cookie = ((Array.isArray(raw) ? raw[0] : raw) ?? '').split(';')[0] ?? '';
        const made = { cookie, csrf: res.json<{ csrfToken: string }>().csrfToken };
        sessions.set(role, made);
        return made;
      };
      const failures: string[] = [];
      for (const route of routes) {
        const access = route.config.access as RouteAccess;
        if (access === 'public') continue;
        for (const role of ROLES) {
          const { cookie, csrf } = await sessionOf(role);
          const request = {
            method: route.method as 'GET',
            url: concreteUrl(route.url),
            ...(withBody(route.method) ? { payload: {} } : {}),
          };
          const allowed = isAllowed(access, role);
          const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
          if (unsafe && allowed) {
            const bare = await t.app.inject({ ...request, headers: { cookie } });
            if (bare.statusCode !== 403 || bare.json<{ code: string }>().code !== 'AUTH_CSRF_FAILED') {
              failures.push(`${route.method} ${route.url} as ${role} without CSRF token → ${String(bare.statusCode)}`);
            }
          }
          const res = await t.app.inject({ ...request, headers: { cookie, 'x-csrf-token': csrf } });
          const ok = allowed ? ![401, 403].includes(res.statusCode) : res.statusCode === 403;
          if (!ok)
            failures.push(
              `${route.method} ${route.url} (${access}) as ${role} with cookie → ${String(res.statusCode)}`,
            );
          if (route.url.endsWith('/auth/logout') || route.url.endsWith('/auth/password')) sessions.delete(role);
        }
      }
      expect(failures).toEqual([]);
    });

    it('refuses to start with a route that declares no access rule', async () => {
      const { store } = t;
      const { signerKey, verifierKey } = generateSignerKey('ward.test/undeclared');
      const app = await buildApp({
        store,
        ledgerKeys: { signer: signerFromKey(signerKey), verifierKeys: [verifierKey], pseudonymKey: randomBytes(32) },
      });
      app.get('/api/v1/forgotten', () => ({ secret: true }));
      await expect(app.ready()).rejects.toThrow(/GET \/api\/v1\/forgotten/);
    });
  });
}
