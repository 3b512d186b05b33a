/**
 * @module routes/auth
 * Sign-in with a password (a session cookie and its CSRF token), sign-out, the current principal,
 * and changing one's own password.
 */
import { permissionsOf } from '@ward/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit.js';
import { SESSION_COOKIE } from '../access.js';
import { MAX_PASSWORD_LENGTH, csrfTokenOf } from '@ward/services';
import type { CookieSecurity } from '../app.js';
import type { Principal } from '@ward/services';
import { permissionSchema, userSchema } from './schemas.js';

const sessionView = z.object({
  user: userSchema,
  permissions: z.array(permissionSchema),
  via: z.enum(['session', 'token']),
  csrfToken: z.string().nullable().describe('Send in X-CSRF-Token on state-changing requests'),
});

function secureCookie(request: FastifyRequest, mode: CookieSecurity): boolean {
  return mode === 'always' || (mode === 'auto' && request.protocol === 'https');
}

function principalOf(request: FastifyRequest): Principal {
  // The access hook has already refused requests without one on these routes.
  if (request.principal === undefined) throw new Error('route reached without a principal');
  return request.principal;
}

export function authRoutes(cookieSecurity: CookieSecurity): FastifyPluginAsyncZod {
  return (app) => {
    // Without Max-Age the browser drops the cookie when it closes (shared clinical workstations);
    // the server enforces the idle and absolute limits. Max-Age 0 clears it.
    const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, value: string, clear = false) =>
      reply.setCookie(SESSION_COOKIE, value, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookie(request, cookieSecurity),
        ...(clear ? { maxAge: 0 } : {}),
      });

    app.post(
      '/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in; sets an HttpOnly session cookie and returns its CSRF token',
          body: z.object({
            username: z.string().min(1).max(64),
            password: z
              .string()
              .min(1)
              .max(MAX_PASSWORD_LENGTH * 4),
          }),
          response: { 200: sessionView.extend({ expiresAt: z.string() }) },
        },
      },
      async (request, reply) => {
        const result = await app.accounts.login(request.body.username, request.body.password, request.ip);
        setSessionCookie(request, reply, result.sessionSecret);
        return {
          user: result.principal.user,
          permissions: [...permissionsOf(result.principal.user.role)],
          via: 'session' as const,
          csrfToken: result.csrfToken,
          expiresAt: result.session.expiresAt,
        };
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (principal.sessionId !== undefined) await app.accounts.logout(principal.sessionId);
        setSessionCookie(request, reply, '', true);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/session',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], summary: 'Who is signed in, with what permissions', response: { 200: sessionView } },
      },
      (request) => {
        const principal = principalOf(request);
        const cookie = request.cookies[SESSION_COOKIE];
        return {
          user: principal.user,
          permissions: [...permissionsOf(principal.user.role)],
          via: principal.via,
          csrfToken: principal.via === 'session' && cookie !== undefined ? csrfTokenOf(cookie) : null,
        };
      },
    );

    app.post(
      '/auth/password',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: "Change one's own password; ends every session of the account",
          body: z.object({
            currentPassword: z
              .string()
              .min(1)
              .max(MAX_PASSWORD_LENGTH * 4),
            newPassword: z
              .string()
              .min(1)
              .max(MAX_PASSWORD_LENGTH * 4),
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await app.services
          .accountAdmin(actorOf(request))
          .changePassword(principalOf(request), request.body.currentPassword, request.body.newPassword);
        setSessionCookie(request, reply, '', true);
        return reply.status(204).send(null);
      },
    );
    return Promise.resolve();
  };
}
