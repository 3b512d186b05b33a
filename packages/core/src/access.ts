/**
 * @module access
 * Roles and permissions. Every HTTP route and every CLI action that acts for a principal names one
 * `Permission` (or `public` / `authenticated`); a role grants a fixed set. Anything not granted is
 * denied.
 */

export const ROLES = ['admin', 'security-analyst', 'clinical-engineer', 'auditor', 'manufacturer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'devices:read',
  'devices:write',
  'users:read',
  'users:write',
  'tokens:read',
  'tokens:write',
  'system:read',
  'ledger:read',
  'ledger:write',
  'software:read',
  'software:write',
  'feeds:read',
  'feeds:write',
  'findings:read',
  'jobs:read',
  'jobs:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * What a route requires: a permission, any authenticated principal, or nothing at all.
 * `public` must be declared as explicitly as a permission; a route that declares nothing is denied.
 */
export type RouteAccess = Permission | 'authenticated' | 'public';

const READ_ONLY: readonly Permission[] = PERMISSIONS.filter((p) => p.endsWith(':read'));

/**
 * What clinical engineers and security analysts both do: the inventory, record versions in the
 * ledger (clinical systems commit them through accounts of these roles), SBOMs and VEX, and
 * reading feeds and findings.
 */
const CARE_TEAM: readonly Permission[] = [
  'devices:read',
  'devices:write',
  'system:read',
  'ledger:read',
  'ledger:write',
  'software:read',
  'software:write',
  'feeds:read',
  'findings:read',
];

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  // Clinical engineers attach SBOMs and record VEX decisions for the devices they look after.
  'clinical-engineer': CARE_TEAM,
  // Analysts also own the feeds, and watch the scheduled jobs (feed syncs are theirs); only
  // administrators run jobs.
  'security-analyst': [...CARE_TEAM, 'feeds:write', 'jobs:read'],
  // Auditors see everything and change nothing.
  auditor: READ_ONLY,
  // Manufacturers will see only their own products (a later issue scopes them); until then nothing.
  manufacturer: [],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Whether a principal with `role` (or none, when unauthenticated) may pass `access`. */
export function isAllowed(access: RouteAccess, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (role === undefined) return false;
  if (access === 'authenticated') return true;
  return roleGrants(role, access);
}
