import { describe, expect, it } from 'vitest';
import { matchableDevice, type InventoryDevice } from './inventory.js';

const device: InventoryDevice = {
  id: 'dev-1',
  name: 'Pump 1',
  type: 'infusion-pump',
  manufacturer: 'B. Braun',
  model: 'Infusomat Space',
  firmwareVersion: '686E',
  osVersion: null,
  serialNumber: null,
  assetTag: null,
  udi: null,
  macs: [],
  ips: [],
  hostnames: [],
  dicomAeTitles: [],
  location: { site: null, building: null, unit: null, room: null },
  department: null,
  owner: null,
  criticality: null,
  phi: null,
  network: { vlan: null, subnet: null, firstSeen: null, lastSeen: null },
  supportStatus: null,
  endOfSupport: null,
  lifecycle: 'in-service',
  sbomIds: [],
  documents: [],
  parentId: null,
  findingsCount: 0,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  provenance: {},
  conflicts: [],
};

describe('matchableDevice', () => {
  it('projects a device with manufacturer and model onto what the matcher reads', () => {
    expect(matchableDevice(device)).toEqual({
      id: 'dev-1',
      manufacturer: 'B. Braun',
      model: 'Infusomat Space',
      firmware: '686E',
    });
    expect(matchableDevice({ ...device, firmwareVersion: null })?.firmware).toBeNull();
  });

  it('gives null when the manufacturer or the model is unknown', () => {
    expect(matchableDevice({ ...device, manufacturer: null })).toBeNull();
    expect(matchableDevice({ ...device, model: null })).toBeNull();
  });
});
