import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, ManualClock, TEST_PASSWORD, type TestApp } from './test-helpers.js';

function cookieOf(res: LightMyRequestResponse): { name: string; value: string; header: string } {
  const raw = res.headers['set-cookie'];
  const header = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const [pair = ''] = header.split(';');
  const [name = '', value = ''] = pair.split('=');
  return { name, value, header };
}

describe('the HTTP API', () => {
  let t: TestApp;
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('done-when checks of the foundation', () => {
    it('answers health without credentials', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok' });
    });

    it('answers ready when the database answers', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/ready' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ready', database: 'sqlite' });
    });

    it('guards the device list: 401 without credentials, 200 for an auditor, 403 for an auditor writing', async () => {
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/devices' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'AUTH_UNAUTHENTICATED', status: 401 });
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="ward"');

      const auditor = await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(t.tokens.auditor) });
      expect(auditor.statusCode).toBe(200);
      expect(auditor.json()).toEqual({ items: [], nextCursor: null });

      const write = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: bearer(t.tokens.auditor),
        payload: { name: 'Pump 1', type: 'infusion-pump' },
      });
      expect(write.statusCode).toBe(403);
      expect(write.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    });

    it('lets a clinical engineer record a device that an auditor then sees', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: bearer(t.tokens['clinical-engineer']),
        payload: { name: 'ICU monitor 7', type: 'patient-monitor', manufacturer: 'Philips', model: 'IntelliVue MX800' },
      });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string }>().id;
      const read = await t.app.inject({
        method: 'GET',
        url: `/api/v1/devices/${id}`,
        headers: bearer(t.tokens.auditor),
      });
      expect(read.json()).toMatchObject({ name: 'ICU monitor 7', type: 'patient-monitor', model: 'IntelliVue MX800' });
    });
  });

  describe('bad input', () => {
    it('answers malformed JSON with 400 problem+json', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: { ...bearer(t.tokens.admin), 'content-type': 'application/json' },
        payload: '{"name": "pump",',
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'SERVER_MALFORMED_BODY', errors: [{ field: 'body' }] });
    });

    it('names the field that fails the schema', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: bearer(t.tokens.admin),
        payload: { name: 'pump', type: 'toaster' },
      });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ code: string; errors: { field: string }[] }>();
      expect(body.code).toBe('SERVER_VALIDATION');
      expect(body.errors.map((e) => e.field)).toEqual(['body.type']);

      const missing = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: bearer(t.tokens.admin),
        payload: { role: 'auditor' },
      });
      expect(missing.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['body.username']);

      const query = await t.app.inject({
        method: 'GET',
        url: '/api/v1/devices?limit=0',
        headers: bearer(t.tokens.admin),
      });
      expect(query.statusCode).toBe(400);
      expect(query.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['querystring.limit']);
    });

    it('answers an unknown route with 404 problem+json', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'SERVER_ROUTE_NOT_FOUND', instance: '/api/v1/nothing-here' });
    });

    it('answers a malformed URL with problem+json', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/devices/%E0%A4%A' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'SERVER_ROUTE_NOT_FOUND' });
    });

    it('answers a body that is not JSON with 415', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: { ...bearer(t.tokens.admin), 'content-type': 'application/xml' },
        payload: '<device/>',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ code: 'SERVER_UNSUPPORTED_MEDIA_TYPE' });
    });

    it('answers a cursor it did not issue with 400', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/devices?cursor=bogus',
        headers: bearer(t.tokens.admin),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'STORE_INVALID_CURSOR' });
    });
  });

  describe('security headers', () => {
    it('sends helmet headers, also on refusals', async () => {
      for (const url of ['/api/v1/health', '/api/v1/devices', '/']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['strict-transport-security']).toBeDefined();
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      }
    });
  });

  describe('sessions', () => {
    async function login(username: string, password = TEST_PASSWORD, headers: Record<string, string> = {}) {
      return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { username, password } });
    }

    it('signs in with a password and sets a strict HttpOnly cookie', async () => {
      const res = await login('u-security-analyst');
      expect(res.statusCode).toBe(200);
      const body = res.json<{ csrfToken: string; permissions: string[]; user: { role: string } }>();
      expect(body.user.role).toBe('security-analyst');
      expect(body.permissions).toContain('devices:write');
      const cookie = cookieOf(res);
      expect(cookie.name).toBe('ward_session');
      expect(cookie.header).toMatch(/HttpOnly/i);
      expect(cookie.header).toMatch(/SameSite=Strict/i);
      expect(cookie.header).not.toMatch(/Secure/i);
      expect(JSON.stringify(body)).not.toContain(cookie.value);
    });

    it('marks the cookie Secure behind TLS (a trusted proxy saying https)', async () => {
      const proxied = await createTestApp({ trustProxy: '127.0.0.1' });
      try {
        const res = await proxied.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'x-forwarded-proto': 'https' },
          payload: { username: 'u-admin', password: TEST_PASSWORD },
        });
        expect(cookieOf(res).header).toMatch(/; Secure/i);
      } finally {
        await proxied.close();
      }
    });

    it('needs the CSRF token for state-changing requests made with the cookie', async () => {
      const res = await login('u-clinical-engineer');
      const { csrfToken } = res.json<{ csrfToken: string }>();
      const cookie = `ward_session=${cookieOf(res).value}`;
      const payload = { name: 'Pump 2', type: 'infusion-pump' };

      const read = await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie } });
      expect(read.statusCode).toBe(200);

      const noToken = await t.app.inject({ method: 'POST', url: '/api/v1/devices', headers: { cookie }, payload });
      expect(noToken.statusCode).toBe(403);
      expect(noToken.json()).toMatchObject({ code: 'AUTH_CSRF_FAILED' });

      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: { cookie, 'x-csrf-token': 'x'.repeat(43) },
        payload,
      });
      expect(wrong.statusCode).toBe(403);

      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: { cookie, 'x-csrf-token': csrfToken },
        payload,
      });
      expect(ok.statusCode).toBe(201);

      // The page can get its token again after a reload.
      const session = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
      expect(session.json<{ csrfToken: string }>().csrfToken).toBe(csrfToken);

      const out = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, 'x-csrf-token': csrfToken },
      });
      expect(out.statusCode).toBe(204);
      const after = await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie } });
      expect(after.statusCode).toBe(401);
    });

    it('expires a session after the idle timeout', async () => {
      const res = await login('u-auditor');
      const cookie = `ward_session=${cookieOf(res).value}`;
      clock.advance(29 * 60_000);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie } })).statusCode).toBe(200);
      clock.advance(29 * 60_000); // the previous request extended it
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie } })).statusCode).toBe(200);
      clock.advance(31 * 60_000);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie } })).statusCode).toBe(401);
    });

    it('answers a wrong password and an unknown user alike', async () => {
      const wrong = await login('u-auditor', 'not the password at all', { 'x-forwarded-for': '1' });
      const unknown = await login('nobody-here', 'not the password at all');
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
      expect(unknown.json<{ detail: string }>().detail).toBe(wrong.json<{ detail: string }>().detail);
    });

    it('throttles repeated failures, even with the right password, and says when to retry', async () => {
      const { user } = await t.app.accounts.addUser({
        username: 'throttled',
        role: 'auditor',
        password: TEST_PASSWORD,
      });
      for (let i = 0; i < 5; i += 1) expect((await login(user.username, 'wrong password!!')).statusCode).toBe(401);
      const blocked = await login(user.username);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toMatchObject({ code: 'AUTH_THROTTLED' });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      clock.advance(2_000);
      expect((await login(user.username)).statusCode).toBe(200);
    });

    it('counts parallel attempts before any of them is checked', async () => {
      const { user } = await t.app.accounts.addUser({ username: 'parallel', role: 'auditor', password: TEST_PASSWORD });
      const attempts = Array.from({ length: 30 }, (_, i) =>
        login(user.username, i === 29 ? TEST_PASSWORD : `wrong password ${String(i)}`),
      );
      const codes = (await Promise.all(attempts)).map((r) => r.statusCode);
      // Only the free attempts reach the password check; the rest wait.
      expect(codes.filter((c) => c === 401 || c === 200).length).toBeLessThanOrEqual(5);
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(25);
      clock.advance(16 * 60_000);
    });

    it('does not let a client choose the address that throttling counts', async () => {
      const spray = await createTestApp({ clock: new ManualClock() });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 25; i += 1) {
          const res = await spray.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers: { 'x-forwarded-for': `203.0.113.${String(i)}` },
            payload: { username: `sprayed-${String(i)}`, password: 'guessed password' },
          });
          codes.push(res.statusCode);
        }
        expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
        expect(codes.slice(20).every((c) => c === 429)).toBe(true);
      } finally {
        await spray.close();
      }
    });

    it('refuses a disabled account and its tokens', async () => {
      const { user } = await t.app.accounts.addUser({ username: 'leaver', role: 'auditor', password: TEST_PASSWORD });
      const { secret } = await t.app.accounts.createToken({ user: user.id, name: 'script' });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(secret) })).statusCode).toBe(
        200,
      );
      const disable = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: bearer(t.tokens.admin),
        payload: { disabled: true },
      });
      expect(disable.statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(secret) })).statusCode).toBe(
        401,
      );
      expect((await login('leaver')).statusCode).toBe(401);
    });

    it('changes a password and ends the sessions', async () => {
      await t.app.accounts.addUser({ username: 'changer', role: 'auditor', password: TEST_PASSWORD });
      const res = await login('changer');
      const cookie = `ward_session=${cookieOf(res).value}`;
      const csrf = res.json<{ csrfToken: string }>().csrfToken;
      const weak = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
      });
      expect(weak.json()).toMatchObject({ code: 'AUTH_WEAK_PASSWORD', errors: [{ field: 'newPassword' }] });
      const changed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'a much longer new passphrase' },
      });
      expect(changed.statusCode).toBe(204);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).statusCode).toBe(
        401,
      );
      expect((await login('changer', 'a much longer new passphrase')).statusCode).toBe(200);
    });
  });

  describe('tokens and accounts', () => {
    it('shows a token secret once, stores only its digest, and revokes it', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: bearer(t.tokens.admin),
        payload: { user: 'u-auditor', name: 'SIEM export' },
      });
      expect(created.statusCode).toBe(201);
      const { token, secret } = created.json<{ token: { id: string; prefix: string }; secret: string }>();
      expect(secret).toMatch(/^ward_[A-Za-z0-9_-]{43}$/);
      expect(secret.startsWith(token.prefix)).toBe(true);
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: bearer(t.tokens.auditor) });
      expect(list.body).not.toContain(secret);
      expect(list.statusCode).toBe(200);

      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(secret) })).statusCode).toBe(
        200,
      );
      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/tokens/${token.id}`,
        headers: bearer(t.tokens.admin),
      });
      expect(revoked.statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(secret) })).statusCode).toBe(
        401,
      );
    });

    it('stops an expired token', async () => {
      const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
      const { secret } = await t.app.accounts.createToken({ user: 'u-auditor', name: 'short-lived', expiresAt });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(secret) })).statusCode).toBe(
        200,
      );
      clock.advance(61_000);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(secret) })).statusCode).toBe(
        401,
      );
    });

    it('rejects a malformed Authorization header rather than falling back to the cookie', async () => {
      const signedIn = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'u-admin', password: TEST_PASSWORD },
      });
      const cookie = `ward_session=${cookieOf(signedIn).value}`;
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie } })).statusCode).toBe(200);
      for (const authorization of ['Bearer ', 'Bearer ward_not-a-real-token', 'Basic dTpw']) {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie, authorization } });
        expect(res.statusCode, authorization).toBe(401);
      }
    });

    it('never disables or demotes the last active administrator', async () => {
      const admins = (await t.app.accounts.listUsers()).filter((u) => u.role === 'admin');
      expect(admins).toHaveLength(1);
      const id = admins[0]?.id ?? '';
      for (const payload of [{ disabled: true }, { role: 'auditor' }]) {
        const res = await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${id}`,
          headers: bearer(t.tokens.admin),
          payload,
        });
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ code: 'AUTH_LAST_ADMIN' });
      }
    });

    it('refuses a duplicate username with 409', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: bearer(t.tokens.admin),
        payload: { username: 'u-auditor', role: 'auditor', password: 'another long passphrase' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'STORE_CONFLICT' });
    });
  });

  describe('documentation', () => {
    it('serves an OpenAPI 3.1 document naming the access of every operation', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json<{
        openapi: string;
        paths: Record<string, Record<string, { 'x-ward-access'?: string }>>;
      }>();
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.paths['/api/v1/devices']?.get?.['x-ward-access']).toBe('devices:read');
      expect(doc.paths['/api/v1/devices']?.post?.['x-ward-access']).toBe('devices:write');
      expect(doc.paths['/api/v1/health']?.get?.['x-ward-access']).toBe('public');
      const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
      expect(ui.statusCode).toBe(200);
      expect(ui.headers['content-type']).toMatch(/text\/html/);
    });

    it('serves the web page at /', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>Ward</title>');
    });
  });
});
