/**
 * @module observation
 * One fact the sensor learned from the wire, about one identifier: a MAC (`mac:…`), an IP address
 * (`ip:…`) or a BLE advertiser (`ble:…`). Facts are recorded on the identifier the protocol
 * itself names (DHCP on the client's hardware address, HL7 and DICOM on the IP that sent or
 * received the message); which identifiers make up one device is decided later, from all of
 * them (`devices.ts`). Each observation's id is the SHA-256 of the canonical JSON of kind,
 * subject and value, so the same fact read twice — from the same capture or another one — is the
 * same row.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@ward/core';

export const OBSERVATION_KINDS = [
  /** A MAC seen carrying an IP: `{ ip, via }` with via arp, ndp, dhcp or ip. */
  'binding',
  /** An IP seen as an endpoint of a flow: `{}`. */
  'seen',
  /** A name for the subject: `{ name, source }` with source dhcp, dhcp-fqdn, dns or mdns. */
  'hostname',
  /** A DHCP client fingerprint: `{ hostname, vendorClass, paramList }` (null where absent). */
  'dhcp',
  /** A DNS name the subject looked up: `{ name }`. */
  'dns-query',
  'tls-sni',
  'tls-ja4',
  'http-user-agent',
  'http-server',
  'ssh-banner',
  /** `{ role: 'server' | 'client', transport, port, protocol }`: a service offered or used. */
  'service',
  /** `{ aeTitle, role: 'SCU' | 'SCP' }`. */
  'dicom-ae',
  /** `{ sopClass, role, command }`: a SOP class used through a DIMSE command, or accepted in an association. */
  'dicom-sop',
  /** `{ peer, role, command }`: another IP the subject exchanged that DIMSE command with. */
  'dicom-peer',
  /** `{ application, facility, role: 'sender' | 'receiver' }`. */
  'hl7-app',
  /** `{ messageType, role }`. */
  'hl7-message',
  /** `{ peer }`: another IP the subject exchanged HL7 messages with. */
  'hl7-peer',
  /** A BLE advertiser address: `{}`. */
  'ble-advertiser',
] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

export type ObservationValue = Readonly<Record<string, string | number | boolean | null | readonly number[]>>;

export interface Observation {
  /** SHA-256 (hex) of the canonical JSON of `{ kind, subject, value }`. */
  readonly id: string;
  readonly kind: ObservationKind;
  /** `mac:00:11:22:33:44:55`, `ip:10.0.0.1`, `ble:…`. */
  readonly subject: string;
  readonly value: ObservationValue;
  /** Capture time, microseconds since the epoch. */
  firstSeen: number;
  lastSeen: number;
  /** Where the fact was first learnt (`scan:<file>`, `sensor:<interface>`), when the observer was told. */
  readonly source?: string;
}

export function observationId(kind: ObservationKind, subject: string, value: ObservationValue): string {
  return createHash('sha256').update(canonicalJson({ kind, subject, value })).digest('hex');
}

/** Microseconds since the epoch as ISO 8601 (millisecond precision). */
export function isoOf(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : new Date(0).toISOString();
}
