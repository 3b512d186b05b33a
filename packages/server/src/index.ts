/**
 * @module @ward/server
 * Ward's HTTP API over the application services of `@ward/services`.
 */
export { buildApp, API_PREFIX, DOCS_PREFIX } from './app.js';
export type { AppOptions, CookieSecurity } from './app.js';
export { startServer } from './serve.js';
export type { RunningServer, ServeEvents } from './serve.js';
export { statusOf, problemOf, PROBLEM_CONTENT_TYPE } from './errors.js';
export type { Problem, FieldProblem } from './errors.js';
export { SESSION_COOKIE, CSRF_HEADER } from './access.js';
export type { RouteRecord } from './types.js';
