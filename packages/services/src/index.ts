/**
 * @module @ward/services
 * Ward's application services, below the server and the CLI and above the libraries: accounts,
 * the device inventory, the integrity ledger, domain events and the audit trail of changes, the
 * runner of scheduled jobs, and the one configuration schema.
 */
export { WardServices, ledgerKeysFor } from './services.js';
export type { WardServicesOptions } from './services.js';
export {
  SoftwareService,
  decisionsFromStatements,
  statementFromDecision,
  exportVexDocument,
  unreadSbom,
} from './software.js';
export type {
  SbomImportInput,
  SbomImportOutcome,
  VexImportInput,
  VexImportOutcome,
  VexExportInput,
  VexExportFormat,
} from './software.js';
export { FeedService } from './feeds.js';
export { AccountAdmin } from './account-admin.js';
export { FindingsService, findingView, sbomScopeOf } from './findings.js';
export type { FindingsScope, FindingsReport } from './findings.js';
export { DiscoveryService } from './discovery.js';
export type { DiscoveryReport } from './discovery.js';
export { importFeedBytes, sha256Hex } from './feed-import.js';
export type { FeedImportOutcome } from './feed-import.js';
export { syncFeeds, DEFAULT_SOURCES } from './feeds-sync.js';
export type { SyncSource, SyncOptions, SyncFailure, SourceSyncResult, FetchLike } from './feeds-sync.js';
export { readSourcesFile, selectSources, invalidSource } from './feed-sources.js';
export { DomainEvents, cliActor, jobActor } from './events.js';
export type { Actor, Channel, DomainEvent, EventListener, DomainEventsOptions } from './events.js';
export { auditChanges, changeEntryOf, digestOf } from './audit.js';
export type { ChangeSink } from './audit.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { loadConfig, configSchema, envNameOf, CONFIG_KEYS } from './config.js';
export type { WardConfig, ConfigKey, ConfigSources } from './config.js';
export { SERVER_ERROR_CODES, AUTH_ERROR_CODES, ServerError, AuthError } from './errors.js';
export type { ServerErrorCode, AuthErrorCode } from './errors.js';
export { JOBS_ERROR_CODES, JobsError } from './errors.js';
export type { JobsErrorCode } from './errors.js';
export { JobRunner, codedMessageOf, jobViewOf } from './jobs.js';
export type { JobDefinition, JobContext, JobSummary, JobView, JobRunResult, JobRunnerOptions } from './jobs.js';
export { sessionsPruneJob, feedsSyncJob, SESSIONS_PRUNE_EVERY_SECONDS } from './builtin-jobs.js';
export { AccountService, normaliseUsername } from './accounts.js';
export type {
  Principal,
  NewUserInput,
  LoginResult,
  SessionPolicy,
  SessionLookup,
  AccountServiceOptions,
} from './accounts.js';
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './auth/password.js';
export { digest, digestsEqual, csrfTokenOf } from './auth/secrets.js';
export { WARD_VERSION } from './version.js';
export { Witness, initWitness, httpLogSource, WITNESS_KEY_FILE, WITNESS_PUBLIC_KEY_FILE } from './witness.js';
export type { LogSource, WitnessResult, ForkAlert } from './witness.js';
export { LedgerService, storeNodeReader } from './ledger.js';
export type {
  LedgerKeys,
  LedgerServiceOptions,
  LedgerReport,
  LedgerProblem,
  InclusionProofView,
  ConsistencyProofView,
  CheckpointView,
} from './ledger.js';
export { createEntryHasher, inlineHasher, prepareEntries } from './entry-hasher.js';
export type { EntryHasher, PreparedEntries } from './entry-hasher.js';
export {
  loadLedgerKeys,
  loadOrCreateLedgerKeys,
  rotateLedgerKey,
  defaultLedgerKeyFile,
  publicKeyFileOf,
  LEDGER_KEY_FILE,
} from './ledger-keys.js';
