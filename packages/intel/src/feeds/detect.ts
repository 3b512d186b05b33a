/**
 * @module feeds/detect
 * Which feed format a file is, from its content alone (not its name), and one entry point that
 * parses any supported feed: `parseFeed(content, file)` → records + problems. CSAF documents are
 * also validated (schema + mandatory tests) there.
 */
import { feedProblem } from '../match-errors.js';
import { parseCsaf } from './csaf.js';
import { validateCsaf } from './csaf-validate.js';
import { parseCve5 } from './cve5.js';
import { looksLikeEpss, parseEpss } from './epss.js';
import type { FeedFormat, FeedResult } from './feed-types.js';
import { asArray, asObject, parseJson } from '../json-access.js';
import { parseKev } from './kev.js';
import { parseNvdApi2 } from './nvd.js';
import { parseOsv } from './osv.js';

/** The format of an already-parsed JSON document, or null. */
export function detectJsonFeedFormat(value: unknown): Exclude<FeedFormat, 'epss'> | null {
  const first = Array.isArray(value) ? asArray(value)?.[0] : value;
  const doc = asObject(first);
  if (doc === undefined) return null;
  if (
    asObject(asObject(doc['document'])?.['tracking']) !== undefined ||
    typeof asObject(doc['document'])?.['csaf_version'] === 'string'
  )
    return 'csaf';
  if (doc['dataType'] === 'CVE_RECORD' || asObject(doc['cveMetadata']) !== undefined) return 'cve5';
  const vulns = asArray(doc['vulnerabilities']);
  if (vulns !== undefined) {
    const v0 = asObject(vulns[0]);
    if (typeof doc['catalogVersion'] === 'string' || (v0 !== undefined && typeof v0['cveID'] === 'string'))
      return 'kev';
    if (doc['format'] === 'NVD_CVE' || typeof doc['resultsPerPage'] === 'number' || asObject(v0?.['cve']) !== undefined)
      return 'nvd-api2';
  }
  if (
    typeof doc['id'] === 'string' &&
    (doc['affected'] !== undefined || typeof doc['modified'] === 'string' || typeof doc['schema_version'] === 'string')
  )
    return 'osv';
  return null;
}

/** Detects a feed's format from its text. */
export function detectFeedFormat(content: string): FeedFormat | null {
  if (looksLikeEpss(content)) return 'epss';
  const trimmed = content.replace(/^\uFEFF/, '').trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return null;
  const json = parseJson(trimmed);
  return json.ok ? detectJsonFeedFormat(json.value) : null;
}

/** Parses any supported feed. Never throws: unrecognised or malformed input is a problem. */
export async function parseFeed(
  content: string,
  file: string,
): Promise<
  FeedResult | { readonly kind: 'unrecognised'; readonly problems: readonly ReturnType<typeof feedProblem>[] }
> {
  if (looksLikeEpss(content)) {
    const r = parseEpss(content, file);
    return {
      kind: 'epss',
      format: 'epss',
      modelVersion: r.modelVersion,
      scoreDate: r.scoreDate,
      epss: r.epss,
      problems: r.problems,
    };
  }
  const json = parseJson(content.replace(/^\uFEFF/, ''));
  if (!json.ok) {
    return {
      kind: 'unrecognised',
      problems: [feedProblem('INTEL_FEED_MALFORMED', file, null, null, `neither EPSS CSV nor JSON: ${json.reason}`)],
    };
  }
  const format = detectJsonFeedFormat(json.value);
  switch (format) {
    case 'nvd-api2': {
      const r = parseNvdApi2(json.value, file);
      return { kind: 'vulnerabilities', format, ...r };
    }
    case 'cve5': {
      const r = parseCve5(json.value, file);
      return { kind: 'vulnerabilities', format, ...r };
    }
    case 'osv': {
      const r = parseOsv(json.value, file);
      return { kind: 'vulnerabilities', format, ...r };
    }
    case 'csaf': {
      const r = parseCsaf(json.value, file);
      const validation = r.advisoryId === null ? [] : await validateCsaf(json.value, file, r.advisoryId);
      return {
        kind: 'vulnerabilities',
        format,
        vulnerabilities: r.vulnerabilities,
        problems: [...r.problems, ...validation],
      };
    }
    case 'kev': {
      const r = parseKev(json.value, file);
      return { kind: 'kev', format, ...r };
    }
    case null:
      return {
        kind: 'unrecognised',
        problems: [
          feedProblem(
            'INTEL_FEED_UNRECOGNISED',
            file,
            null,
            null,
            'not NVD API 2.0, CVE JSON 5, OSV, CSAF 2.0, CISA KEV or EPSS',
          ),
        ],
      };
  }
}
