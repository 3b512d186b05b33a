/**
 * @module feeds/feed-types
 * What a feed parser returns: the records it could read and the problems it found. KEV and EPSS
 * enrich vulnerabilities rather than describe them, so they have their own record types (in @ward/core).
 */
import type { FeedProblem } from '../match-errors.js';
import type { EpssScore, KevEntry, Vulnerability } from '@ward/core';

/** A CVE id as the feeds write it. */
export const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

export const FEED_FORMATS = ['nvd-api2', 'cve5', 'osv', 'csaf', 'kev', 'epss'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export type FeedResult =
  | {
      readonly kind: 'vulnerabilities';
      readonly format: 'nvd-api2' | 'cve5' | 'osv' | 'csaf';
      readonly vulnerabilities: readonly Vulnerability[];
      readonly problems: readonly FeedProblem[];
    }
  | {
      readonly kind: 'kev';
      readonly format: 'kev';
      readonly catalogVersion: string | null;
      readonly kev: readonly KevEntry[];
      readonly problems: readonly FeedProblem[];
    }
  | {
      readonly kind: 'epss';
      readonly format: 'epss';
      readonly modelVersion: string | null;
      readonly scoreDate: string | null;
      readonly epss: readonly EpssScore[];
      readonly problems: readonly FeedProblem[];
    };
