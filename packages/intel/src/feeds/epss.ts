/**
 * @module feeds/epss
 * FIRST's EPSS scores in their published CSV form: an optional comment line
 * `#model_version:v2023.03.01,score_date:2023-03-15T00:00:00+0000`, the header
 * `cve,epss,percentile`, then one row per CVE. A bad row is reported (line and column) and skipped.
 */
import { feedProblem, type FeedProblem } from '../match-errors.js';
import type { EpssScore } from '@ward/core';
import { CVE_ID } from './feed-types.js';

export function looksLikeEpss(content: string): boolean {
  const head = content.replace(/^\uFEFF/, '').slice(0, 512);
  return /^#model_version:/.test(head) || /^(#[^\n]*\n)?cve,epss,percentile\r?\n/.test(head);
}

export function parseEpss(
  content: string,
  file: string,
): { modelVersion: string | null; scoreDate: string | null; epss: EpssScore[]; problems: FeedProblem[] } {
  const problems: FeedProblem[] = [];
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  let modelVersion: string | null = null;
  let scoreDate: string | null = null;
  let header: string[] | null = null;
  const epss: EpssScore[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    const where = `line ${String(i + 1)}`;
    if (line === '') continue;
    if (line.startsWith('#')) {
      for (const part of line.slice(1).split(',')) {
        const [k, ...rest] = part.split(':');
        const v = rest.join(':').trim();
        if (k?.trim() === 'model_version') modelVersion = v;
        if (k?.trim() === 'score_date') scoreDate = v;
      }
      continue;
    }
    const cells = line.split(',').map((c) => c.trim());
    if (header === null) {
      header = cells.map((c) => c.toLowerCase());
      if (!['cve', 'epss', 'percentile'].every((c) => header?.includes(c))) {
        problems.push(
          feedProblem('INTEL_FEED_MALFORMED', file, where, null, 'expected the header cve,epss,percentile'),
        );
      }
      continue;
    }
    const col = (name: string): string | undefined => cells[header?.indexOf(name) ?? -1];
    const cve = col('cve');
    const score = Number(col('epss'));
    const percentile = Number(col('percentile'));
    if (cve === undefined || !CVE_ID.test(cve)) {
      problems.push(feedProblem('INTEL_FEED_RECORD_INVALID', file, where, 'cve', 'not a CVE id; row skipped'));
      continue;
    }
    if (col('epss') === '' || !(score >= 0 && score <= 1)) {
      problems.push(
        feedProblem(
          'INTEL_FEED_RECORD_INVALID',
          file,
          cve,
          'epss',
          'the score is a probability between 0 and 1; row skipped',
        ),
      );
      continue;
    }
    if (col('percentile') === '' || !(percentile >= 0 && percentile <= 1)) {
      problems.push(
        feedProblem(
          'INTEL_FEED_RECORD_INVALID',
          file,
          cve,
          'percentile',
          'the percentile is between 0 and 1; row skipped',
        ),
      );
      continue;
    }
    epss.push({ cve, epss: score, percentile });
  }
  if (header === null)
    problems.push(feedProblem('INTEL_FEED_MALFORMED', file, null, null, 'no header line cve,epss,percentile'));
  return { modelVersion, scoreDate, epss, problems };
}
