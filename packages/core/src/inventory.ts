/**
 * @module inventory
 * The inventory's controlled vocabularies and the shape of a device record with clinical context
 * and per-field provenance. Pure data: the merge logic lives in `@ward/inventory`, storage in
 * `@ward/store`.
 */
import type { DeviceType } from './device.js';
import type { Udi } from './udi.js';

/**
 * Clinical criticality, most critical first (the order is the sort order): a life-sustaining
 * device failing harms the patient directly (ventilator, infusion pump running vasopressors).
 */
export const CRITICALITIES = [
  'life-sustaining',
  'life-supporting',
  'diagnostic',
  'therapeutic',
  'non-clinical',
] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const LIFECYCLE_STATES = ['in-service', 'maintenance', 'retired'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** Whether the manufacturer still supports the device (patches, parts, service). */
export const SUPPORT_STATUSES = ['supported', 'limited', 'end-of-support', 'unknown'] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];

/** Where a value came from. A source's rank decides which value wins a conflict. */
export const SOURCE_KINDS = ['person', 'csv', 'fhir', 'sensor'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export type ProvenanceSource =
  | { readonly kind: 'sensor'; readonly sensor: string }
  | { readonly kind: 'csv'; readonly file: string; readonly mapping: string | null }
  | { readonly kind: 'fhir'; readonly file: string }
  | { readonly kind: 'person'; readonly userId: string };

/** Default trust, highest first: a person's edit beats a CMMS/CSV import, which beats FHIR, which beats the sensor. */
export const DEFAULT_SOURCE_RANKING: readonly SourceKind[] = ['person', 'csv', 'fhir', 'sensor'];

export interface DeviceLocation {
  readonly site: string | null;
  readonly building: string | null;
  readonly unit: string | null;
  readonly room: string | null;
}

export interface DeviceDocumentLink {
  readonly title: string;
  readonly url: string;
}

/** Which source set a value and when (ISO 8601). */
export interface FieldProvenance {
  readonly source: ProvenanceSource;
  readonly at: string;
}

/** A value that lost to a more trusted source, kept visible. */
export interface FieldConflict {
  readonly field: string;
  readonly kept: { readonly value: unknown; readonly source: ProvenanceSource; readonly at: string };
  readonly others: readonly { readonly value: unknown; readonly source: ProvenanceSource; readonly at: string }[];
}

/** One device as the inventory knows it: every value merged from its sources. */
export interface InventoryDevice {
  readonly id: string;
  readonly name: string;
  readonly type: DeviceType;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly firmwareVersion: string | null;
  readonly osVersion: string | null;
  readonly serialNumber: string | null;
  readonly assetTag: string | null;
  readonly udi: Udi | null;
  readonly macs: readonly string[];
  readonly ips: readonly string[];
  readonly hostnames: readonly string[];
  readonly dicomAeTitles: readonly string[];
  readonly location: DeviceLocation;
  readonly department: string | null;
  readonly owner: string | null;
  readonly criticality: Criticality | null;
  /** Stores or transmits PHI; null when nobody said. */
  readonly phi: boolean | null;
  readonly network: {
    readonly vlan: string | null;
    readonly subnet: string | null;
    readonly firstSeen: string | null;
    readonly lastSeen: string | null;
  };
  readonly supportStatus: SupportStatus | null;
  /** ISO 8601 date. */
  readonly endOfSupport: string | null;
  readonly lifecycle: LifecycleState;
  /** SBOM ids (filled by the software capability). */
  readonly sbomIds: readonly string[];
  readonly documents: readonly DeviceDocumentLink[];
  /** The device this one is part of (a FHIR `Device.parent`: a monitor's VMD or channel). */
  readonly parentId: string | null;
  /** Open findings linked to the device (a count kept by the findings capability). */
  readonly findingsCount: number;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Per field (dotted path such as `location.room`): who set the value shown, and when. */
  readonly provenance: Readonly<Record<string, FieldProvenance>>;
  readonly conflicts: readonly FieldConflict[];
}

/**
 * What the vulnerability matcher needs of a device: a projection of `InventoryDevice` for a device
 * whose manufacturer and model are known (`firmware` is its `firmwareVersion`). `ward match
 * --inventory` reads these straight from a file; `matchableDevice` projects a stored device.
 */
export interface MatchableDevice {
  readonly id: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string | null;
}

/** The matcher's view of a device, or null when its manufacturer or model is unknown. */
export function matchableDevice(device: InventoryDevice): MatchableDevice | null {
  if (device.manufacturer === null || device.model === null) return null;
  return { id: device.id, manufacturer: device.manufacturer, model: device.model, firmware: device.firmwareVersion };
}

export function isCriticality(value: unknown): value is Criticality {
  return typeof value === 'string' && (CRITICALITIES as readonly string[]).includes(value);
}

export function isLifecycleState(value: unknown): value is LifecycleState {
  return typeof value === 'string' && (LIFECYCLE_STATES as readonly string[]).includes(value);
}

export function isSupportStatus(value: unknown): value is SupportStatus {
  return typeof value === 'string' && (SUPPORT_STATUSES as readonly string[]).includes(value);
}
