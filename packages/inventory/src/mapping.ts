/**
 * @module mapping
 * Which CSV column feeds which device field. Common CMMS headers are recognised without a mapping
 * (`Asset Tag`, `Serial No`, `Vendor`, `Software Version`, `IP Address`…); a saved mapping names
 * the columns of one export (and can translate its words, e.g. a CMMS's device categories into
 * Ward's types), and is reused by name.
 */
import { InventoryError } from './errors.js';
import { FIELD_NAMES, type FieldName } from './fields.js';

/** Where a column goes: a device field, the source's own id, a combined location, or nowhere. */
export type ColumnTarget = FieldName | 'id' | 'location' | 'ignore';

export const COLUMN_TARGETS: readonly ColumnTarget[] = [...FIELD_NAMES, 'id', 'location', 'ignore'];

export interface ColumnMapping {
  /** Header (as in the file, compared case-insensitively) → target. */
  readonly columns: Readonly<Record<string, ColumnTarget>>;
  /** Per field, words of the file → Ward's words (`{"type": {"LVP pump": "infusion-pump"}}`). */
  readonly values?: Readonly<Partial<Record<FieldName, Readonly<Record<string, string>>>>>;
  /** Default: detected from the header line. */
  readonly delimiter?: ',' | '\t' | ';';
  /** Columns not named here are still recognised by their common names (default true). */
  readonly recogniseCommonHeaders?: boolean;
}

const h = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

const COMMON: Readonly<Record<string, ColumnTarget>> = Object.fromEntries(
  (
    [
      ['id', ['id', 'deviceid', 'equipmentid', 'equipmentnumber', 'equipmentno', 'recordid', 'cmmsid']],
      ['name', ['name', 'devicename', 'equipmentname', 'description']],
      ['assetTag', ['assettag', 'asset', 'assetno', 'assetnumber', 'assetid', 'tag', 'controlnumber', 'controlno']],
      ['serialNumber', ['serial', 'serialnumber', 'serialno', 'sn']],
      ['manufacturer', ['manufacturer', 'vendor', 'make', 'mfr', 'mfg', 'maker']],
      ['model', ['model', 'modelnumber', 'modelname', 'modelno']],
      [
        'firmwareVersion',
        ['firmware', 'firmwareversion', 'softwareversion', 'software', 'swversion', 'fwversion', 'version'],
      ],
      ['osVersion', ['os', 'osversion', 'operatingsystem']],
      ['ips', ['ip', 'ipaddress', 'ipv4', 'ipv4address', 'ips', 'ipaddresses']],
      ['macs', ['mac', 'macaddress', 'macs', 'hwaddress', 'macaddresses']],
      ['hostnames', ['hostname', 'host', 'dnsname', 'networkname']],
      ['dicomAeTitles', ['aetitle', 'dicomaetitle', 'ae']],
      ['udi', ['udi', 'udicarrier', 'udibarcode']],
      ['location', ['location']],
      ['location.site', ['site', 'campus', 'facility']],
      ['location.building', ['building']],
      ['location.unit', ['unit', 'ward', 'nursingunit', 'floor']],
      ['location.room', ['room', 'roomnumber', 'bay']],
      ['department', ['department', 'dept', 'service', 'costcentre', 'costcenter']],
      ['owner', ['owner', 'responsible', 'contact', 'custodian']],
      ['type', ['type', 'devicetype', 'category', 'equipmenttype', 'devicecategory']],
      ['criticality', ['criticality', 'clinicalcriticality']],
      ['phi', ['phi', 'ephi', 'storesphi', 'handlesphi']],
      ['network.vlan', ['vlan', 'vlanid']],
      ['network.subnet', ['subnet', 'network']],
      ['lifecycle', ['status', 'lifecycle', 'lifecyclestate', 'state']],
      ['supportStatus', ['supportstatus', 'support']],
      ['endOfSupport', ['endofsupport', 'endofsupportdate', 'eos', 'eosdate', 'endoflife', 'eol']],
    ] as const
  ).flatMap(([target, names]) => names.map((n) => [n, target])),
);

/** The target a header has without a mapping, if it is a common one. */
export function recogniseHeader(header: string): ColumnTarget | undefined {
  return COMMON[h(header)];
}

/** Reads a mapping from JSON text or a parsed value. @throws InventoryError INVENTORY_MAPPING_INVALID naming the field */
export function parseMapping(input: unknown): ColumnMapping {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new InventoryError('INVENTORY_MAPPING_INVALID', 'the mapping is not JSON', { cause: error, details: {} });
    }
  }
  const bad = (field: string, why: string): never => {
    throw new InventoryError('INVENTORY_MAPPING_INVALID', `mapping ${field}: ${why}`, { details: { field } });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('(root)', 'expected an object');
  const v = value as Record<string, unknown>;
  const columns = v.columns;
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns))
    return bad('columns', 'expected an object');
  const out: Record<string, ColumnTarget> = {};
  for (const [header, target] of Object.entries(columns)) {
    if (typeof target !== 'string' || !(COLUMN_TARGETS as readonly string[]).includes(target)) {
      return bad(`columns.${header}`, `unknown target ${JSON.stringify(target)}; one of ${COLUMN_TARGETS.join(', ')}`);
    }
    out[header] = target as ColumnTarget;
  }
  const values: Partial<Record<FieldName, Record<string, string>>> = {};
  if (v.values !== undefined) {
    if (typeof v.values !== 'object' || v.values === null) return bad('values', 'expected an object');
    for (const [field, words] of Object.entries(v.values as Record<string, unknown>)) {
      if (!(FIELD_NAMES as readonly string[]).includes(field)) return bad(`values.${field}`, 'not a device field');
      if (typeof words !== 'object' || words === null) return bad(`values.${field}`, 'expected an object');
      const table: Record<string, string> = {};
      for (const [from, to] of Object.entries(words as Record<string, unknown>)) {
        if (typeof to !== 'string') return bad(`values.${field}.${from}`, 'expected text');
        table[from] = to;
      }
      values[field as FieldName] = table;
    }
  }
  const delimiter = v.delimiter;
  if (delimiter !== undefined && delimiter !== ',' && delimiter !== '\t' && delimiter !== ';') {
    return bad('delimiter', 'one of ",", "\\t", ";"');
  }
  const recognise = v.recogniseCommonHeaders;
  if (recognise !== undefined && typeof recognise !== 'boolean')
    return bad('recogniseCommonHeaders', 'expected true or false');
  return {
    columns: out,
    values,
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(recognise === undefined ? {} : { recogniseCommonHeaders: recognise }),
  };
}
