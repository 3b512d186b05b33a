/**
 * @module observation
 * What an importer hands the service: one source's view of one device, and where in its input it
 * came from. Importers add a format by producing these (see README, "Adding an import format").
 */
import type { IdentifierKey } from '@ward/store';
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

/** One problem with one input record: row and column for CSV, a FHIR path for FHIR. */
export interface RecordProblem {
  /** `row 12` (file line number), `entry[3]`… */
  readonly ref: string;
  /** 1-based line number for CSV, else null. */
  readonly row: number | null;
  /** The CSV column header, or the FHIR path (`Bundle.entry[3].resource.serialNumber`). */
  readonly field: string | null;
  readonly reason: string;
}
