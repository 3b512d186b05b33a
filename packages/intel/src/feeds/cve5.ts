/**
 * @module feeds/cve5
 * CVE JSON 5.x records (`dataType: CVE_RECORD`) with the CNA container and ADP containers (CISA's
 * Vulnrichment adds CPEs and CVSS): `affected` entries become CPE configurations when they carry
 * `cpes`, purl specs when they carry `packageURL`, and named products (vendor / product / version
 * range as `vers:`) otherwise; `versions` entries (`version`, `lessThan`, `lessThanOrEqual`,
 * `status`, `versionType`) become ranges; metrics give CVSS 4.0/3.1/3.0/2.0. An entry affected by
 * default with no versions means every version.
 */
import { tryParseCpe } from '../cpe/cpe.js';
import { cvssFromVector } from '../cvss.js';
import { feedProblem, type FeedProblem } from '../match-errors.js';
import type { AffectedSpec, CpeMatch, CvssScore, NamedProduct, VersionRange, Vulnerability } from '@ward/core';
import { asArray, asNumber, asObject, asString, strings, type JsonObject } from '../json-access.js';
import { CVE_ID } from './feed-types.js';

const VERSION_TYPES: Readonly<Record<string, string>> = {
  semver: 'semver',
  python: 'pypi',
  maven: 'maven',
  rpm: 'rpm',
  deb: 'deb',
  apk: 'apk',
};

function cve5Cvss(metrics: unknown): CvssScore[] {
  const out: CvssScore[] = [];
  for (const m of asArray(metrics) ?? []) {
    const o = asObject(m);
    for (const key of ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0']) {
      const c = asObject(o?.[key]);
      const vector = asString(c?.['vectorString']);
      if (vector === undefined) continue;
      const score = cvssFromVector(vector, asNumber(c?.['baseScore']));
      if (score !== null) out.push({ ...score, version: asString(c?.['version']) ?? score.version });
    }
  }
  return out;
}

/** versions[] → ranges in one scheme; unaffected entries are left out (they only narrow a default). */
function ranges(entry: JsonObject): { ranges: VersionRange[]; allVersions: boolean } {
  const out: VersionRange[] = [];
  const exact: string[] = [];
  let scheme = 'generic';
  for (const v of asArray(entry['versions']) ?? []) {
    const o = asObject(v);
    if (o === undefined || o['status'] !== 'affected') continue;
    const version = asString(o['version']);
    const type = asString(o['versionType']);
    if (type !== undefined) scheme = VERSION_TYPES[type] ?? 'generic';
    const lessThan = asString(o['lessThan']);
    const lessThanOrEqual = asString(o['lessThanOrEqual']);
    if (lessThan === undefined && lessThanOrEqual === undefined) {
      if (version !== undefined && version !== '*') exact.push(version);
      continue;
    }
    const lower = version === undefined || version === '0' || version === '*' ? undefined : version;
    out.push({
      scheme,
      ...(lower === undefined ? { introduced: '0' } : { startIncluding: lower }),
      ...(lessThan !== undefined && lessThan !== '*' ? { endExcluding: lessThan } : {}),
      ...(lessThanOrEqual !== undefined && lessThanOrEqual !== '*' ? { endIncluding: lessThanOrEqual } : {}),
    });
  }
  if (exact.length > 0) out.push({ scheme, versions: exact });
  const allVersions = out.length === 0 && entry['defaultStatus'] === 'affected';
  return { ranges: out, allVersions };
}

function rangeToVers(r: VersionRange): string {
  const enc = encodeURIComponent;
  if (r.versions !== undefined) return `vers:${r.scheme}/${r.versions.map(enc).join('|')}`;
  const parts: string[] = [];
  if (r.startIncluding != null) parts.push(`>=${enc(r.startIncluding)}`);
  if (r.endExcluding != null) parts.push(`<${enc(r.endExcluding)}`);
  if (r.endIncluding != null) parts.push(`<=${enc(r.endIncluding)}`);
  return parts.length === 0 ? `vers:${r.scheme}/*` : `vers:${r.scheme}/${parts.join('|')}`;
}

/** One CVE 5 `affected` entry → specs. */
export function cve5Affected(
  entry: JsonObject,
  record: string,
  report: (field: string, message: string) => void,
  field: string,
): AffectedSpec[] {
  const { ranges: rs, allVersions } = ranges(entry);
  if (rs.length === 0 && !allVersions) return [];
  const specs: AffectedSpec[] = [];
  const cpes = strings(entry['cpes']);
  const matches: CpeMatch[] = [];
  cpes.forEach((criteria, i) => {
    const cpe = tryParseCpe(criteria);
    if (cpe === null) {
      report(`${field}.cpes[${String(i)}]`, `not a CPE name: ${JSON.stringify(criteria)}`);
      return;
    }
    if (cpe.version.kind !== 'any' || allVersions) matches.push({ vulnerable: true, criteria });
    else for (const range of rs) matches.push({ vulnerable: true, criteria, range });
  });
  if (matches.length > 0)
    specs.push({ kind: 'cpe-config', nodes: [{ operator: 'OR', negate: false, matches, children: [] }] });
  const purl = asString(entry['packageURL']);
  if (purl !== undefined)
    specs.push({ kind: 'purl', purl, ranges: allVersions ? [{ scheme: 'generic', introduced: '0' }] : rs });
  if (specs.length > 0) return specs;
  const vendor = asString(entry['vendor']);
  const product = asString(entry['product']);
  if (vendor === undefined || product === undefined || vendor === 'n/a' || product === 'n/a') {
    report(field, `${record}: an affected entry names neither CPE, package URL nor vendor and product`);
    return [];
  }
  const products: NamedProduct[] = (allVersions ? [null] : rs).map((r, i) => ({
    productId: `${vendor}/${product}#${String(i)}`,
    vendor,
    product,
    version: r?.versions?.length === 1 ? (r.versions[0] ?? null) : null,
    versionRange: r === null ? 'vers:all/*' : r.versions?.length === 1 ? null : rangeToVers(r),
  }));
  return [{ kind: 'named-product', products }];
}

export function parseCve5(
  document: unknown,
  file: string,
): { vulnerabilities: Vulnerability[]; problems: FeedProblem[] } {
  const problems: FeedProblem[] = [];
  const doc = asObject(document);
  const meta = asObject(doc?.['cveMetadata']);
  const id = asString(meta?.['cveId']);
  if (doc === undefined || id === undefined || !CVE_ID.test(id)) {
    problems.push(
      feedProblem(
        'INTEL_FEED_RECORD_INVALID',
        file,
        id ?? null,
        'cveMetadata.cveId',
        'missing or malformed CVE id; record skipped',
      ),
    );
    return { vulnerabilities: [], problems };
  }
  const containers = asObject(doc['containers']);
  const cna = asObject(containers?.['cna']);
  const adp = (asArray(containers?.['adp']) ?? []).map(asObject).filter((a): a is JsonObject => a !== undefined);
  const affected: AffectedSpec[] = [];
  const report = (field: string, message: string): void => {
    problems.push(feedProblem('INTEL_FEED_RECORD_INVALID', file, id, field, message, 'warning'));
  };
  const sources: [string, JsonObject | undefined][] = [
    ['containers.cna', cna],
    ...adp.map((a, i): [string, JsonObject] => [`containers.adp[${String(i)}]`, a]),
  ];
  for (const [path, container] of sources) {
    (asArray(container?.['affected']) ?? []).forEach((e, i) => {
      const entry = asObject(e);
      if (entry !== undefined) affected.push(...cve5Affected(entry, id, report, `${path}.affected[${String(i)}]`));
    });
  }
  const description = (asArray(cna?.['descriptions']) ?? [])
    .map(asObject)
    .find((d) => asString(d?.['lang'])?.startsWith('en') === true);
  const advisory = asString(asObject(cna?.['source'])?.['advisory']);
  return {
    vulnerabilities: [
      {
        id,
        aliases: advisory === undefined ? [] : [advisory],
        source: 'cve5',
        origin: `${file}#${id}`,
        summary: asString(cna?.['title']) ?? asString(description?.['value']) ?? null,
        published: asString(meta?.['datePublished']) ?? null,
        modified: asString(meta?.['dateUpdated']) ?? null,
        cvss: [...cve5Cvss(cna?.['metrics']), ...adp.flatMap((a) => cve5Cvss(a['metrics']))],
        affected,
        ...(meta?.['state'] === 'REJECTED' ? { withdrawn: true } : {}),
      },
    ],
    problems,
  };
}
