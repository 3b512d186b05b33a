/**
 * @module product-version
 * The versions a named product (CSAF product_version / product_version_range, CVE 5 named
 * product) covers, read from what advisories actually write: `vers:` strings ("vers:all/*"),
 * comparator lists ("<= 4.1", ">= 5.01 | <= 6.3.1", "<7.6.2"), version lists ("1.10 | 1.11",
 * "620 | 650 | 650c"), phrases ("2.3.6 and below", "prior to 3.0") and single versions. Versions
 * compare in the generic order; what cannot be read stays `unparsed` and only ever gives a
 * low-confidence, name-only match.
 */
import { compareGeneric } from './versions/generic.js';
import { parseVers, versContains, type VersComparator, type VersConstraint, type VersRange } from './versions/vers.js';
import { versionScheme } from './versions/scheme.js';

export type ProductVersionSpec =
  | { readonly kind: 'all' }
  | { readonly kind: 'versions'; readonly versions: readonly string[] }
  | { readonly kind: 'range'; readonly range: VersRange; readonly text: string }
  | { readonly kind: 'unparsed'; readonly text: string }
  | { readonly kind: 'none' };

const CONSTRAINT = /^(<=|<|>=|>|=|==)\s*v?(?:ersion\s*)?([A-Za-z0-9][\w.+~-]*)$/i;
const VERSION_TOKEN = /^v?(?:ersion\s*)?([A-Za-z0-9][\w.+~-]*)$/i;

function cleanVersion(v: string): string {
  return v.trim().replace(/^v(?:ersion)?\s*(?=\d)/i, '');
}

function parseFreeRange(text: string): ProductVersionSpec {
  const t = text.trim();
  if (/^all( versions)?$/i.test(t) || t === '*') return { kind: 'all' };
  const phrase = /^v?([\w.+~-]+)\s+(?:and|&)\s+(?:below|prior|earlier|older|lower)$/i.exec(t);
  if (phrase?.[1] !== undefined) return rangeOf([{ comparator: '<=', version: phrase[1] }], t);
  const before = /^(?:prior to|before|earlier than|older than)\s+v?([\w.+~-]+)$/i.exec(t);
  if (before?.[1] !== undefined) return rangeOf([{ comparator: '<', version: before[1] }], t);
  const parts = t.split('|').map((p) => p.trim());
  const constraints: VersConstraint[] = [];
  for (const p of parts) {
    const m = CONSTRAINT.exec(p);
    if (m === null) return { kind: 'unparsed', text: t };
    const op = m[1] === '==' ? '=' : (m[1] as VersComparator);
    constraints.push({ comparator: op, version: m[2] ?? '' });
  }
  return rangeOf(constraints, t);
}

function rangeOf(constraints: VersConstraint[], text: string): ProductVersionSpec {
  const sorted = [...constraints].sort((a, b) => compareGeneric(a.version, b.version));
  return { kind: 'range', range: { scheme: 'generic', all: false, constraints: sorted }, text };
}

export function parseProductVersion(version: string | null, versionRange: string | null): ProductVersionSpec {
  if (versionRange !== null && versionRange.trim() !== '') {
    const r = versionRange.trim();
    if (/^vers:/i.test(r)) {
      try {
        const range = parseVers(r);
        return range.all ? { kind: 'all' } : { kind: 'range', range, text: r };
      } catch {
        return { kind: 'unparsed', text: r };
      }
    }
    return parseFreeRange(r);
  }
  if (version !== null && version.trim() !== '') {
    const v = version.trim();
    if (/^(<|>|=)/.test(v) || /\b(and below|prior to|before)\b/i.test(v)) return parseFreeRange(v);
    const parts = v.split('|').map((p) => p.trim());
    if (parts.every((p) => VERSION_TOKEN.test(p))) return { kind: 'versions', versions: parts.map(cleanVersion) };
    return { kind: 'unparsed', text: v };
  }
  return { kind: 'none' };
}

/** Whether a device's firmware version is covered; `null` when the spec cannot tell. */
export function productVersionCovers(spec: ProductVersionSpec, firmware: string): boolean | null {
  const fw = cleanVersion(firmware);
  switch (spec.kind) {
    case 'all':
      return true;
    case 'versions':
      return spec.versions.some((v) => compareGeneric(v, fw) === 0);
    case 'range':
      return versContains(
        spec.range,
        fw,
        spec.range.scheme === 'generic' || spec.range.scheme === 'all'
          ? versionScheme('generic')
          : versionScheme(spec.range.scheme),
      );
    case 'unparsed':
    case 'none':
      return null;
  }
}

/** Words for an explanation. */
export function describeProductVersion(spec: ProductVersionSpec): string {
  switch (spec.kind) {
    case 'all':
      return 'all versions';
    case 'versions':
      return spec.versions.length === 1 ? `version ${spec.versions[0] ?? ''}` : `versions ${spec.versions.join(', ')}`;
    case 'range':
      return spec.text;
    case 'unparsed':
      return `"${spec.text}" (not a readable version range)`;
    case 'none':
      return 'no version stated';
  }
}
