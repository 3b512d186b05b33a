/**
 * @module @ward/inventory
 * Ward's device inventory: one record per device merged from every source with per-field
 * provenance, CSV/TSV and FHIR R4 import and export, and the service every change goes through.
 */
export { InventoryService, readPatch } from './service.js';
export type {
  ApplyOptions,
  ApplyReport,
  DeviceDetail,
  DeviceHistoryEntry,
  DeviceOutcome,
  DeviceOutcomeKind,
  InventoryChangeEvent,
  InventoryListener,
  InventoryServiceOptions,
  MappingSavedEvent,
} from './service.js';
export { INVENTORY_ERROR_CODES, InventoryError } from './errors.js';
export type { InventoryErrorCode } from './errors.js';
export { applyClaims, resolveClaims, sourceKey, compareClaims } from './merge.js';
export type { Claim, ClaimSet, ClaimChange, ObservedFields, Resolution, ResolvedField } from './merge.js';
export { FIELD_NAMES, SCALAR_FIELDS, SET_FIELDS, SEEN_FIELDS } from './fields.js';
export type { FieldName, ScalarField, SetField, SeenField, Json } from './fields.js';
export { readFieldInput } from './field-input.js';
export type { FieldInput } from './field-input.js';
export { strongKeys, KEY_PRIORITY } from './identity.js';
export { observationOfDiscovery } from './discovery.js';
export { recordProblem } from './observation.js';
export type { DeviceObservation, RecordPlace, RecordProblem } from './observation.js';
export { normaliseMac, normaliseIp, normaliseType } from './normalise.js';
export { importFile, detectFormat, IMPORT_FORMATS } from './import-file.js';
export type { ImportFormat, ImportOptions, ImportReport } from './import-file.js';
export { parseMapping, recogniseHeader, COLUMN_TARGETS } from './mapping.js';
export type { ColumnMapping, ColumnTarget } from './mapping.js';
export { readCsv, detectDelimiter } from './csv-import.js';
export type { CsvReadResult, CsvReadOptions, CsvColumn } from './csv-import.js';
export { readFhir } from './fhir-import.js';
export type { FhirReadResult } from './fhir-import.js';
export { validateR4, loadR4Definitions } from './fhir-r4.js';
export type { R4Problem } from './fhir-r4.js';
export { fhirXmlToJson } from './fhir-xml.js';
export { deviceToFhir, devicesToFhirBundle, EXTENSION_CRITICALITY, EXTENSION_PHI } from './fhir-export.js';
export { csvHeader, deviceToCsvLine, csvCell } from './csv-export.js';
