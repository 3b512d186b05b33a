/**
 * @module device
 * The device record as far as the foundation needs it: identity, name and a type from Ward's
 * controlled vocabulary. The inventory capability extends it (identifiers, provenance, clinical
 * context).
 */

export const DEVICE_TYPES = [
  'infusion-pump',
  'patient-monitor',
  'ventilator',
  'anaesthesia-workstation',
  'ct',
  'mr',
  'x-ray',
  'ultrasound',
  'pacs',
  'lab-analyser',
  'medication-dispensing-cabinet',
  'nurse-call',
  'telemetry',
  'clinical-workstation',
  'interface-engine',
  'building-iot',
  'it',
  'unknown',
] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly type: DeviceType;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}
