/**
 * @module input
 * Argument checks shared by the tree and proof modules: sizes and indices are JS numbers, safe
 * integers from 0 to 2^53 - 1. Not exported from the package.
 */
import { LedgerError } from './errors.js';

export function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function assertTreeSize(value: unknown, field: string): asserts value is number {
  if (!isTreeSize(value)) {
    throw new LedgerError('LEDGER_INPUT_INVALID', `${field} must be a non-negative safe integer`, {
      details: { field, value: typeof value === 'number' ? value : typeof value },
    });
  }
}
