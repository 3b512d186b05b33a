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
} from './service.js';
export { INVENTORY_ERROR_CODES, InventoryError } from './errors.js';
export type { InventoryErrorCode } from './errors.js';
export { applyClaims, resolveClaims, sourceKey, compareClaims } from './merge.js';
export type { Claim, ClaimSet, ClaimChange, ObservedFields, Resolution, ResolvedField } from './merge.js';
export { FIELD_NAMES, SCALAR_FIELDS, SET_FIELDS, SEEN_FIELDS, canonicalJson } from './fields.js';
export type { FieldName, ScalarField, SetField, SeenField, Json } from './fields.js';
export { readFieldInput } from './field-input.js';
export type { FieldInput } from './field-input.js';
export { strongKeys, KEY_PRIORITY } from './identity.js';
export { observationOfDiscovery } from './discovery.js';
export type { DeviceObservation, RecordProblem } from './observation.js';
export { normaliseMac, normaliseIp, normaliseType } from './normalise.js';
