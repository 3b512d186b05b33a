/**
 * @module errors
 * The inventory's error codes. Bad rows of an import are values (`RowProblem`s in the report);
 * these codes are for what stops an operation as a whole.
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
] as const;
export type InventoryErrorCode = (typeof INVENTORY_ERROR_CODES)[number];

export class InventoryError extends WardError<InventoryErrorCode> {
  override readonly name = 'InventoryError';
}
