/**
 * @module record
 * A device's claims as stored (`devices.record`, JSON) and the device record they resolve to: the
 * values shown, the provenance of each, the conflicts, and the row columns lists index.
 */
import {
  DEVICE_TYPES,
  isCriticality,
  isLifecycleState,
  isSupportStatus,
  type DeviceDocumentLink,
  type DeviceType,
  type FieldProvenance,
  type InventoryDevice,
  type SourceKind,
  type Udi,
} from '@ward/core';
import type { InventoryRow } from '@ward/store';
import type { FieldName, Json } from './fields.js';
import { resolveClaims, type Claim, type ClaimSet } from './merge.js';
import { searchTokens } from './normalise.js';

interface StoredRecord {
  readonly v: 1;
  readonly claims: ClaimSet;
}

/** The claims of a stored row. A row written before the inventory (no claims) becomes claims of an unknown person. */
export function claimsOfRow(row: InventoryRow): ClaimSet {
  try {
    const parsed = JSON.parse(row.record) as Partial<StoredRecord>;
    if (parsed.v === 1 && typeof parsed.claims === 'object') return parsed.claims;
  } catch {
    // fall through to the legacy claims
  }
  const source = { kind: 'person', userId: 'unknown' } as const;
  const claim = (value: Json): readonly Claim[] => [{ value, source, at: row.createdAt }];
  const claims: Partial<Record<FieldName, readonly Claim[]>> = { name: claim(row.name), type: claim(row.type) };
  if (row.manufacturer !== null) claims.manufacturer = claim(row.manufacturer);
  if (row.model !== null) claims.model = claim(row.model);
  return claims;
}

export function encodeRecord(claims: ClaimSet): string {
  return JSON.stringify({ v: 1, claims } satisfies StoredRecord);
}

export interface RecordMeta {
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly findingsCount: number;
}

const str = (v: Json | undefined): string | null => (typeof v === 'string' ? v : null);
const strs = (v: Json | undefined): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The device record a claim set shows. */
export function deviceOf(meta: RecordMeta, claims: ClaimSet, ranking?: readonly SourceKind[]): InventoryDevice {
  const { values, conflicts } = resolveClaims(claims, ranking);
  const v = (f: FieldName): Json | undefined => values[f]?.value;
  const provenance: Record<string, FieldProvenance> = {};
  for (const [field, r] of Object.entries(values)) provenance[field] = { source: r.source, at: r.at };
  const type = v('type');
  const macs = strs(v('macs'));
  const ips = strs(v('ips'));
  const hostnames = strs(v('hostnames'));
  const model = str(v('model'));
  const udiValue = v('udi');
  const documents: DeviceDocumentLink[] = [];
  const docs = v('documents');
  for (const d of Array.isArray(docs) ? (docs as readonly Json[]) : []) {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) continue;
    const { title, url } = d as Readonly<Record<string, Json>>;
    if (typeof title === 'string' && typeof url === 'string') documents.push({ title, url });
  }
  const lifecycle = v('lifecycle');
  const criticality = v('criticality');
  const support = v('supportStatus');
  const phi = v('phi');
  return {
    id: meta.id,
    name: str(v('name')) ?? model ?? hostnames[0] ?? ips[0] ?? macs[0] ?? 'Unnamed device',
    type:
      typeof type === 'string' && (DEVICE_TYPES as readonly string[]).includes(type) ? (type as DeviceType) : 'unknown',
    manufacturer: str(v('manufacturer')),
    model,
    firmwareVersion: str(v('firmwareVersion')),
    osVersion: str(v('osVersion')),
    serialNumber: str(v('serialNumber')),
    assetTag: str(v('assetTag')),
    udi:
      udiValue !== null && typeof udiValue === 'object' && !Array.isArray(udiValue)
        ? (udiValue as unknown as Udi)
        : null,
    macs,
    ips,
    hostnames,
    dicomAeTitles: strs(v('dicomAeTitles')),
    location: {
      site: str(v('location.site')),
      building: str(v('location.building')),
      unit: str(v('location.unit')),
      room: str(v('location.room')),
    },
    department: str(v('department')),
    owner: str(v('owner')),
    criticality: isCriticality(criticality) ? criticality : null,
    phi: typeof phi === 'boolean' ? phi : null,
    network: {
      vlan: str(v('network.vlan')),
      subnet: str(v('network.subnet')),
      firstSeen: str(v('network.firstSeen')),
      lastSeen: str(v('network.lastSeen')),
    },
    supportStatus: isSupportStatus(support) ? support : null,
    endOfSupport: str(v('endOfSupport')),
    lifecycle: isLifecycleState(lifecycle) ? lifecycle : 'in-service',
    sbomIds: strs(v('sbomIds')),
    documents,
    parentId: str(v('parentId')),
    findingsCount: meta.findingsCount,
    version: meta.version,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
    provenance,
    conflicts,
  };
}

/** The row that stores a device and its claims. */
export function rowOf(device: InventoryDevice, claims: ClaimSet): InventoryRow {
  const l = device.location;
  return {
    id: device.id,
    name: device.name,
    type: device.type,
    manufacturer: device.manufacturer,
    model: device.model,
    firmwareVersion: device.firmwareVersion,
    serialNumber: device.serialNumber,
    assetTag: device.assetTag,
    department: device.department,
    criticality: device.criticality,
    lifecycle: device.lifecycle,
    lastSeen: device.network.lastSeen,
    findingsCount: device.findingsCount,
    version: device.version,
    record: encodeRecord(claims),
    search: searchTokens([
      device.name,
      device.type,
      device.manufacturer,
      device.model,
      device.firmwareVersion,
      device.osVersion,
      device.serialNumber,
      device.assetTag,
      device.udi?.deviceIdentifier,
      ...device.macs,
      ...device.ips,
      ...device.hostnames,
      ...device.dicomAeTitles,
      l.site,
      l.building,
      l.unit,
      l.room,
      device.department,
      device.owner,
    ]),
    createdAt: device.createdAt,
    updatedAt: device.updatedAt,
  };
}
