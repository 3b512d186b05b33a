/**
 * @module feeds/kev
 * CISA's Known Exploited Vulnerabilities catalogue, JSON edition
 * (`{"catalogVersion", "vulnerabilities": [{"cveID", "vendorProject", …}]}`).
 */
import { feedProblem, type FeedProblem } from '../match-errors.js';
import type { KevEntry } from '@ward/core';
import { asArray, asObject, asString } from '../json-access.js';
import { CVE_ID } from './feed-types.js';

export function parseKev(
  document: unknown,
  file: string,
): { catalogVersion: string | null; kev: KevEntry[]; problems: FeedProblem[] } {
  const problems: FeedProblem[] = [];
  const doc = asObject(document);
  const items = asArray(doc?.['vulnerabilities']);
  if (items === undefined) {
    problems.push(
      feedProblem(
        'INTEL_FEED_MALFORMED',
        file,
        null,
        'vulnerabilities',
        'the KEV catalogue has a vulnerabilities array',
      ),
    );
    return { catalogVersion: null, kev: [], problems };
  }
  const kev: KevEntry[] = [];
  items.forEach((item, i) => {
    const o = asObject(item);
    const cve = asString(o?.['cveID']);
    if (o === undefined || cve === undefined || !CVE_ID.test(cve)) {
      problems.push(
        feedProblem(
          'INTEL_FEED_RECORD_INVALID',
          file,
          cve ?? `vulnerabilities[${String(i)}]`,
          'cveID',
          'missing or malformed CVE id; entry skipped',
        ),
      );
      return;
    }
    const s = (k: string): string | null => asString(o[k]) ?? null;
    kev.push({
      cve,
      vendorProject: s('vendorProject'),
      product: s('product'),
      name: s('vulnerabilityName'),
      dateAdded: s('dateAdded'),
      dueDate: s('dueDate'),
      requiredAction: s('requiredAction'),
      knownRansomwareCampaignUse: s('knownRansomwareCampaignUse'),
    });
  });
  return { catalogVersion: asString(doc?.['catalogVersion']) ?? null, kev, problems };
}
