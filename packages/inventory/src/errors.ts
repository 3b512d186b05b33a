/**
 * @module errors
 * The inventory's error codes. What stops an operation as a whole is thrown as an
 * `InventoryError`; bad records of an import are values (`RecordProblem`s in the report) with
 * INVENTORY_CSV_INVALID or INVENTORY_FHIR_INVALID, and the warnings of a merge carry the last two.
 */
import { WardError } from '@ward/core';

export const INVENTORY_ERROR_CODES = [
  'INVENTORY_FORMAT_UNKNOWN',
  'INVENTORY_CSV_INVALID',
  'INVENTORY_FHIR_INVALID',
  'INVENTORY_IMPORT_REJECTED',
  'INVENTORY_MAPPING_INVALID',
  'INVENTORY_MAPPING_NOT_FOUND',
  'INVENTORY_DEVICE_NOT_FOUND',
  'INVENTORY_EDIT_INVALID',
  // Warnings in an import report (record problems, not thrown):
  'INVENTORY_IDENTITY_AMBIGUOUS',
  'INVENTORY_PARENT_PENDING',
] as const;
export type InventoryErrorCode = (typeof INVENTORY_ERROR_CODES)[number];

export class InventoryError extends WardError<InventoryErrorCode> {
  override readonly name = 'InventoryError';
}
