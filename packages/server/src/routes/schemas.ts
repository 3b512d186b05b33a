/**
 * @module routes/schemas
 * Zod schemas of the API's resources. They validate requests, shape responses and become the
 * OpenAPI document.
 */
import { DEVICE_TYPES, PERMISSIONS, ROLES } from '@ward/core';
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

export const deviceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(DEVICE_TYPES),
    manufacturer: z.string().nullable(),
    model: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Device' });

export const permissionSchema = z.enum(PERMISSIONS);

export const idParams = z.object({ id: z.string().min(1).max(200) });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  });
}

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(500).optional(),
});
