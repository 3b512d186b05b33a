/**
 * @module observation
 * What an importer hands the service: one source's view of one device, and where in its input it
 * came from. Importers add a format by producing these (see README, "Adding an import format").
 */
import { problem, type Problem, type ProblemSeverity } from '@ward/core';
import type { IdentifierKey } from '@ward/store';
import type { InventoryErrorCode } from './errors.js';
import type { ObservedFields } from './merge.js';

export interface DeviceObservation {
  readonly fields: ObservedFields;
  /** The source's own ids for the device (a CSV id column, a FHIR resource id, the sensor's id). */
  readonly nativeKeys?: readonly IdentifierKey[];
  /** The device this one is part of, by one of its keys (FHIR `Device.parent`): becomes `parentId`. */
  readonly parentKey?: IdentifierKey;
  /** Change this device, found by id, instead of matching by identifiers (a person's edit). */
  readonly deviceId?: string;
  /** Where it came from, for reports: `row 12`, `Bundle.entry[3]`. */
  readonly ref?: string;
}

/**
 * One problem with one input record: core's `Problem` (the record `row 12`, `Bundle.entry[3]`…;
 * the field a CSV column header or a FHIR path such as `Bundle.entry[3].resource.serialNumber`),
 * plus the CSV line number. `ref` and `reason` repeat `record` and `message`: import reports (CLI
 * JSON, HTTP `errors`) have always carried them, and their fields are a contract.
 */
export interface RecordProblem extends Problem<InventoryErrorCode> {
  readonly record: string;
  /** 1-based line number for CSV, else null. */
  readonly row: number | null;
  /** The same as `record`. */
  readonly ref: string;
  /** The same as `message`. */
  readonly reason: string;
}

/** Where a record problem is. */
export interface RecordPlace {
  readonly file: string | null;
  readonly record: string;
  readonly row?: number | null;
  readonly field?: string | null;
}

/** Builds a record problem. */
export function recordProblem(
  code: InventoryErrorCode,
  message: string,
  where: RecordPlace,
  severity: ProblemSeverity = 'error',
): RecordProblem {
  return {
    ...problem(code, message, { file: where.file, record: where.record, field: where.field ?? null, severity }),
    record: where.record,
    row: where.row ?? null,
    ref: where.record,
    reason: message,
  };
}
