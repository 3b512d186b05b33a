/**
 * @module @ward/core
 * Ward's domain model and pure logic. Imports nothing of ours and no Node-only API.
 */
export { WardError, CORE_ERROR_CODES, isWardError, hasErrorCode } from './errors.js';
export type { ErrorDetails, WardErrorOptions, CoreErrorCode } from './errors.js';
export { ROLES, PERMISSIONS, isRole, permissionsOf, roleGrants, isAllowed } from './access.js';
export type { Role, Permission, RouteAccess } from './access.js';
export { DEVICE_TYPES } from './device.js';
export type { Device, DeviceType } from './device.js';
export type { User, ApiToken, Session } from './account.js';
export type { DiscoveredDevice, DiscoveryEvidence } from './discovery.js';
