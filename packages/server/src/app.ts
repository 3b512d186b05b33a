/**
 * @module app
 * Builds the Fastify application: security headers, problem+json errors, access control, the
 * OpenAPI document and UI, the `/api/v1` routes and the web app. Tests drive it with
 * `app.inject()`; `serve.ts` puts it on a socket.
 */
import type { FastifyServerOptions } from 'fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Store } from '@ward/store';
import { WEB_ROOT } from '@ward/web';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { registerAccessControl, CSRF_HEADER, SESSION_COOKIE } from './access.js';
import { frameworkErrorHandler, registerProblemHandlers } from './problem.js';
import { authRoutes } from './routes/auth.js';
import { deviceRoutes } from './routes/devices.js';
import { systemRoutes } from './routes/system.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';
import { ledgerRoutes } from './routes/ledger.js';
import { softwareRoutes } from './routes/software.js';
import { feedRoutes } from './routes/feeds.js';
import { discoveryRoutes } from './routes/discovery.js';
import { jobRoutes } from './routes/jobs.js';
import { findingRoutes } from './routes/findings.js';
import { WARD_VERSION, WardServices, type Clock, type EntryHasher, type LedgerKeys } from '@ward/services';
import { auditEntryOf } from './audit.js';
import './types.js';

export type CookieSecurity = 'auto' | 'always' | 'never';

export interface AppOptions {
  readonly store: Store;
  /** The integrity ledger's signing key (its name is the log's origin) and published verifier keys. */
  readonly ledgerKeys: LedgerKeys;
  /** Encodes and hashes ledger entries; `createEntryHasher()` puts that on a worker thread. */
  readonly ledgerHasher?: EntryHasher;
  readonly logger?: FastifyServerOptions['logger'];
  /** false, a hop count, or the proxies' addresses/CIDRs (see config.ts). */
  readonly trustProxy?: boolean | number | string;
  readonly cookieSecure?: CookieSecurity;
  readonly sessionIdleMinutes?: number;
  readonly sessionMaxHours?: number;
  readonly clock?: Clock;
  /** How long a whole request may take to arrive (default 15 minutes; Node checks it every 30 s). */
  readonly requestTimeoutMs?: number;
  /** How long one capture upload may take to arrive (default 15 minutes, enforced to the millisecond). */
  readonly uploadTimeoutMs?: number;
  /** Largest capture `POST /api/v1/scans` accepts (default 2 GiB). */
  readonly captureLimit?: number;
  /** TLS for `serve`; the app itself does not read it. */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
}

export const API_PREFIX = '/api/v1';
export const DOCS_PREFIX = '/api/docs';

/** Log lines never carry credentials. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  `req.headers["${CSRF_HEADER}"]`,
  'res.headers["set-cookie"]',
];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const logger: FastifyServerOptions['logger'] =
    options.logger === undefined || options.logger === false
      ? false
      : { ...(typeof options.logger === 'object' ? options.logger : {}), redact: REDACT };
  const app = Fastify({
    logger,
    // A hop count becomes proxy-addr's "trust the first n hops" function.
    trustProxy:
      typeof options.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(options.trustProxy)
        : (options.trustProxy ?? false),
    bodyLimit: 1024 * 1024,
    // An upload that trickles in is cut off: a whole request (a 2 GiB capture included) must arrive
    // within this time (Fastify's default is no limit).
    requestTimeout: options.requestTimeoutMs ?? 15 * 60_000,
    frameworkErrors: frameworkErrorHandler,
    ...(options.https === undefined ? {} : { https: { cert: options.https.cert, key: options.https.key } }),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const services = new WardServices({
    store: options.store,
    ledgerKeys: options.ledgerKeys,
    ...(options.ledgerHasher === undefined ? {} : { ledgerHasher: options.ledgerHasher }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    session: { idleMinutes: options.sessionIdleMinutes ?? 30, maxHours: options.sessionMaxHours ?? 12 },
    onError: (error, what) => {
      app.log.error({ err: error }, `${what} failed`);
    },
  });
  app.decorate('store', options.store);
  app.decorate('services', services);
  app.decorate('accounts', services.accounts);
  app.decorate('ledger', services.ledger);
  // Every authenticated API action becomes an access entry (who, role, action, object, outcome);
  // every change a service commits becomes a change entry (services.ts).
  app.addHook('onResponse', (request, reply, done) => {
    const entry = auditEntryOf(request, reply.statusCode, services.clock.now(), (id) => services.ledger.pseudonym(id));
    if (entry !== undefined) services.ledger.enqueue(entry);
    done();
  });
  app.addHook('onClose', async () => {
    await services.close();
  });

  registerProblemHandlers(app);
  // Headers and cookies first: their onRequest hooks must run before the access check, so that a
  // refused request still carries security headers and the check can read the session cookie.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
      },
    },
  });
  await app.register(cookie);
  registerAccessControl(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ward API',
        version: WARD_VERSION,
        description:
          'Every operation needs the access named in its x-ward-access field. Authenticate with a bearer token ' +
          `(Authorization: Bearer ward_…) or a session cookie (${SESSION_COOKIE}) plus the ${CSRF_HEADER} header on state-changing requests. ` +
          'Errors are application/problem+json with a stable code (docs/errors.md).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const access = input.route.config?.access;
      const schema: Record<string, unknown> = { ...out.schema, 'x-ward-access': access ?? 'undeclared' };
      if (access !== undefined && access !== 'public') schema.security = [{ bearer: [] }, { session: [] }];
      return { ...out, schema: schema };
    },
    transformObject: jsonSchemaTransformObject,
  });

  // Routes of the documentation UI and the web app are public; declared here for the whole context.
  await app.register(async (pub) => {
    pub.addHook('onRoute', (route) => {
      route.config ??= {};
      route.config.access ??= 'public';
    });
    await pub.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });
    await pub.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: ['index.html'], wildcard: false });
  });

  await app.register(
    async (api) => {
      await api.register(systemRoutes);
      await api.register(authRoutes(options.cookieSecure ?? 'auto'));
      await api.register(userRoutes);
      await api.register(tokenRoutes);
      await api.register(deviceRoutes);
      await api.register(ledgerRoutes);
      await api.register(softwareRoutes);
      await api.register(feedRoutes);
      await api.register(discoveryRoutes(options.captureLimit, options.uploadTimeoutMs));
      await api.register(jobRoutes);
      await api.register(findingRoutes);
    },
    { prefix: API_PREFIX },
  );

  return app;
}
