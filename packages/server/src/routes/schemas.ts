/**
 * @module routes/schemas
 * Zod schemas of the API's resources. They validate requests, shape responses and become the
 * OpenAPI document.
 */
import { CRITICALITIES, DEVICE_TYPES, LIFECYCLE_STATES, PERMISSIONS, ROLES, SUPPORT_STATUSES } from '@ward/core';
import { z } from 'zod';

export const roleSchema = z.enum(ROLES);
const timestamp = z.string().describe('ISO 8601, UTC');

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string().nullable(),
    role: roleSchema,
    createdAt: timestamp,
    updatedAt: timestamp,
    disabledAt: timestamp.nullable(),
    lastLoginAt: timestamp.nullable(),
  })
  .meta({ id: 'User' });

export const tokenSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the secret, to tell tokens apart'),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });

const provenanceSource = z
  .object({
    kind: z.enum(['sensor', 'csv', 'fhir', 'person']),
    sensor: z.string().optional(),
    file: z.string().optional(),
    mapping: z.string().nullable().optional(),
    userId: z.string().optional(),
  })
  .meta({ id: 'ProvenanceSource' });

const claimed = z.object({ value: z.unknown(), source: provenanceSource, at: timestamp });

/** A device with clinical context: every value, who set it and when, and the values that lost. */
export const inventoryDeviceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(DEVICE_TYPES),
    manufacturer: z.string().nullable(),
    model: z.string().nullable(),
    firmwareVersion: z.string().nullable(),
    osVersion: z.string().nullable(),
    serialNumber: z.string().nullable(),
    assetTag: z.string().nullable(),
    udi: z
      .object({
        kind: z.enum(['gs1', 'hibcc']),
        carrier: z.string(),
        deviceIdentifier: z.string(),
        lot: z.string().nullable(),
        serial: z.string().nullable(),
        manufacturingDate: z.string().nullable(),
        expirationDate: z.string().nullable(),
        labeler: z.string().nullable(),
        product: z.string().nullable(),
        unitOfMeasure: z.number().nullable(),
        quantity: z.number().nullable(),
      })
      .nullable(),
    macs: z.array(z.string()).readonly(),
    ips: z.array(z.string()).readonly(),
    hostnames: z.array(z.string()).readonly(),
    dicomAeTitles: z.array(z.string()).readonly(),
    location: z.object({
      site: z.string().nullable(),
      building: z.string().nullable(),
      unit: z.string().nullable(),
      room: z.string().nullable(),
    }),
    department: z.string().nullable(),
    owner: z.string().nullable(),
    criticality: z.enum(CRITICALITIES).nullable(),
    phi: z.boolean().nullable(),
    network: z.object({
      vlan: z.string().nullable(),
      subnet: z.string().nullable(),
      firstSeen: z.string().nullable(),
      lastSeen: z.string().nullable(),
    }),
    supportStatus: z.enum(SUPPORT_STATUSES).nullable(),
    endOfSupport: z.string().nullable(),
    lifecycle: z.enum(LIFECYCLE_STATES),
    sbomIds: z.array(z.string()).readonly(),
    documents: z.array(z.object({ title: z.string(), url: z.string() })).readonly(),
    parentId: z.string().nullable(),
    findingsCount: z.number().int(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
    provenance: z.record(z.string(), z.object({ source: provenanceSource, at: timestamp })),
    conflicts: z.array(z.object({ field: z.string(), kept: claimed, others: z.array(claimed).readonly() })).readonly(),
  })
  .meta({ id: 'InventoryDevice' });

export const deviceHistorySchema = z
  .object({
    version: z.number().int(),
    at: timestamp,
    source: provenanceSource,
    changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })).readonly(),
  })
  .meta({ id: 'DeviceChange' });

export const permissionSchema = z.enum(PERMISSIONS);

export const idParams = z.object({ id: z.string().min(1).max(200) });
