/**
 * @module identity
 * Which identifiers join records from different sources into one device. Strong identifiers name
 * one physical device wherever they are seen: UDI (DI + serial), serial number (with a compatible
 * manufacturer), MAC address, the hospital's asset tag, and a DICOM AE title at an IP address.
 * Native keys (a CSV's id column, a FHIR resource id or identifier, the sensor's device id) make
 * re-imports find their own records even without a strong identifier. IP addresses and host names
 * alone never join: DHCP moves them between devices.
 */
import type { IdentifierKey } from '@ward/store';
import type { ObservedFields } from './merge.js';
import { isUnicastMac } from './normalise.js';

/** Strongest first: when an observation's identifiers point at different devices, the strongest wins. */
export const KEY_PRIORITY = [
  'udi',
  'serial',
  'mac',
  'asset',
  'ae-ip',
  'fhir-identifier',
  'fhir',
  'csv',
  'sensor',
] as const;

export function keyPriority(kind: string): number {
  const i = (KEY_PRIORITY as readonly string[]).indexOf(kind);
  return i < 0 ? KEY_PRIORITY.length : i;
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

/** Upper-case with blanks removed: serials and asset tags are compared like this. */
export function normaliseSerial(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/** The strong identifiers an observation carries. */
export function strongKeys(fields: ObservedFields): IdentifierKey[] {
  const keys: IdentifierKey[] = [];
  const udi = fields.udi;
  if (udi !== null && typeof udi === 'object' && !Array.isArray(udi)) {
    const di = (udi as Record<string, unknown>).deviceIdentifier;
    const serial = (udi as Record<string, unknown>).serial;
    if (typeof di === 'string' && typeof serial === 'string' && serial !== '')
      keys.push({ kind: 'udi', value: `${di}|${normaliseSerial(serial)}` });
  }
  for (const s of strings(fields.serialNumber))
    if (s.trim() !== '') keys.push({ kind: 'serial', value: normaliseSerial(s) });
  for (const m of strings(fields.macs)) if (isUnicastMac(m)) keys.push({ kind: 'mac', value: m });
  for (const a of strings(fields.assetTag))
    if (a.trim() !== '') keys.push({ kind: 'asset', value: normaliseSerial(a) });
  const ips = strings(fields.ips);
  for (const ae of strings(fields.dicomAeTitles))
    for (const ip of ips) keys.push({ kind: 'ae-ip', value: `${ae.trim()}@${ip}` });
  return keys;
}
