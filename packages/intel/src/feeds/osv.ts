/**
 * @module feeds/osv
 * OSV records (one object, or an array of them): aliases, withdrawn, severity vectors, and each
 * `affected` package (purl, or ecosystem + name) with its ranges: SEMVER and ECOSYSTEM events
 * become intervals in the ecosystem's version scheme; GIT ranges are ignored (commit ranges need
 * the repository's history) and reported as such; explicit `versions` are kept. A range without an
 * `introduced` event, or with two events of the same version, breaks the OSV schema: it is
 * reported and skipped, and the rest of the record is used.
 */
import { cvssFromVector } from '../cvss.js';
import { feedProblem, type FeedProblem } from '../match-errors.js';
import type { AffectedSpec, CvssScore, VersionRange, Vulnerability } from '@ward/core';
import { purlOfOsvPackage } from '../purl.js';
import { schemeForEcosystem } from '../versions/scheme.js';
import { asArray, asObject, asString, strings, type JsonObject } from '../json-access.js';

interface OsvEvent {
  readonly kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  readonly version: string;
}

function eventsOf(range: JsonObject): OsvEvent[] {
  const out: OsvEvent[] = [];
  for (const e of asArray(range['events']) ?? []) {
    const o = asObject(e);
    for (const kind of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      const v = asString(o?.[kind]);
      if (v !== undefined) out.push({ kind, version: v });
    }
  }
  return out;
}

/** Sweeps sorted events into intervals: introduced opens one, fixed / last_affected closes it. */
function intervals(
  events: readonly OsvEvent[],
  scheme: string,
  compare: (a: string, b: string) => number,
): VersionRange[] {
  const sorted = [...events]
    .filter((e) => e.kind !== 'limit')
    .sort((a, b) => (a.version === '0' ? -1 : b.version === '0' ? 1 : compare(a.version, b.version)));
  const out: VersionRange[] = [];
  let open: string | null = null;
  for (const e of sorted) {
    if (e.kind === 'introduced') {
      if (open === null) open = e.version;
    } else if (open !== null) {
      out.push({
        scheme,
        introduced: open,
        ...(e.kind === 'fixed' ? { fixed: e.version } : { lastAffected: e.version }),
      });
      open = null;
    }
  }
  if (open !== null) out.push({ scheme, introduced: open });
  return out;
}

function osvRecord(doc: JsonObject, file: string, index: number, problems: FeedProblem[]): Vulnerability | null {
  const id = asString(doc['id']);
  const record = id ?? `[${String(index)}]`;
  const report = (
    code: FeedProblem['code'],
    field: string,
    message: string,
    severity: FeedProblem['severity'] = 'error',
  ): void => {
    problems.push(feedProblem(code, file, record, field, message, severity));
  };
  if (id === undefined || id === '') {
    report('INTEL_FEED_RECORD_INVALID', 'id', 'an OSV record needs an id; record skipped');
    return null;
  }
  if (asString(doc['modified']) === undefined)
    report('INTEL_FEED_RECORD_INVALID', 'modified', 'required field missing', 'warning');
  const cvss: CvssScore[] = [];
  (asArray(doc['severity']) ?? []).forEach((s, i) => {
    const vector = asString(asObject(s)?.['score']);
    const score = vector === undefined ? null : cvssFromVector(vector);
    if (score !== null) cvss.push(score);
    else
      report(
        'INTEL_FEED_RANGE_UNSUPPORTED',
        `severity[${String(i)}].score`,
        'no base score can be computed from this vector (CVSS 4.0 needs a stated score); ignored',
        'info',
      );
  });
  const affected: AffectedSpec[] = [];
  (asArray(doc['affected']) ?? []).forEach((a, ai) => {
    const entry = asObject(a);
    const path = `affected[${String(ai)}]`;
    const pkg = asObject(entry?.['package']);
    const ecosystem = asString(pkg?.['ecosystem']);
    const name = asString(pkg?.['name']);
    const purl =
      asString(pkg?.['purl'])?.replace(/@[^?#]*/, '') ??
      (ecosystem !== undefined && name !== undefined ? purlOfOsvPackage(ecosystem, name) : null);
    if (entry === undefined) return;
    const scheme = schemeForEcosystem(ecosystem ?? '');
    const ranges: VersionRange[] = [];
    (asArray(entry['ranges']) ?? []).forEach((r, ri) => {
      const range = asObject(r);
      const rpath = `${path}.ranges[${String(ri)}]`;
      if (range === undefined) return;
      const events = eventsOf(range);
      if (!events.some((e) => e.kind === 'introduced')) {
        report('INTEL_FEED_RECORD_INVALID', `${rpath}.events`, 'a range needs an "introduced" event; range skipped');
        return;
      }
      const values = events.map((e) => e.version);
      if (new Set(values).size !== values.length) {
        report(
          'INTEL_FEED_RECORD_INVALID',
          `${rpath}.events`,
          'events of a range must have distinct versions; range skipped',
        );
        return;
      }
      const type = asString(range['type']);
      if (type === 'GIT') {
        report(
          'INTEL_FEED_RANGE_UNSUPPORTED',
          `${rpath}.type`,
          'GIT ranges name commits; matching needs the repository history, so they are ignored',
          'info',
        );
        return;
      }
      if (type !== 'SEMVER' && type !== 'ECOSYSTEM') {
        report(
          'INTEL_FEED_RECORD_INVALID',
          `${rpath}.type`,
          `unknown range type ${JSON.stringify(type ?? null)}; range skipped`,
        );
        return;
      }
      if (ecosystem === undefined) {
        report(
          'INTEL_FEED_RECORD_INVALID',
          `${path}.package`,
          `a ${type} range needs package.ecosystem and package.name; range skipped`,
        );
        return;
      }
      const schemeName = type === 'SEMVER' ? 'semver' : `ecosystem:${ecosystem}`;
      ranges.push(
        ...intervals(events, schemeName, type === 'SEMVER' ? schemeForEcosystem('npm').compare : scheme.compare),
      );
    });
    const versions = strings(entry['versions']);
    if (ecosystem === undefined || name === undefined) {
      if (versions.length > 0)
        report(
          'INTEL_FEED_RECORD_INVALID',
          `${path}.package`,
          'versions need package.ecosystem and package.name; entry skipped',
        );
      return;
    }
    if (versions.length > 0) ranges.push({ scheme: `ecosystem:${ecosystem}`, versions });
    if (purl === null) {
      report(
        'INTEL_FEED_RANGE_UNSUPPORTED',
        `${path}.package.ecosystem`,
        `ecosystem ${ecosystem} has no purl type; entry ignored`,
        'info',
      );
      return;
    }
    if (ranges.length > 0) affected.push({ kind: 'purl', purl, ranges });
  });
  const aliases = strings(doc['aliases']);
  const cve = aliases.find((a) => /^CVE-\d{4}-\d+$/.test(a));
  return {
    id: /^CVE-/.test(id) ? id : (cve ?? id),
    aliases: /^CVE-/.test(id) || cve === undefined ? aliases : [id, ...aliases.filter((a) => a !== cve)],
    source: 'osv',
    origin: `${file}#${id}`,
    summary: asString(doc['summary']) ?? asString(doc['details'])?.slice(0, 500) ?? null,
    published: asString(doc['published']) ?? null,
    modified: asString(doc['modified']) ?? null,
    cvss,
    affected,
    ...(asString(doc['withdrawn']) === undefined ? {} : { withdrawn: true }),
  };
}

export function parseOsv(
  document: unknown,
  file: string,
): { vulnerabilities: Vulnerability[]; problems: FeedProblem[] } {
  const problems: FeedProblem[] = [];
  const records = Array.isArray(document) ? document : [document];
  const vulnerabilities: Vulnerability[] = [];
  records.forEach((r, i) => {
    const doc = asObject(r);
    if (doc === undefined) {
      problems.push(
        feedProblem(
          'INTEL_FEED_RECORD_INVALID',
          file,
          `[${String(i)}]`,
          null,
          'an OSV record is a JSON object; skipped',
        ),
      );
      return;
    }
    const v = osvRecord(doc, file, i, problems);
    if (v !== null) vulnerabilities.push(v);
  });
  return { vulnerabilities, problems };
}
