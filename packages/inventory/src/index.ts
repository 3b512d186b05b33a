/**
 * @module inventory
 * Ward's device inventory: merging with provenance, CSV and FHIR R4 import and export, the inventory service.
 */
export const PACKAGE = '@ward/inventory';
