import { describe, expect, it } from 'vitest';
import { isAllowed, PERMISSIONS, permissionsOf, ROLES, roleGrants } from './access.js';

describe('roles and permissions', () => {
  it('gives the administrator every permission and the auditor every read permission only', () => {
    expect(permissionsOf('admin')).toEqual(PERMISSIONS);
    expect(permissionsOf('auditor')).toEqual(PERMISSIONS.filter((p) => p.endsWith(':read')));
    expect(permissionsOf('manufacturer')).toEqual([]);
  });

  it('lets administrators, analysts and auditors see the scheduled jobs, and only administrators run them', () => {
    expect(ROLES.filter((r) => roleGrants(r, 'jobs:read'))).toEqual(['admin', 'security-analyst', 'auditor']);
    expect(ROLES.filter((r) => roleGrants(r, 'jobs:write'))).toEqual(['admin']);
  });

  it('lets clinical engineers and analysts attach SBOMs and decide VEX, and only analysts change feeds', () => {
    expect(ROLES.filter((r) => roleGrants(r, 'software:write'))).toEqual([
      'admin',
      'security-analyst',
      'clinical-engineer',
    ]);
    expect(ROLES.filter((r) => roleGrants(r, 'feeds:write'))).toEqual(['admin', 'security-analyst']);
    expect(ROLES.filter((r) => roleGrants(r, 'findings:read'))).toEqual([
      'admin',
      'security-analyst',
      'clinical-engineer',
      'auditor',
    ]);
  });

  it('denies what is not granted, and public and authenticated as declared', () => {
    expect(isAllowed('jobs:write', 'security-analyst')).toBe(false);
    expect(isAllowed('public', undefined)).toBe(true);
    expect(isAllowed('authenticated', undefined)).toBe(false);
    expect(isAllowed('authenticated', 'manufacturer')).toBe(true);
  });
});
