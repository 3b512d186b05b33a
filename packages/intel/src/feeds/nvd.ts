/**
 * @module feeds/nvd
 * NVD CVE API 2.0 responses (`{"resultsPerPage", "vulnerabilities": [{"cve": {…}}]}`): id, dates,
 * English description, CVSS v4.0/v3.1/v3.0/v2 metrics and the CPE `configurations` (nodes with
 * AND/OR, negate and cpeMatch entries carrying versionStart/End Including/Excluding). A record
 * without an id is skipped; a cpeMatch with an invalid CPE is dropped; both are reported.
 */
import { tryParseCpe } from '../cpe/cpe.js';
import { feedProblem, type FeedProblem } from '../match-errors.js';
import type { CpeMatch, CpeNode, CvssScore, VersionRange, Vulnerability } from '@ward/core';
import { asArray, asNumber, asObject, asString, type JsonObject } from '../json-access.js';
import { CVE_ID } from './feed-types.js';

export function nvdCvss(metrics: JsonObject | undefined): CvssScore[] {
  const out: CvssScore[] = [];
  for (const key of ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2']) {
    for (const m of asArray(metrics?.[key]) ?? []) {
      const data = asObject(asObject(m)?.['cvssData']);
      const version = asString(data?.['version']);
      const vector = asString(data?.['vectorString']);
      const score = asNumber(data?.['baseScore']);
      if (version !== undefined && vector !== undefined && score !== undefined) out.push({ version, vector, score });
    }
  }
  return out;
}

function nvdRange(m: JsonObject): VersionRange | undefined {
  const r = {
    startIncluding: asString(m['versionStartIncluding']),
    startExcluding: asString(m['versionStartExcluding']),
    endIncluding: asString(m['versionEndIncluding']),
    endExcluding: asString(m['versionEndExcluding']),
  };
  if (Object.values(r).every((v) => v === undefined)) return undefined;
  return {
    scheme: 'generic',
    ...(r.startIncluding === undefined ? {} : { startIncluding: r.startIncluding }),
    ...(r.startExcluding === undefined ? {} : { startExcluding: r.startExcluding }),
    ...(r.endIncluding === undefined ? {} : { endIncluding: r.endIncluding }),
    ...(r.endExcluding === undefined ? {} : { endExcluding: r.endExcluding }),
  };
}

/** Converts NVD `configurations` to CpeNodes (one root per configuration), reporting bad matches. */
export function nvdConfigurations(
  configurations: unknown,
  report: (field: string, message: string) => void,
  path = 'configurations',
): CpeNode[] {
  const roots: CpeNode[] = [];
  (asArray(configurations) ?? []).forEach((c, ci) => {
    const config = asObject(c);
    if (config === undefined) return;
    const children: CpeNode[] = [];
    (asArray(config['nodes']) ?? []).forEach((n, ni) => {
      const node = asObject(n);
      if (node === undefined) return;
      const matches: CpeMatch[] = [];
      (asArray(node['cpeMatch']) ?? []).forEach((x, mi) => {
        const m = asObject(x);
        const criteria = asString(m?.['criteria']);
        const field = `${path}[${String(ci)}].nodes[${String(ni)}].cpeMatch[${String(mi)}].criteria`;
        if (m === undefined || criteria === undefined || tryParseCpe(criteria) === null) {
          report(field, `not a CPE 2.3 name: ${JSON.stringify(criteria ?? null)}`);
          return;
        }
        const range = nvdRange(m);
        matches.push({ vulnerable: m['vulnerable'] === true, criteria, ...(range === undefined ? {} : { range }) });
      });
      children.push({
        operator: node['operator'] === 'AND' ? 'AND' : 'OR',
        negate: node['negate'] === true,
        matches,
        children: [],
      });
    });
    if (children.length === 0) return;
    const single = children[0];
    roots.push(
      children.length === 1 && single !== undefined && config['operator'] === undefined
        ? single
        : {
            operator: config['operator'] === 'AND' ? 'AND' : 'OR',
            negate: config['negate'] === true,
            matches: [],
            children,
          },
    );
  });
  return roots;
}

export function parseNvdApi2(
  document: unknown,
  file: string,
): { vulnerabilities: Vulnerability[]; problems: FeedProblem[] } {
  const problems: FeedProblem[] = [];
  const vulnerabilities: Vulnerability[] = [];
  const items = asArray(asObject(document)?.['vulnerabilities']);
  if (items === undefined) {
    problems.push(
      feedProblem(
        'INTEL_FEED_MALFORMED',
        file,
        null,
        'vulnerabilities',
        'an NVD API 2.0 response has a vulnerabilities array',
      ),
    );
    return { vulnerabilities, problems };
  }
  items.forEach((item, index) => {
    const cve = asObject(asObject(item)?.['cve']);
    const id = asString(cve?.['id']);
    const record = id ?? `vulnerabilities[${String(index)}]`;
    if (cve === undefined || id === undefined || !CVE_ID.test(id)) {
      problems.push(
        feedProblem('INTEL_FEED_RECORD_INVALID', file, record, 'cve.id', 'missing or malformed CVE id; record skipped'),
      );
      return;
    }
    const description = (asArray(cve['descriptions']) ?? []).map((d) => asObject(d)).find((d) => d?.['lang'] === 'en');
    const nodes = nvdConfigurations(cve['configurations'], (field, message) =>
      problems.push(feedProblem('INTEL_CPE_INVALID', file, id, `cve.${field}`, message, 'warning')),
    );
    vulnerabilities.push({
      id,
      aliases: [],
      source: 'nvd',
      origin: `${file}#${id}`,
      summary: asString(description?.['value']) ?? null,
      published: asString(cve['published']) ?? null,
      modified: asString(cve['lastModified']) ?? null,
      cvss: nvdCvss(asObject(cve['metrics'])),
      affected: nodes.length === 0 ? [] : [{ kind: 'cpe-config', nodes }],
      ...(cve['vulnStatus'] === 'Rejected' ? { withdrawn: true } : {}),
    });
  });
  return { vulnerabilities, problems };
}
