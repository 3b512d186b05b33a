/**
 * @module fhir-export
 * Device records as FHIR R4 `Device` resources (and a `collection` Bundle of them). Clinical
 * context Ward keeps beyond the base resource (criticality, PHI) travels in extensions under
 * Ward's own URLs; addresses as identifiers (EUI-48 for MACs).
 */
import type { InventoryDevice } from '@ward/core';

export const WARD_FHIR_BASE = 'https://ward.example.org/fhir';
export const EXTENSION_CRITICALITY = `${WARD_FHIR_BASE}/StructureDefinition/clinical-criticality`;
export const EXTENSION_PHI = `${WARD_FHIR_BASE}/StructureDefinition/handles-phi`;

type Obj = Record<string, unknown>;

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One device as an R4 Device. */
export function deviceToFhir(device: InventoryDevice): Obj {
  const identifier: Obj[] = [{ system: `${WARD_FHIR_BASE}/device-id`, value: device.id }];
  if (device.assetTag !== null) {
    identifier.push({ type: { text: 'Asset tag' }, system: `${WARD_FHIR_BASE}/asset-tag`, value: device.assetTag });
  }
  for (const mac of device.macs)
    identifier.push({ system: 'http://hl7.org/fhir/sid/eui-48/ethernet', value: mac.replaceAll(':', '-') });
  for (const ip of device.ips)
    identifier.push({ type: { text: 'IP address' }, system: 'urn:ietf:rfc:3986', value: `urn:ip:${ip}` });
  const extension: Obj[] = [];
  if (device.criticality !== null) extension.push({ url: EXTENSION_CRITICALITY, valueCode: device.criticality });
  if (device.phi !== null) extension.push({ url: EXTENSION_PHI, valueBoolean: device.phi });
  const udi = device.udi;
  const version: Obj[] = [];
  if (device.firmwareVersion !== null) version.push({ type: { text: 'firmware' }, value: device.firmwareVersion });
  if (device.osVersion !== null) version.push({ type: { text: 'operating system' }, value: device.osVersion });
  const l = device.location;
  const where = [l.site, l.building, l.unit, l.room].filter((x): x is string => x !== null).join(' / ');
  const resource: Obj = {
    resourceType: 'Device',
    ...(FHIR_ID.test(device.id) ? { id: device.id } : {}),
    meta: { versionId: String(device.version), lastUpdated: device.updatedAt },
    ...(extension.length > 0 ? { extension } : {}),
    identifier,
    ...(udi === null
      ? {}
      : {
          udiCarrier: [
            {
              deviceIdentifier: udi.deviceIdentifier,
              issuer:
                udi.kind === 'gs1'
                  ? 'http://hl7.org/fhir/NamingSystem/gs1-di'
                  : 'http://hl7.org/fhir/NamingSystem/hibcc-dI',
              carrierHRF: udi.carrier,
            },
          ],
        }),
    status: device.lifecycle === 'retired' ? 'inactive' : 'active',
    ...(device.manufacturer === null ? {} : { manufacturer: device.manufacturer }),
    ...(udi?.manufacturingDate == null ? {} : { manufactureDate: udi.manufacturingDate }),
    ...(udi?.expirationDate == null ? {} : { expirationDate: udi.expirationDate }),
    ...(udi?.lot == null ? {} : { lotNumber: udi.lot }),
    ...(device.serialNumber === null ? {} : { serialNumber: device.serialNumber }),
    deviceName: [
      { name: device.name, type: 'user-friendly-name' },
      ...(device.model === null ? [] : [{ name: device.model, type: 'model-name' }]),
    ],
    ...(device.model === null ? {} : { modelNumber: device.model }),
    type: { coding: [{ system: `${WARD_FHIR_BASE}/CodeSystem/device-type`, code: device.type }], text: device.type },
    ...(version.length > 0 ? { version } : {}),
    ...((device.owner ?? device.department) ? { owner: { display: device.owner ?? device.department } } : {}),
    ...(where === '' ? {} : { location: { display: where } }),
    ...(device.parentId === null ? {} : { parent: { reference: `Device/${device.parentId}` } }),
  };
  return resource;
}

/** Devices as a `collection` Bundle. */
export function devicesToFhirBundle(devices: readonly InventoryDevice[], timestamp: string): Obj {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp,
    entry: devices.map((d) => ({
      ...(UUID.test(d.id) ? { fullUrl: `urn:uuid:${d.id}` } : {}),
      resource: deviceToFhir(d),
    })),
  };
}
