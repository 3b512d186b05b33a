/**
 * @module errors
 * The CLI's own codes and its exit codes: 0 done, 1 the operation failed, 2 the command line or
 * configuration is wrong.
 */
import { WardError } from '@ward/core';

export const CLI_ERROR_CODES = ['CLI_USAGE', 'CLI_INPUT', 'CLI_AUDIT_FAILED', 'CLI_LAB_UNAVAILABLE'] as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

export class CliError extends WardError<CliErrorCode> {
  override readonly name = 'CliError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Codes that mean "you asked wrongly", not "it failed". */
const USAGE_CODES = new Set([
  'CLI_USAGE',
  'SERVER_CONFIG_INVALID',
  'SERVER_VALIDATION',
  'STORE_CONFIG_INVALID',
  'AUTH_WEAK_PASSWORD',
  'CORE_INVALID_ARGUMENT',
  'WIRE_LIMITS_INVALID',
  'INVENTORY_EDIT_INVALID',
  'LAB_SCENARIO_INVALID',
  'LAB_SCENARIO_NOT_FOUND',
  'INTEL_SYNC_SOURCE_INVALID',
]);

export function exitCodeOf(code: string): number {
  return USAGE_CODES.has(code) ? EXIT_USAGE : EXIT_FAILURE;
}
