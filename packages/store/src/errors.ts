/**
 * @module errors
 * The store's error codes. Driver errors (better-sqlite3, pg) are wrapped here, once, into a
 * `WardError` with one of these codes and the driver error as `cause`.
 */
import { WardError } from '@ward/core';

export const STORE_ERROR_CODES = [
  'STORE_CONFLICT',
  'STORE_NOT_FOUND',
  'STORE_UNAVAILABLE',
  'STORE_MIGRATION_FAILED',
  'STORE_LOCKED',
  'STORE_CONFIG_INVALID',
  'STORE_QUERY_FAILED',
  'STORE_INVALID_CURSOR',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export class StoreError extends WardError<StoreErrorCode> {
  override readonly name = 'StoreError';
}

const SQLITE_CONFLICTS = new Set([
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
]);
const SQLITE_UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_READONLY']);
// PostgreSQL SQLSTATE classes: 23 integrity constraint violation, 08 connection exception,
// 57P0x operator intervention (shutdown), 53 insufficient resources.
const PG_CONFLICTS = new Set(['23505', '23503']);
const NODE_NET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

function driverCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

/** Wraps a driver error into a StoreError; a StoreError passes through unchanged. */
export function toStoreError(error: unknown, operation: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = driverCode(error);
  const details = { operation, ...(code === undefined ? {} : { driverCode: code }) };
  if (code !== undefined && (SQLITE_CONFLICTS.has(code) || PG_CONFLICTS.has(code))) {
    const constraint =
      typeof error === 'object' && error !== null && 'constraint' in error ? String(error.constraint) : undefined;
    return new StoreError('STORE_CONFLICT', `${operation}: the record conflicts with one already stored`, {
      cause: error,
      details: constraint === undefined ? details : { ...details, constraint },
    });
  }
  if (
    code !== undefined &&
    (SQLITE_UNAVAILABLE.has(code) ||
      NODE_NET_ERRORS.has(code) ||
      code.startsWith('08') ||
      code.startsWith('57P') ||
      code.startsWith('53'))
  ) {
    return new StoreError('STORE_UNAVAILABLE', `${operation}: the database is not reachable (${code})`, {
      cause: error,
      details,
    });
  }
  return new StoreError('STORE_QUERY_FAILED', `${operation} failed`, { cause: error, details });
}

/** Runs a database operation, turning any driver error into a StoreError naming `operation`. */
export async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toStoreError(error, operation);
  }
}
