/**
 * @module fields
 * The fields of a device record that sources make claims about, and how each kind merges: a
 * scalar keeps the most trusted claim (the others stay visible as a conflict), a set is the union
 * of every source's members, and the first/last-seen times take the earliest/latest claim.
 */

export const SCALAR_FIELDS = [
  'name',
  'type',
  'manufacturer',
  'model',
  'firmwareVersion',
  'osVersion',
  'serialNumber',
  'assetTag',
  'udi',
  'location.site',
  'location.building',
  'location.unit',
  'location.room',
  'department',
  'owner',
  'criticality',
  'phi',
  'network.vlan',
  'network.subnet',
  'supportStatus',
  'endOfSupport',
  'lifecycle',
  'parentId',
] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];

export const SET_FIELDS = ['macs', 'ips', 'hostnames', 'dicomAeTitles', 'sbomIds', 'documents'] as const;
export type SetField = (typeof SET_FIELDS)[number];

export const SEEN_FIELDS = ['network.firstSeen', 'network.lastSeen'] as const;
export type SeenField = (typeof SEEN_FIELDS)[number];

export type FieldName = ScalarField | SetField | SeenField;

export const FIELD_NAMES: readonly FieldName[] = [...SCALAR_FIELDS, ...SET_FIELDS, ...SEEN_FIELDS];

/** A JSON value as claims hold it. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

export function isScalarField(f: string): f is ScalarField {
  return (SCALAR_FIELDS as readonly string[]).includes(f);
}

export function isSetField(f: string): f is SetField {
  return (SET_FIELDS as readonly string[]).includes(f);
}

export function isSeenField(f: string): f is SeenField {
  return (SEEN_FIELDS as readonly string[]).includes(f);
}
