/**
 * @module schema
 * The tables as Kysely sees them. Timestamps are ISO 8601 UTC text in both backends (they sort as
 * text and survive a round trip unchanged); "flags" are nullable timestamps (`disabled_at`), so the
 * schema needs no boolean type that SQLite lacks.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string | null;
  role: string;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  last_login_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  secret_hash: string;
  csrf_hash: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface DevicesTable {
  id: string;
  name: string;
  type: string;
  manufacturer: string | null;
  model: string | null;
  created_at: string;
  updated_at: string;
  // 0003-inventory: what lists filter, sort and search on (the merged record is in device_records).
  firmware_version: Generated<string | null>;
  serial_number: Generated<string | null>;
  asset_tag: Generated<string | null>;
  department: Generated<string>;
  vendor_key: Generated<string>;
  criticality: Generated<string | null>;
  criticality_rank: Generated<number>;
  lifecycle: Generated<string>;
  last_seen: Generated<string>;
  findings_count: Generated<number>;
  version: Generated<number>;
  search: Generated<string>;
}

export interface DeviceIdentifiersTable {
  kind: string;
  value: string;
  device_id: string;
}

/** 0003-inventory: a device's merged record (JSON), apart from the narrow list columns. */
export interface DeviceRecordsTable {
  device_id: string;
  record: string;
}

export interface DeviceHistoryTable {
  device_id: string;
  version: number;
  at: string;
  source: string;
  changes: string;
}

export interface ImportMappingsTable {
  name: string;
  mapping: string;
  created_at: string;
  updated_at: string;
}

export interface LedgerLeavesTable {
  idx: number;
  entry: string;
  leaf_hash: string;
}

export interface LedgerNodesTable {
  level: number;
  idx: number;
  hash: string;
}

export interface LedgerRecordsTable {
  record_id: string;
  version: number;
  leaf_idx: number;
}

export interface LedgerCheckpointsTable {
  size: number;
  note: string;
  created_at: string;
}

export interface LedgerStateTable {
  id: number;
  size: number;
}

export interface ObservationsTable {
  id: string;
  device_key: string;
  kind: string;
  value: string;
  first_seen: string;
  last_seen: string;
  source: string;
}

export interface SbomsTable {
  id: string;
  format: string;
  spec_version: string;
  serial: string | null;
  doc_version: number | null;
  subject_name: string | null;
  subject_version: string | null;
  subject_manufacturer: string | null;
  file_name: string;
  sha256: string;
  component_count: number;
  imported_at: string;
}

export interface SbomAttachmentsTable {
  sbom_id: string;
  manufacturer: string;
  model: string;
  firmware: string;
  manufacturer_key: string;
  model_key: string;
  attached_at: string;
}

export interface SbomComponentsTable {
  sbom_id: string;
  ref: string;
  position: number;
  name: string;
  version: string | null;
  group_name: string | null;
  supplier: string | null;
  purl: string | null;
  cpe: string | null;
  kind: string | null;
  hashes: string;
  parent_ref: string | null;
  end_of_support: string | null;
  level_of_support: string | null;
  identity: string;
}

export interface SbomDependenciesTable {
  sbom_id: string;
  from_ref: string;
  to_ref: string;
}

export interface VexDecisionsTable {
  id: string;
  manufacturer: string;
  model: string;
  manufacturer_key: string;
  model_key: string;
  vulnerability: string;
  component_identity: string;
  component: string;
  component_name: string | null;
  component_version: string | null;
  version_range: string | null;
  status: string;
  justification: string | null;
  source_justification: string | null;
  impact_statement: string | null;
  action_statement: string | null;
  author: string;
  decided_at: string;
  origin: string;
}

/** The software tables (migration 0004-software). */
export interface SoftwareTables {
  sboms: SbomsTable;
  sbom_attachments: SbomAttachmentsTable;
  sbom_components: SbomComponentsTable;
  sbom_dependencies: SbomDependenciesTable;
  vex_decisions: VexDecisionsTable;
}

/** The vulnerability feed tables (migration 0005-vulnerabilities). */
export interface VulnerabilityTables {
  vulnerabilities: {
    id: string;
    source: string;
    origin: string;
    modified: string | null;
    record: string;
    feed_sha256: string;
    imported_at: string;
  };
  kev_entries: { cve: string; record: string; feed_sha256: string };
  epss_scores: { cve: string; epss: number; percentile: number; score_date: string | null; feed_sha256: string };
  feed_imports: {
    sha256: string;
    file_name: string;
    format: string;
    record_count: number;
    problem_count: number;
    imported_at: string;
  };
}

/** Where `ward feeds sync` stands per source and document (migration 0007-feed-sync). */
export interface FeedSyncTables {
  feed_sync_state: {
    source: string;
    key: string;
    etag: string | null;
    last_modified: string | null;
    cursor: string | null;
    sha256: string | null;
    updated_at: string;
  };
}

/** The scheduled jobs of `ward serve` (migration 0008-jobs). */
export interface JobTables {
  jobs: {
    name: string;
    every_seconds: number;
    disabled_at: string | null;
    state: string;
    last_started_at: string | null;
    last_finished_at: string | null;
    last_outcome: string | null;
    last_error: string | null;
    last_summary: string | null;
    next_run_at: string;
    runs: number;
    lease_owner: string | null;
    lease_expires_at: string | null;
    created_at: string;
    updated_at: string;
  };
}

/** Stored findings (migration 0009-findings). */
export interface FindingTables {
  findings: {
    id: string;
    sbom_id: string;
    manufacturer: string;
    model: string;
    manufacturer_key: string;
    model_key: string;
    firmware: string;
    vulnerability: string;
    component: string;
    /** 1 when the vulnerability is in CISA KEV (integers, not booleans, on both backends). */
    kev: number;
    closed_at: string | null;
    opened_at: string;
    updated_at: string;
    digest: string;
    record: string;
  };
}

export interface Database extends SoftwareTables, VulnerabilityTables, FeedSyncTables, JobTables, FindingTables {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  devices: DevicesTable;
  device_identifiers: DeviceIdentifiersTable;
  device_records: DeviceRecordsTable;
  device_history: DeviceHistoryTable;
  import_mappings: ImportMappingsTable;
  ledger_leaves: LedgerLeavesTable;
  ledger_nodes: LedgerNodesTable;
  ledger_records: LedgerRecordsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  ledger_state: LedgerStateTable;
  observations: ObservationsTable;
}
