/**
 * @module csv-export
 * Device records as CSV, with headers an import recognises (an export imports back as the same
 * devices). Cells that a spreadsheet would run as a formula are prefixed with `'`.
 */
import type { InventoryDevice } from '@ward/core';

const COLUMNS: readonly (readonly [string, (d: InventoryDevice) => string | null])[] = [
  ['id', (d) => d.id],
  ['name', (d) => d.name],
  ['type', (d) => d.type],
  ['manufacturer', (d) => d.manufacturer],
  ['model', (d) => d.model],
  ['serial number', (d) => d.serialNumber],
  ['asset tag', (d) => d.assetTag],
  ['udi', (d) => d.udi?.carrier ?? null],
  ['firmware version', (d) => d.firmwareVersion],
  ['os version', (d) => d.osVersion],
  ['ip address', (d) => d.ips.join(';')],
  ['mac address', (d) => d.macs.join(';')],
  ['hostname', (d) => d.hostnames.join(';')],
  ['ae title', (d) => d.dicomAeTitles.join(';')],
  ['site', (d) => d.location.site],
  ['building', (d) => d.location.building],
  ['unit', (d) => d.location.unit],
  ['room', (d) => d.location.room],
  ['department', (d) => d.department],
  ['owner', (d) => d.owner],
  ['criticality', (d) => d.criticality],
  ['phi', (d) => (d.phi === null ? null : d.phi ? 'yes' : 'no')],
  ['vlan', (d) => d.network.vlan],
  ['subnet', (d) => d.network.subnet],
  ['lifecycle', (d) => d.lifecycle],
  ['support status', (d) => d.supportStatus],
  ['end of support', (d) => d.endOfSupport],
];

/** One CSV cell: quoted when needed, formula-looking text defused. */
export function csvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvHeader(): string {
  return `${COLUMNS.map(([h]) => h).join(',')}\r\n`;
}

export function deviceToCsvLine(device: InventoryDevice): string {
  return `${COLUMNS.map(([, get]) => csvCell(get(device))).join(',')}\r\n`;
}
