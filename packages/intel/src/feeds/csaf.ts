/**
 * @module feeds/csaf
 * CSAF 2.0 advisories: the product tree becomes NamedProducts (vendor → product_family /
 * product_name → product_version or product_version_range branches, top-level
 * full_product_names, and relationships naming a product installed on / part of another), each
 * vulnerability becomes a Vulnerability whose affected products are its `known_affected`,
 * `first_affected` and `last_affected` ids (with CPE and purl from product_identification_helper
 * used as such), with CVSS scores and remediations. Validation against the schema and the
 * mandatory tests is separate (`validateCsaf`), because the validator is asynchronous.
 */
import { tryParseCpe } from '../cpe/cpe.js';
import { feedProblem, type FeedProblem } from '../match-errors.js';
import type { AffectedSpec, CpeMatch, CvssScore, NamedProduct, Remediation, Vulnerability } from '@ward/core';
import { purlIdentity } from '../purl.js';
import { asArray, asNumber, asObject, asString, strings, type JsonObject } from '../json-access.js';

interface TreeContext {
  readonly vendor: string | null;
  readonly names: readonly string[];
  readonly version: string | null;
  readonly versionRange: string | null;
}

function productFrom(product: JsonObject | undefined, ctx: TreeContext): NamedProduct | null {
  const productId = asString(product?.['product_id']);
  if (productId === undefined) return null;
  const helper = asObject(product?.['product_identification_helper']);
  const cpe = asString(helper?.['cpe']);
  const purl = asString(helper?.['purl']);
  const name = asString(product?.['name']) ?? productId;
  return {
    productId,
    vendor: ctx.vendor ?? '',
    product: ctx.names.length > 0 ? ctx.names.join(' ') : name,
    version: ctx.version,
    versionRange: ctx.versionRange,
    ...(cpe === undefined ? {} : { cpe }),
    ...(purl === undefined ? {} : { purl }),
  };
}

/** Walks the product tree into NamedProducts by product_id. */
export function csafProducts(productTree: unknown): Map<string, NamedProduct> {
  const out = new Map<string, NamedProduct>();
  const tree = asObject(productTree);
  const walk = (branches: unknown, ctx: TreeContext): void => {
    for (const b of asArray(branches) ?? []) {
      const branch = asObject(b);
      if (branch === undefined) continue;
      const category = asString(branch['category']);
      const name = asString(branch['name'])?.trim() ?? '';
      const next: TreeContext =
        category === 'vendor'
          ? { ...ctx, vendor: name }
          : category === 'product_family' || category === 'product_name'
            ? { ...ctx, names: category === 'product_name' ? [name] : [...ctx.names, name] }
            : category === 'product_version'
              ? { ...ctx, version: name }
              : category === 'product_version_range'
                ? { ...ctx, versionRange: name }
                : ctx;
      const p = productFrom(asObject(branch['product']), next);
      if (p !== null) out.set(p.productId, p);
      walk(branch['branches'], next);
    }
  };
  walk(tree?.['branches'], { vendor: null, names: [], version: null, versionRange: null });
  for (const f of asArray(tree?.['full_product_names']) ?? []) {
    const p = productFrom(asObject(f), { vendor: null, names: [], version: null, versionRange: null });
    if (p !== null && !out.has(p.productId)) out.set(p.productId, p);
  }
  for (const r of asArray(tree?.['relationships']) ?? []) {
    const rel = asObject(r);
    const full = asObject(rel?.['full_product_name']);
    const id = asString(full?.['product_id']);
    const component = out.get(asString(rel?.['product_reference']) ?? '');
    const platform = out.get(asString(rel?.['relates_to_product_reference']) ?? '');
    if (id === undefined || component === undefined) continue;
    const helper = asObject(full?.['product_identification_helper']);
    const cpe = asString(helper?.['cpe']) ?? component.cpe;
    const purl = asString(helper?.['purl']) ?? component.purl;
    out.set(id, {
      productId: id,
      vendor: component.vendor,
      product: component.product,
      version: component.version,
      versionRange: component.versionRange,
      ...(cpe === undefined ? {} : { cpe }),
      ...(purl === undefined ? {} : { purl }),
      ...(platform === undefined
        ? {}
        : { relatesTo: [platform.vendor, platform.product, platform.version ?? ''].join(' ').trim() }),
    });
  }
  return out;
}

function scoresOf(vuln: JsonObject): CvssScore[] {
  const out: CvssScore[] = [];
  for (const s of asArray(vuln['scores']) ?? []) {
    for (const key of ['cvss_v3', 'cvss_v2']) {
      const c = asObject(asObject(s)?.[key]);
      const vector = asString(c?.['vectorString']);
      const score = asNumber(c?.['baseScore']);
      const version = asString(c?.['version']);
      if (
        vector !== undefined &&
        score !== undefined &&
        version !== undefined &&
        !out.some((o) => o.vector === vector)
      ) {
        out.push({ version, vector, score });
      }
    }
  }
  return out;
}

/** Affected products → specs: identified ones (CPE / purl) as such, the rest as named products. */
function specsFor(products: readonly NamedProduct[]): AffectedSpec[] {
  const named: NamedProduct[] = [];
  const cpeMatches: CpeMatch[] = [];
  const specs: AffectedSpec[] = [];
  for (const p of products) {
    if (p.cpe !== undefined && tryParseCpe(p.cpe) !== null) {
      cpeMatches.push({ vulnerable: true, criteria: p.cpe });
    } else if (p.purl !== undefined && purlIdentity(p.purl) !== null) {
      const id = purlIdentity(p.purl);
      specs.push({
        kind: 'purl',
        purl: p.purl.replace(/@[^?#]*/, ''),
        ranges:
          id?.version == null
            ? [{ scheme: id?.type ?? 'generic', introduced: '0' }]
            : [{ scheme: id.type, versions: [id.version] }],
      });
    } else named.push(p);
  }
  if (cpeMatches.length > 0)
    specs.push({ kind: 'cpe-config', nodes: [{ operator: 'OR', negate: false, matches: cpeMatches, children: [] }] });
  if (named.length > 0) specs.push({ kind: 'named-product', products: named });
  return specs;
}

export function parseCsaf(
  document: unknown,
  file: string,
): {
  advisoryId: string | null;
  vulnerabilities: Vulnerability[];
  problems: FeedProblem[];
  products: Map<string, NamedProduct>;
} {
  const problems: FeedProblem[] = [];
  const doc = asObject(document);
  const meta = asObject(doc?.['document']);
  const tracking = asObject(meta?.['tracking']);
  const advisoryId = asString(tracking?.['id']);
  if (doc === undefined || meta === undefined || advisoryId === undefined) {
    problems.push(
      feedProblem(
        'INTEL_CSAF_INVALID',
        file,
        null,
        'document.tracking.id',
        'not a CSAF document: document.tracking.id is missing; advisory skipped',
      ),
    );
    return { advisoryId: null, vulnerabilities: [], problems, products: new Map() };
  }
  const products = csafProducts(doc['product_tree']);
  const vulnerabilities: Vulnerability[] = [];
  (asArray(doc['vulnerabilities']) ?? []).forEach((v, i) => {
    const vuln = asObject(v);
    if (vuln === undefined) return;
    const cve = asString(vuln['cve']);
    const ids = (asArray(vuln['ids']) ?? [])
      .map((x) => asString(asObject(x)?.['text']))
      .filter((x): x is string => x !== undefined);
    const status = asObject(vuln['product_status']);
    const affectedIds = [
      ...new Set(['known_affected', 'first_affected', 'last_affected'].flatMap((k) => strings(status?.[k]))),
    ];
    const affectedProducts: NamedProduct[] = [];
    for (const pid of affectedIds) {
      const p = products.get(pid);
      if (p === undefined) {
        problems.push(
          feedProblem(
            'INTEL_FEED_RECORD_INVALID',
            file,
            cve ?? `vulnerabilities[${String(i)}]`,
            `vulnerabilities[${String(i)}].product_status`,
            `product id ${pid} is not in the product tree`,
            'warning',
          ),
        );
      } else affectedProducts.push(p);
    }
    const remediations: Remediation[] = (asArray(vuln['remediations']) ?? []).flatMap((r) => {
      const o = asObject(r);
      const category = asString(o?.['category']);
      const details = asString(o?.['details']);
      if (category === undefined || details === undefined) return [];
      const url = asString(o?.['url']);
      return [{ category, details, productIds: strings(o?.['product_ids']), ...(url === undefined ? {} : { url }) }];
    });
    const id = cve ?? ids[0] ?? `${advisoryId}#${String(i)}`;
    vulnerabilities.push({
      id,
      aliases: [advisoryId, ...ids].filter((a) => a !== id),
      source: 'csaf',
      origin: `${file}#/vulnerabilities/${String(i)}`,
      summary: asString(vuln['title']) ?? asString(meta['title']) ?? null,
      published: asString(tracking?.['initial_release_date']) ?? null,
      modified: asString(tracking?.['current_release_date']) ?? null,
      cvss: scoresOf(vuln),
      affected: specsFor(affectedProducts),
      remediations,
    });
  });
  return { advisoryId, vulnerabilities, problems, products };
}
