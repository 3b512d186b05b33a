/**
 * @module @ward/store
 * Ward's persistence behind one interface, with an embedded SQLite backend and a PostgreSQL one.
 */
export { openStore } from './open.js';
export type { OpenStoreOptions } from './open.js';
export { openSqliteStore, SQLITE_FILE } from './sqlite.js';
export type { SqliteStoreOptions } from './sqlite.js';
export { openPostgresStore, redactUrl } from './postgres.js';
export type { PostgresStoreOptions } from './postgres.js';
export { StoreError, STORE_ERROR_CODES } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export { LOCK_FILE } from './lock.js';
export { INVENTORY_SORTS, searchWords } from './inventory-repo.js';
export type {
  InventoryRepository,
  InventoryReader,
  InventoryTransaction,
  InventoryRow,
  InventoryWrite,
  InventoryListQuery,
  InventorySort,
  IdentifierKey,
  IdentifierRow,
  DeviceHistoryRow,
  ImportMappingRow,
} from './inventory-repo.js';
export type { MigrationReport } from './migrate.js';
export type { ObservationRow, ObservationRepository, ObservationFilter, RecordResult } from './observation-repo.js';
export type {
  Store,
  StoreKind,
  NewUser,
  UserPatch,
  UserCredentials,
  UserRepository,
  NewApiToken,
  TokenRepository,
  NewSession,
  SessionWithCsrf,
  SessionRepository,
  NewDevice,
  DeviceRepository,
  Page,
  PageRequest,
  LedgerRepository,
  LedgerBatch,
  LedgerLeafRow,
  LedgerNodeRow,
  LedgerRecordRow,
  LedgerCheckpointRow,
} from './store.js';
export { nameKey } from './software-repo.js';
export type {
  ModelRef,
  NewSbom,
  SbomAttachment,
  SbomDetail,
  SbomFilter,
  SbomSummary,
  SoftwareComponentRow,
  SoftwareRepository,
  VexDecision,
  VexDecisionStatus,
} from './software-repo.js';
export type { FeedSyncRepository, FeedSyncState } from './feed-sync-repo.js';
export type {
  FindingRepository,
  FindingQuery,
  FindingScope,
  NewFinding,
  ReconcileResult,
  StoredFinding,
} from './finding-repo.js';
export type { JobRepository, JobRow, JobSchedule, JobClaim, JobFinish, JobState, JobOutcome } from './job-repo.js';
export type {
  FeedBatch,
  FeedImport,
  StoredKev,
  StoredVulnerability,
  VulnerabilityRepository,
} from './vulnerability-repo.js';
