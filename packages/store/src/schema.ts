/**
 * @module schema
 * The tables as Kysely sees them. Timestamps are ISO 8601 UTC text in both backends (they sort as
 * text and survive a round trip unchanged); "flags" are nullable timestamps (`disabled_at`), so the
 * schema needs no boolean type that SQLite lacks.
 */

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

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  devices: DevicesTable;
  ledger_leaves: LedgerLeavesTable;
  ledger_nodes: LedgerNodesTable;
  ledger_records: LedgerRecordsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  ledger_state: LedgerStateTable;
  observations: ObservationsTable;
}
