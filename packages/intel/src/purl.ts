/**
 * @module purl
 * Package URL identity for matching: type + namespace + name in the form the purl spec makes
 * canonical for each type (case-folded where the ecosystem is case-insensitive, PyPI names
 * normalised), plus the version and qualifiers. Also the purl an OSV package (ecosystem + name)
 * stands for; and `normalizePurl`, the canonical form SBOM importers store. One reader
 * (`readPurl`, through packageurl-js) serves both. Identity parsing is cached, since a fleet
 * repeats the same components.
 */
import { PackageURL } from 'packageurl-js';
import type { Normalised } from './sbom-identity.js';
import { OSV_ECOSYSTEM_PURL_TYPE } from './versions/scheme.js';

export interface PurlIdentity {
  /** "type/namespace/name", the index key. */
  readonly key: string;
  readonly type: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly version: string | null;
  readonly qualifiers: Readonly<Record<string, string>>;
}

const CASE_INSENSITIVE = new Set(['github', 'bitbucket', 'nuget', 'composer', 'pypi', 'npm', 'gitlab']);
const cache = new Map<string, PurlIdentity | null>();
const MAX_CACHE = 1_000_000;

function identityOf(p: PackageURL): PurlIdentity {
  const fold = (s: string): string => (CASE_INSENSITIVE.has(p.type) ? s.toLowerCase() : s);
  const namespace = p.namespace === undefined || p.namespace === '' ? null : fold(p.namespace);
  const name = fold(p.name);
  const qualifiers: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.qualifiers ?? {})) if (typeof v === 'string') qualifiers[k] = v;
  return {
    key: `${p.type}/${namespace ?? ''}/${name}`,
    type: p.type,
    namespace,
    name,
    version: p.version === undefined || p.version === '' ? null : p.version,
    qualifiers,
  };
}

/** Reads a package URL (purl-spec), or says why it is not one. */
function readPurl(
  text: string,
): { readonly ok: true; readonly purl: PackageURL } | { readonly ok: false; readonly reason: string } {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(text);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'unparseable package URL' };
  }
  // packageurl-js reads `pkg:apk/alpine/@1.2` as a name "@1.2": the name is in fact missing.
  if (parsed.name === '' || (parsed.name.startsWith('@') && /\/@[^/]*$/.test(text.split(/[?#]/)[0] ?? ''))) {
    return { ok: false, reason: 'the package URL has no name' };
  }
  return { ok: true, purl: parsed };
}

/** Parses a package URL and returns its canonical form (type lower-cased, qualifiers sorted…). */
export function normalizePurl(raw: string): Normalised {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty package URL' };
  const read = readPurl(text);
  if (!read.ok) return read;
  try {
    return { ok: true, value: read.purl.toString() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'unprintable package URL' };
  }
}

/** The identity of a purl string, or null when it is not a valid purl. */
export function purlIdentity(purl: string): PurlIdentity | null {
  const hit = cache.get(purl);
  if (hit !== undefined) return hit;
  const read = readPurl(purl);
  const identity = read.ok ? identityOf(read.purl) : null;
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(purl, identity);
  return identity;
}

/** The purl (without version) of an OSV package, or null for an ecosystem without a purl type. */
export function purlOfOsvPackage(ecosystem: string, name: string): string | null {
  const [base, release] = ecosystem.split(':');
  const type = OSV_ECOSYSTEM_PURL_TYPE[base ?? ''];
  if (type === undefined || name === '') return null;
  const enc = (s: string): string => encodeURIComponent(s).replace(/%40/g, '@');
  let namespace: string | null = null;
  let local = name;
  switch (type) {
    case 'maven': {
      const i = name.indexOf(':');
      if (i > 0) {
        namespace = name.slice(0, i);
        local = name.slice(i + 1);
      }
      break;
    }
    case 'npm':
    case 'golang':
    case 'composer': {
      const i = name.lastIndexOf('/');
      if (i > 0) {
        namespace = name.slice(0, i);
        local = name.slice(i + 1);
      }
      break;
    }
    case 'apk':
      namespace = 'alpine';
      break;
    case 'deb':
      namespace = (base ?? 'debian').toLowerCase();
      break;
    case 'rpm':
      namespace = base === 'Red Hat' ? 'redhat' : (base ?? '').toLowerCase().replace(/\s+/g, '');
      break;
    default:
      break;
  }
  const ns = namespace === null ? '' : `${namespace.split('/').map(enc).join('/')}/`;
  const qualifier = release !== undefined && (type === 'apk' || type === 'deb') ? `?distro=${enc(release)}` : '';
  return `pkg:${type}/${ns}${enc(local)}${qualifier}`;
}
