/**
 * @module feeds/csaf-distribution
 * How CSAF providers publish (CSAF 2.0 §7): `provider-metadata.json` names ROLIE feeds and
 * directories; a ROLIE feed lists advisories with their URL, `updated` time and hash / signature
 * links; a directory has `index.txt` (one relative path per line) and `changes.csv`
 * (`"path","updated"` per line). Pure functions from the parsed document (or text) to values plus
 * `FeedProblem`s; URLs are returned as written (the caller resolves relative ones against the
 * document's own URL). Nothing here fetches anything.
 */
import { feedProblem, type FeedProblem } from '../match-errors.js';
import { asArray, asObject, asString } from '../json-access.js';

export interface ProviderMetadata {
  /** `canonical_url` when given. */
  readonly canonicalUrl: string | null;
  readonly publisher: string | null;
  /** ROLIE feed URLs of every distribution, in order. */
  readonly rolieFeeds: readonly { readonly url: string; readonly tlp: string | null }[];
  /** Directory distribution base URLs (each holds `index.txt` and `changes.csv`). */
  readonly directories: readonly string[];
  readonly problems: readonly FeedProblem[];
}

export interface CsafEntry {
  readonly id: string | null;
  /** The advisory's URL (ROLIE `content.src`, else the `self` link; directory: the listed path). */
  readonly url: string;
  /** ISO time the entry says the advisory was last updated, null when not given. */
  readonly updated: string | null;
  readonly hashes: readonly { readonly algorithm: 'sha256' | 'sha512'; readonly url: string }[];
  readonly signature: string | null;
}

export interface CsafListing {
  readonly entries: readonly CsafEntry[];
  readonly problems: readonly FeedProblem[];
}

const MALFORMED = 'INTEL_FEED_MALFORMED';
const INVALID = 'INTEL_FEED_RECORD_INVALID';

export function parseProviderMetadata(document: unknown, file: string): ProviderMetadata {
  const problems: FeedProblem[] = [];
  const root = asObject(document);
  if (root === undefined) {
    return {
      canonicalUrl: null,
      publisher: null,
      rolieFeeds: [],
      directories: [],
      problems: [feedProblem(MALFORMED, file, null, null, 'provider metadata is not a JSON object')],
    };
  }
  const rolieFeeds: { url: string; tlp: string | null }[] = [];
  const directories: string[] = [];
  const distributions = asArray(root['distributions']);
  if (distributions === undefined) {
    problems.push(feedProblem(MALFORMED, file, null, 'distributions', 'no distributions array', 'warning'));
  }
  (distributions ?? []).forEach((d, i) => {
    const dist = asObject(d);
    const record = `distributions[${String(i)}]`;
    if (dist === undefined) {
      problems.push(feedProblem(INVALID, file, record, null, 'distribution is not an object'));
      return;
    }
    const directory = asString(dist['directory_url']);
    if (directory !== undefined) directories.push(directory);
    const rolie = asObject(dist['rolie']);
    const feeds = rolie === undefined ? undefined : asArray(rolie['feeds']);
    (feeds ?? []).forEach((f, j) => {
      const feed = asObject(f);
      const url = feed === undefined ? undefined : asString(feed['url']);
      if (feed === undefined || url === undefined) {
        problems.push(feedProblem(INVALID, file, record, `rolie.feeds[${String(j)}].url`, 'feed without url'));
        return;
      }
      rolieFeeds.push({ url, tlp: asString(feed['tlp_label']) ?? null });
    });
    if (directory === undefined && rolie === undefined) {
      problems.push(feedProblem(INVALID, file, record, null, 'neither directory_url nor rolie'));
    }
  });
  return {
    canonicalUrl: asString(root['canonical_url']) ?? null,
    publisher: asString(asObject(root['publisher'])?.['name']) ?? null,
    rolieFeeds,
    directories,
    problems,
  };
}

function hashAlgorithm(href: string): 'sha256' | 'sha512' | null {
  const lower = href.toLowerCase();
  return lower.endsWith('.sha256') ? 'sha256' : lower.endsWith('.sha512') ? 'sha512' : null;
}

/**
 * Reads a ROLIE feed. Links are typed by `rel` (the standard) or `ref` (seen in CISA's feeds):
 * `self`, `hash`, `signature`.
 */
export function parseRolieFeed(document: unknown, file: string): CsafListing {
  const problems: FeedProblem[] = [];
  const feed = asObject(asObject(document)?.['feed']);
  const entries = feed === undefined ? undefined : asArray(feed['entry']);
  if (entries === undefined) {
    return { entries: [], problems: [feedProblem(MALFORMED, file, null, 'feed.entry', 'not a ROLIE feed')] };
  }
  const out: CsafEntry[] = [];
  entries.forEach((e, i) => {
    const entry = asObject(e);
    const id = entry === undefined ? undefined : asString(entry['id']);
    const record = id ?? `feed.entry[${String(i)}]`;
    if (entry === undefined) {
      problems.push(feedProblem(INVALID, file, record, null, 'entry is not an object'));
      return;
    }
    let self: string | undefined;
    const hashes: { algorithm: 'sha256' | 'sha512'; url: string }[] = [];
    let signature: string | null = null;
    for (const l of asArray(entry['link']) ?? []) {
      const link = asObject(l);
      const href = link === undefined ? undefined : asString(link['href']);
      if (link === undefined || href === undefined) continue;
      const rel = asString(link['rel']) ?? asString(link['ref']);
      if (rel === 'self') self = href;
      else if (rel === 'signature') signature = href;
      else if (rel === 'hash') {
        const algorithm = hashAlgorithm(href);
        if (algorithm === null) {
          problems.push(feedProblem(INVALID, file, record, 'link.href', `unknown hash file type: ${href}`, 'warning'));
        } else hashes.push({ algorithm, url: href });
      }
    }
    const url = asString(asObject(entry['content'])?.['src']) ?? self;
    if (url === undefined) {
      problems.push(feedProblem(INVALID, file, record, 'content.src', 'entry without content.src or self link'));
      return;
    }
    out.push({ id: id ?? null, url, updated: asString(entry['updated']) ?? null, hashes, signature });
  });
  return { entries: out, problems };
}

/** `index.txt` of a directory distribution: one advisory path per line, no times. */
export function parseCsafIndex(text: string, file: string): CsafListing {
  const problems: FeedProblem[] = [];
  const entries: CsafEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (!line.toLowerCase().endsWith('.json') || /\s/.test(line)) {
      problems.push(feedProblem(INVALID, file, `line ${String(i + 1)}`, null, 'not a .json path'));
      return;
    }
    entries.push({ id: null, url: line, updated: null, hashes: [], signature: null });
  });
  return { entries, problems };
}

/** `changes.csv` of a directory distribution: `"path","updated"` per line, newest first. */
export function parseCsafChanges(text: string, file: string): CsafListing {
  const problems: FeedProblem[] = [];
  const entries: CsafEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^"?([^",]+)"?\s*,\s*"?([^",]+)"?$/.exec(line);
    const path = m?.[1];
    const updated = m?.[2];
    if (path === undefined || updated === undefined || !path.toLowerCase().endsWith('.json')) {
      problems.push(feedProblem(INVALID, file, `line ${String(i + 1)}`, null, 'expected "path","updated"'));
      return;
    }
    entries.push({ id: null, url: path, updated, hashes: [], signature: null });
  });
  return { entries, problems };
}
