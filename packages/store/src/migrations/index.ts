/**
 * @module migrations
 * Every migration Ward has, in order. Names sort lexically; a migration is only ever added, never
 * edited once released. Migrations run forward only, all pending ones inside one transaction.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-accounts-and-devices.js';
import * as m0002 from './0002-ledger.js';
import * as m0003 from './0003-inventory.js';
import * as m0004 from './0004-software.js';
import * as m0005 from './0005-vulnerabilities.js';
import * as m0006 from './0006-observations.js';
import * as m0007 from './0007-feed-sync.js';
import * as m0008 from './0008-jobs.js';
import * as m0009 from './0009-findings.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-accounts-and-devices': m0001,
  '0002-ledger': m0002,
  '0003-inventory': m0003,
  '0004-software': m0004,
  '0005-vulnerabilities': m0005,
  '0006-observations': m0006,
  '0007-feed-sync': m0007,
  '0008-jobs': m0008,
  '0009-findings': m0009,
};
