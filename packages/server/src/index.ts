/**
 * @module @ward/server
 * Ward's HTTP API and the services behind it.
 */
export { buildApp, API_PREFIX, DOCS_PREFIX } from './app.js';
export type { AppOptions, CookieSecurity } from './app.js';
export { startServer } from './serve.js';
export type { RunningServer, ServeEvents } from './serve.js';
export { loadConfig, configSchema, envNameOf, CONFIG_KEYS } from './config.js';
export type { WardConfig, ConfigKey, ConfigSources } from './config.js';
export {
  SERVER_ERROR_CODES,
  AUTH_ERROR_CODES,
  ServerError,
  AuthError,
  statusOf,
  problemOf,
  PROBLEM_CONTENT_TYPE,
} from './errors.js';
export type { ServerErrorCode, AuthErrorCode, Problem, FieldProblem } from './errors.js';
export { AccountService, systemClock, normaliseUsername } from './services/accounts.js';
export type { Clock, Principal, NewUserInput, LoginResult, SessionPolicy } from './services/accounts.js';
export { SESSION_COOKIE, CSRF_HEADER } from './access.js';
export { MIN_PASSWORD_LENGTH } from './auth/password.js';
export { WARD_VERSION } from './version.js';
export { Witness, initWitness, httpLogSource, WITNESS_KEY_FILE, WITNESS_PUBLIC_KEY_FILE } from './services/witness.js';
export type { LogSource, WitnessResult, ForkAlert } from './services/witness.js';
export { LedgerService, storeNodeReader } from './services/ledger.js';
export { createEntryHasher, inlineHasher, prepareEntries } from './services/entry-hasher.js';
export type { EntryHasher, PreparedEntries } from './services/entry-hasher.js';
export type {
  LedgerKeys,
  LedgerReport,
  LedgerProblem,
  InclusionProofView,
  ConsistencyProofView,
  CheckpointView,
} from './services/ledger.js';
export {
  loadLedgerKeys,
  loadOrCreateLedgerKeys,
  rotateLedgerKey,
  defaultLedgerKeyFile,
  publicKeyFileOf,
  LEDGER_KEY_FILE,
} from './ledger-keys.js';
export type { RouteRecord } from './types.js';
