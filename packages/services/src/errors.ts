/**
 * @module errors
 * The error codes of Ward's services and of its HTTP layer, and their classes. The names keep
 * their historical SERVER_ and AUTH_ prefixes: they are public (docs/errors.md) and scripts match
 * on them. How a code becomes an HTTP status is the server's business (`statusOf` in @ward/server).
 */
import { WardError } from '@ward/core';

export const SERVER_ERROR_CODES = [
  'SERVER_VALIDATION',
  'SERVER_MALFORMED_BODY',
  'SERVER_UNSUPPORTED_MEDIA_TYPE',
  'SERVER_PAYLOAD_TOO_LARGE',
  'SERVER_REQUEST_TIMEOUT',
  'SERVER_ROUTE_NOT_FOUND',
  'SERVER_RESOURCE_NOT_FOUND',
  'SERVER_NOT_READY',
  'SERVER_INTERNAL',
  'SERVER_CONFIG_INVALID',
  'SERVER_LEDGER_CORRUPT',
  'SERVER_WITNESS_FORK',
  'SERVER_WITNESS_UNREACHABLE',
] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

export const AUTH_ERROR_CODES = [
  'AUTH_UNAUTHENTICATED',
  'AUTH_INVALID_CREDENTIALS',
  'AUTH_FORBIDDEN',
  'AUTH_ACCESS_UNDECLARED',
  'AUTH_CSRF_FAILED',
  'AUTH_THROTTLED',
  'AUTH_WEAK_PASSWORD',
  'AUTH_LAST_ADMIN',
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export class ServerError extends WardError<ServerErrorCode> {
  override readonly name = 'ServerError';
}

export class AuthError extends WardError<AuthErrorCode> {
  override readonly name = 'AuthError';
}

/** Codes of the job runner (`jobs.ts`). */
export const JOBS_ERROR_CODES = [
  'JOBS_NOT_FOUND',
  'JOBS_ALREADY_RUNNING',
  'JOBS_STOPPED',
  'JOBS_DEFINITION_INVALID',
  'JOBS_RUN_FAILED',
  'JOBS_LEASE_LOST',
] as const;
export type JobsErrorCode = (typeof JOBS_ERROR_CODES)[number];

export class JobsError extends WardError<JobsErrorCode> {
  override readonly name = 'JobsError';
}
