/**
 * @module vex-csaf
 * CSAF 2.0 VEX (the `csaf_vex` profile): a reader that turns `product_status` into one VEX
 * statement per vulnerability × product, resolving each product through the product tree (vendor →
 * product name → version or version range branches, `full_product_names`, and `relationships`,
 * which say "component X inside product Y") and taking justifications from `flags`, impact
 * statements from `threats` (category `impact`) and action statements from `remediations`, with
 * product groups expanded. A writer producing a document that passes the CSAF 2.0 schema and the
 * mandatory tests of @secvisogram/csaf-validator-lib (`validateCsafVex`).
 */
import validate from '@secvisogram/csaf-validator-lib/validate.js';
import * as mandatoryTests from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import * as schemaTests from '@secvisogram/csaf-validator-lib/schemaTests.js';
import { arrayField, field, isRecord, stringField, textField } from './json-access.js';
import type { VexJustification, VexStatement, VexStatus } from '@ward/core';
import { type VexProblem, ProblemSink } from './problem.js';
import { normalizePurl } from './purl.js';
import { normalizeCpe } from './sbom-identity.js';
import { type VexDocumentInput, derivedUuid } from './vex-document.js';
import { CSAF_STATUS_KEYS, isVexJustification, VEX_STATUSES } from './vex-justification.js';

const KEY_NAMESPACE = 'urn:ward:component-key';
const KEY_PREFIX = 'urn:ward:component:';

export function isCsaf(doc: unknown): boolean {
  return stringField(field(doc, 'document'), 'csaf_version') !== null;
}

interface ProductInfo {
  readonly key: string;
  readonly name: string | null;
  readonly version: string | null;
  readonly range: string | null;
}

function helperKey(helper: unknown): string | null {
  for (const g of arrayField(helper, 'x_generic_uris')) {
    const uri = stringField(g, 'uri');
    if (stringField(g, 'namespace') === KEY_NAMESPACE && uri !== null && uri.startsWith(KEY_PREFIX)) {
      return decodeURIComponent(uri.slice(KEY_PREFIX.length));
    }
  }
  const purl = stringField(helper, 'purl');
  if (purl !== null) {
    const p = normalizePurl(purl);
    if (p.ok) return p.value;
  }
  const cpe = stringField(helper, 'cpe');
  if (cpe !== null) {
    const c = normalizeCpe(cpe);
    if (c.ok) return c.value;
  }
  return null;
}

function rangeOf(version: string | null, range: string | null): string | null {
  if (range !== null) return range;
  return version === null ? null : `vers:generic/${version}`;
}

/** Every product of the tree by product_id. */
function productsOf(doc: unknown): Map<string, ProductInfo> {
  const out = new Map<string, ProductInfo>();
  const tree = field(doc, 'product_tree');
  const walk = (
    branches: readonly unknown[],
    path: { vendor: string | null; name: string | null; version: string | null; range: string | null },
  ): void => {
    for (const b of branches) {
      const category = stringField(b, 'category');
      const name = textField(b, 'name');
      const next = { ...path };
      if (category === 'vendor') next.vendor = name;
      else if (category === 'product_name' || category === 'product_family') next.name = name;
      else if (category === 'product_version') next.version = name;
      else if (category === 'product_version_range') next.range = name;
      const product = field(b, 'product');
      const id = textField(product, 'product_id');
      if (id !== null) {
        const fallback =
          [next.vendor, next.name].filter((x): x is string => x !== null).join(' ') ||
          (textField(product, 'name') ?? id);
        out.set(id, {
          key: helperKey(field(product, 'product_identification_helper')) ?? fallback,
          name: next.name ?? textField(product, 'name'),
          version: next.version,
          range: rangeOf(next.version, next.range),
        });
      }
      walk(arrayField(b, 'branches'), next);
    }
  };
  walk(arrayField(tree, 'branches'), { vendor: null, name: null, version: null, range: null });
  for (const p of arrayField(tree, 'full_product_names')) {
    const id = textField(p, 'product_id');
    const name = textField(p, 'name');
    if (id !== null)
      out.set(id, {
        key: helperKey(field(p, 'product_identification_helper')) ?? name ?? id,
        name,
        version: null,
        range: null,
      });
  }
  return out;
}

interface Resolved {
  readonly component: ProductInfo;
  readonly product: ProductInfo | null;
}

function resolveAll(doc: unknown): Map<string, Resolved> {
  const products = productsOf(doc);
  const out = new Map<string, Resolved>();
  for (const [id, info] of products) out.set(id, { component: info, product: null });
  for (const r of arrayField(field(doc, 'product_tree'), 'relationships')) {
    const full = field(r, 'full_product_name');
    const id = textField(full, 'product_id');
    const component = products.get(textField(r, 'product_reference') ?? '');
    const product = products.get(textField(r, 'relates_to_product_reference') ?? '');
    if (id !== null && component !== undefined) out.set(id, { component, product: product ?? null });
  }
  return out;
}

function groupsOf(doc: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of arrayField(field(doc, 'product_tree'), 'product_groups')) {
    const id = textField(g, 'group_id');
    if (id !== null)
      out.set(
        id,
        arrayField(g, 'product_ids').filter((x): x is string => typeof x === 'string'),
      );
  }
  return out;
}

function idsOf(entry: unknown, groups: ReadonlyMap<string, string[]>): string[] {
  const ids = arrayField(entry, 'product_ids').filter((x): x is string => typeof x === 'string');
  for (const g of arrayField(entry, 'group_ids')) if (typeof g === 'string') ids.push(...(groups.get(g) ?? []));
  return ids;
}

/** Reads the VEX statements of a CSAF 2.0 document. */
export function readCsafVex(doc: unknown, sink: ProblemSink, origin: string): VexStatement[] {
  const out: VexStatement[] = [];
  const category = stringField(field(doc, 'document'), 'category');
  if (category !== 'csaf_vex') {
    sink.add(
      'INTEL_VEX_FORMAT',
      `document category ${JSON.stringify(category)} is not csaf_vex; its product status is read as VEX`,
      { field: 'document.category' },
      'warning',
    );
  }
  const resolved = resolveAll(doc);
  const groups = groupsOf(doc);
  const publisher = textField(field(field(doc, 'document'), 'publisher'), 'name');
  const tracking = field(field(doc, 'document'), 'tracking');
  const timestamp = textField(tracking, 'current_release_date');
  arrayField(doc, 'vulnerabilities').forEach((v, vi) => {
    const path = `vulnerabilities[${String(vi)}]`;
    const cve = textField(v, 'cve');
    const ids = arrayField(v, 'ids')
      .map((x) => textField(x, 'text'))
      .filter((x): x is string => x !== null);
    const id = cve ?? ids[0] ?? null;
    if (id === null) {
      sink.add('INTEL_VEX_INVALID', 'a vulnerability needs cve or ids', { record: path, field: `${path}.cve` });
      return;
    }
    const aliases = ids.filter((x) => x !== id);
    const justification = new Map<string, VexJustification>();
    arrayField(v, 'flags').forEach((f, fi) => {
      const label = stringField(f, 'label');
      if (label === null || !isVexJustification(label)) {
        sink.add('INTEL_VEX_INVALID', `unknown flag label ${JSON.stringify(label)}`, {
          record: id,
          field: `${path}.flags[${String(fi)}].label`,
        });
        return;
      }
      for (const pid of idsOf(f, groups)) justification.set(pid, label);
    });
    const impact = new Map<string, string>();
    for (const t of arrayField(v, 'threats')) {
      const details = textField(t, 'details');
      if (stringField(t, 'category') === 'impact' && details !== null)
        for (const pid of idsOf(t, groups)) impact.set(pid, details);
    }
    const action = new Map<string, string>();
    for (const r of arrayField(v, 'remediations')) {
      const details = textField(r, 'details');
      if (details !== null)
        for (const pid of idsOf(r, groups))
          action.set(pid, action.has(pid) ? `${action.get(pid) ?? ''}; ${details}` : details);
    }
    const status = field(v, 'product_status');
    for (const s of VEX_STATUSES) {
      for (const key of CSAF_STATUS_KEYS[s]) {
        arrayField(status, key).forEach((pid, pi) => {
          const fieldPath = `${path}.product_status.${key}[${String(pi)}]`;
          if (typeof pid !== 'string') return;
          const r = resolved.get(pid);
          if (r === undefined) {
            sink.add('INTEL_VEX_INVALID', `product ${pid} is not in the product tree`, {
              record: id,
              field: fieldPath,
            });
            return;
          }
          const j = justification.get(pid);
          const imp = impact.get(pid);
          if (s === 'not_affected' && j === undefined && imp === undefined) {
            sink.add(
              'INTEL_VEX_JUSTIFICATION_MISSING',
              `${id} is known_not_affected for ${pid} without a flag or an impact threat`,
              { record: id, field: fieldPath },
            );
            return;
          }
          const act = action.get(pid);
          out.push(statementOf(id, aliases, s, r, j, imp, act, timestamp, publisher, `${origin}#${fieldPath}`, key));
        });
      }
    }
  });
  return out;
}

function statementOf(
  id: string,
  aliases: readonly string[],
  status: VexStatus,
  r: Resolved,
  justification: VexJustification | undefined,
  impact: string | undefined,
  action: string | undefined,
  timestamp: string | null,
  author: string | null,
  origin: string,
  statusKey: string,
): VexStatement {
  return {
    vulnerability: id,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(r.product === null ? {} : { product: r.product.key }),
    component: r.component.key,
    ...(r.component.name === null ? {} : { componentName: r.component.name }),
    ...(r.component.version === null ? {} : { componentVersion: r.component.version }),
    ...(r.component.range === null ? {} : { versionRange: r.component.range }),
    status,
    ...(status === 'not_affected' && justification !== undefined ? { justification } : {}),
    ...(impact === undefined ? {} : { impactStatement: impact }),
    ...(action === undefined ? {} : { actionStatement: action }),
    ...(timestamp === null ? {} : { timestamp }),
    ...(author === null ? {} : { author }),
    ...(statusKey !== CSAF_STATUS_KEYS[status][0] ? { sourceStatus: statusKey } : {}),
    origin,
  };
}

const EXACT_GENERIC = /^vers:generic\/([^|<>=!*]+)$/;

/** Serialises the statements as a CSAF 2.0 VEX document (category csaf_vex). */
export function writeCsafVex(input: VexDocumentInput): string {
  const { product } = input;
  const deviceId = 'CSAFPID-DEVICE';
  const deviceName = [product.manufacturer, product.name, product.version ?? ''].join(' ').trim();
  const deviceHelper = {
    ...(product.cpe === undefined ? {} : { cpe: product.cpe }),
    ...(product.purl === undefined ? {} : { purl: product.purl }),
  };
  const deviceProduct = {
    name: deviceName,
    product_id: deviceId,
    ...(Object.keys(deviceHelper).length > 0 ? { product_identification_helper: deviceHelper } : {}),
  };
  const deviceBranch = product.version
    ? { category: 'product_version', name: product.version, product: deviceProduct }
    : null;
  const modelBranch = {
    category: 'product_name',
    name: product.name,
    ...(deviceBranch === null ? { product: deviceProduct } : { branches: [deviceBranch] }),
  };

  // One product per (component, version range); one relationship per product into the device.
  const componentIds = new Map<string, string>();
  const componentBranches = new Map<string, Record<string, unknown>[]>();
  const componentNames = new Map<string, string>();
  const unversioned: Record<string, unknown>[] = [];
  const relationships: Record<string, unknown>[] = [];
  const relationFor = (s: VexStatement): string => {
    const key = `${s.component}\u0000${s.versionRange ?? ''}`;
    const known = componentIds.get(key);
    if (known !== undefined) return known;
    const n = componentIds.size + 1;
    const pid = `CSAFPID-C${String(n)}`;
    const rid = `CSAFPID-C${String(n)}-IN-DEVICE`;
    componentIds.set(key, rid);
    const helper: Record<string, unknown> = {
      x_generic_uris: [{ namespace: KEY_NAMESPACE, uri: `${KEY_PREFIX}${encodeURIComponent(s.component)}` }],
    };
    if (s.component.startsWith('pkg:')) helper.purl = s.component;
    else if (s.component.startsWith('cpe:2.3:')) helper.cpe = s.component;
    const label = s.componentName ?? s.component;
    const range = s.versionRange;
    const exact = range === undefined ? null : (EXACT_GENERIC.exec(range)?.[1] ?? null);
    const productName = `${label}${range === undefined ? '' : ` ${exact ?? range}`}`;
    const leaf = { name: productName, product_id: pid, product_identification_helper: helper };
    componentNames.set(s.component, label);
    if (range === undefined) {
      unversioned.push({ category: 'product_name', name: label, product: leaf });
    } else {
      const branches = componentBranches.get(s.component) ?? [];
      if (exact !== null) branches.push({ category: 'product_version', name: exact, product: leaf });
      else branches.push({ category: 'product_version_range', name: range, product: leaf });
      componentBranches.set(s.component, branches);
    }
    relationships.push({
      category: 'default_component_of',
      full_product_name: { name: `${productName} as a component of ${deviceName}`, product_id: rid },
      product_reference: pid,
      relates_to_product_reference: deviceId,
    });
    return rid;
  };

  const byVuln = new Map<string, VexStatement[]>();
  for (const s of input.statements) byVuln.set(s.vulnerability, [...(byVuln.get(s.vulnerability) ?? []), s]);
  const vulnerabilities = [...byVuln.entries()].map(([vid, statements]) => {
    const status: Record<string, string[]> = {};
    const flags = new Map<string, string[]>();
    const threats = new Map<string, string[]>();
    const remediations = new Map<string, { category: string; ids: string[] }>();
    const placed = new Set<string>();
    for (const s of statements) {
      const rid = relationFor(s);
      if (placed.has(rid)) continue; // one status per product (mandatory test 6.1.6)
      placed.add(rid);
      const key = CSAF_STATUS_KEYS[s.status][0] ?? 'under_investigation';
      (status[key] ??= []).push(rid);
      if (s.status === 'not_affected') {
        if (s.justification !== undefined) flags.set(s.justification, [...(flags.get(s.justification) ?? []), rid]);
        if (s.impactStatement !== undefined || s.justification === undefined) {
          const text = s.impactStatement ?? 'No impact statement was given.';
          threats.set(text, [...(threats.get(text) ?? []), rid]);
        }
      }
      if (s.status === 'affected' || s.status === 'fixed' || s.actionStatement !== undefined) {
        const text =
          s.actionStatement ??
          (s.status === 'fixed'
            ? 'Fixed in this version.'
            : 'No remediation is available yet; contact the manufacturer.');
        const category =
          s.status === 'fixed' ? 'vendor_fix' : s.actionStatement === undefined ? 'none_available' : 'mitigation';
        const r = remediations.get(`${category}\u0000${text}`) ?? { category, ids: [] };
        r.ids.push(rid);
        remediations.set(`${category}\u0000${text}`, r);
      }
    }
    const isCve = /^CVE-\d{4}-\d{4,}$/.test(vid);
    return {
      ...(isCve ? { cve: vid } : { ids: [{ system_name: 'Ward', text: vid }] }),
      notes: [{ category: 'description', text: `VEX status of ${vid} for ${deviceName}.`, title: 'Status' }],
      product_status: status,
      ...(flags.size > 0 ? { flags: [...flags.entries()].map(([label, ids]) => ({ label, product_ids: ids })) } : {}),
      ...(threats.size > 0
        ? {
            threats: [...threats.entries()].map(([details, ids]) => ({
              category: 'impact',
              details,
              product_ids: ids,
            })),
          }
        : {}),
      ...(remediations.size > 0
        ? {
            remediations: [...remediations.entries()].map(([k, r]) => ({
              category: r.category,
              details: k.split('\u0000')[1] ?? '',
              product_ids: r.ids,
            })),
          }
        : {}),
    };
  });

  const componentTree = [...componentBranches.entries()].map(([key, branches]) => ({
    category: 'product_name',
    name: componentNames.get(key) ?? key,
    branches,
  }));
  const trackingId =
    input.id ??
    `WARD-VEX-${derivedUuid(JSON.stringify([product, input.timestamp]))
      .slice(0, 8)
      .toUpperCase()}`;
  const version = String(input.version ?? 1);
  return JSON.stringify(
    {
      document: {
        category: 'csaf_vex',
        csaf_version: '2.0',
        notes: [
          { category: 'summary', text: `VEX statements by ${input.author} for ${deviceName}.`, title: 'Summary' },
        ],
        publisher: { category: 'vendor', name: input.author, namespace: 'https://ward.invalid/vex' },
        title: `VEX for ${deviceName}`,
        tracking: {
          current_release_date: input.timestamp,
          generator: { engine: { name: 'Ward' } },
          id: trackingId,
          initial_release_date: input.timestamp,
          revision_history: [{ date: input.timestamp, number: version, summary: 'Issued by Ward.' }],
          status: 'final',
          version,
        },
      },
      product_tree: {
        branches: [
          { category: 'vendor', name: product.manufacturer, branches: [modelBranch] },
          ...componentTree,
          ...unversioned,
        ],
        ...(relationships.length > 0 ? { relationships } : {}),
      },
      vulnerabilities,
    },
    null,
    2,
  );
}

const TESTS = [schemaTests.csaf_2_0, ...Object.values(mandatoryTests)];

/** Validates a CSAF document with the CSAF 2.0 schema test and every mandatory test. */
export async function validateCsafVex(json: string, fileName = 'vex.csaf.json'): Promise<VexProblem[]> {
  const sink = new ProblemSink(fileName);
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    sink.add('INTEL_VEX_SCHEMA', 'not JSON');
    return sink.problems;
  }
  if (!isRecord(doc)) {
    sink.add('INTEL_VEX_SCHEMA', 'not a JSON object');
    return sink.problems;
  }
  const result = await validate(TESTS, doc);
  for (const t of result.tests) {
    for (const e of t.errors)
      sink.add('INTEL_VEX_SCHEMA', `${t.name}: ${e.message}`, { record: t.name, field: e.instancePath });
  }
  return sink.problems;
}
