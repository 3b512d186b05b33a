/**
 * @module discovery
 * A device as passive discovery saw it (`ward scan --json`, core's `DiscoveredDevice`) as an
 * observation with sensor provenance: addresses, names, AE titles, the OUI vendor as manufacturer
 * and the inferred type.
 */
import { DEVICE_TYPES, type DiscoveredDevice } from '@ward/core';
import type { FieldName, Json } from './fields.js';
import { normaliseIp, normaliseMac } from './normalise.js';
import type { DeviceObservation } from './observation.js';

const defined = (xs: readonly (string | undefined)[]): string[] => xs.filter((x): x is string => x !== undefined);

export function observationOfDiscovery(device: DiscoveredDevice, index: number): DeviceObservation {
  const macs = defined(device.macs.map(normaliseMac));
  const ips = defined(device.ips.map(normaliseIp));
  const hostnames = [
    ...new Set([...device.hostnames, ...(device.dhcp.hostname === null ? [] : [device.dhcp.hostname])]),
  ]
    .map((h) => h.toLowerCase())
    .filter((h) => h !== '' && h.length <= 253);
  const fields: Partial<Record<FieldName, Json>> = {};
  if (macs.length > 0) fields.macs = macs;
  if (ips.length > 0) fields.ips = ips;
  if (hostnames.length > 0) fields.hostnames = hostnames;
  if (device.dicom.aeTitles.length > 0)
    fields.dicomAeTitles = device.dicom.aeTitles.map((a) => a.trim()).filter((a) => a !== '');
  if (device.vendor !== null && device.vendor.trim() !== '') fields.manufacturer = device.vendor.trim();
  if (device.type !== 'unknown' && (DEVICE_TYPES as readonly string[]).includes(device.type)) fields.type = device.type;
  if (device.firstSeen !== undefined) fields['network.firstSeen'] = device.firstSeen;
  if (device.lastSeen !== undefined) fields['network.lastSeen'] = device.lastSeen;
  return {
    fields,
    nativeKeys: [{ kind: 'sensor', value: device.id }],
    ref: `devices[${String(index)}] (${device.id})`,
  };
}
