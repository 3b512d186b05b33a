/**
 * @module vex-openvex
 * OpenVEX (https://github.com/openvex/spec, `@context` https://openvex.dev/ns/v0.2.0): a reader,
 * a writer and the checks the specification states. No OpenVEX schema package exists on npm, so
 * `checkOpenVex` implements the spec's MUSTs itself: document `@context`, `@id`, `author`,
 * `timestamp`, `version` ≥ 1 and at least one statement; each statement a vulnerability name, a
 * known status, a known justification, `not_affected` with a justification or an impact statement
 * (exactly one of the two, as the published JSON schema has it), `affected` with an action
 * statement, IRIs for `@id`s and RFC 3339 timestamps.
 *
 * A statement about a product with `subcomponents` is about each subcomponent within that product;
 * Ward turns it into one VEX statement per subcomponent (component = subcomponent, product = the
 * product), and one per product when there are none. Older documents (v0.0.x: vulnerability and
 * products as plain strings) are read too.
 */
import { arrayField, field, isRecord, stringField, textField } from './json-access.js';
import type { VexStatement } from '@ward/core';
import { type VexProblem, ProblemSink } from './problem.js';
import { normalizePurl } from './purl.js';
import { normalizeCpe } from './sbom-identity.js';
import { type VexDocumentInput, derivedUuid, shortHash } from './vex-document.js';
import { isVexJustification, VEX_STATUSES } from './vex-justification.js';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';
const WARD_COMPONENT_URN = 'urn:ward:component:';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const IRI = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>"{}|\\^`]*$/;

export function isOpenVex(doc: unknown): boolean {
  const ctx = stringField(doc, '@context');
  return ctx !== null && ctx.startsWith('https://openvex.dev/ns');
}

/** A Ward component URN: `urn:ward:component:<key>` plus `:vers:<range>` when the statement has one. */
function wardUrn(key: string, range?: string): string {
  return `${WARD_COMPONENT_URN}${encodeURIComponent(key)}${range === undefined ? '' : `:vers:${encodeURIComponent(range)}`}`;
}

interface Keyed {
  readonly key: string;
  readonly range?: string;
}

/** A product or subcomponent as Ward's component key (purl, else CPE, else its @id), and a range. */
function keyOf(entry: unknown): Keyed | null {
  if (typeof entry === 'string') return { key: entry };
  const id = textField(entry, '@id');
  if (id?.startsWith(WARD_COMPONENT_URN)) {
    const [key = '', range] = id.slice(WARD_COMPONENT_URN.length).split(':vers:');
    try {
      return range === undefined
        ? { key: decodeURIComponent(key) }
        : { key: decodeURIComponent(key), range: decodeURIComponent(range) };
    } catch {
      return null;
    }
  }
  const ids = field(entry, 'identifiers');
  const purl = stringField(ids, 'purl');
  if (purl !== null) {
    const p = normalizePurl(purl);
    if (p.ok) return { key: p.value };
  }
  const cpe =
    stringField(ids, '@cpe23') ?? stringField(ids, 'cpe23') ?? stringField(ids, '@cpe22') ?? stringField(ids, 'cpe22');
  if (cpe !== null) {
    const c = normalizeCpe(cpe);
    if (c.ok) return { key: c.value };
  }
  if (id === null) return null;
  if (id.startsWith('pkg:')) {
    const p = normalizePurl(id);
    if (p.ok) return { key: p.value };
  }
  return { key: id };
}

/** Checks an OpenVEX document against the rules of the specification. */
export function checkOpenVex(doc: unknown, sink: ProblemSink): void {
  const code = 'INTEL_VEX_INVALID';
  if (!isRecord(doc)) {
    sink.add(code, 'an OpenVEX document is a JSON object');
    return;
  }
  for (const key of ['@context', '@id', 'author', 'timestamp'] as const) {
    if (textField(doc, key) === null) sink.add(code, `the document needs ${key}`, { field: key });
  }
  const id = textField(doc, '@id');
  if (id !== null && !IRI.test(id)) sink.add(code, '@id is an IRI', { field: '@id' });
  const ts = textField(doc, 'timestamp');
  if (ts !== null && !RFC3339.test(ts)) sink.add(code, 'timestamp is an RFC 3339 date-time', { field: 'timestamp' });
  const version = field(doc, 'version');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    sink.add(code, 'version is an integer ≥ 1', { field: 'version' });
  }
  const statements = field(doc, 'statements');
  if (!Array.isArray(statements) || statements.length === 0) {
    sink.add(code, 'the document needs at least one statement', { field: 'statements' });
    return;
  }
  statements.forEach((s: unknown, i) => {
    const path = `statements[${String(i)}]`;
    const v = field(s, 'vulnerability');
    if (textField(v, 'name') === null && (typeof v !== 'string' || v.trim() === '')) {
      sink.add(code, 'a statement names its vulnerability', { record: path, field: `${path}.vulnerability.name` });
    }
    const status = stringField(s, 'status');
    if (status === null || !(VEX_STATUSES as readonly string[]).includes(status)) {
      sink.add(code, `unknown status ${JSON.stringify(status)}`, { record: path, field: `${path}.status` });
    }
    const justification = stringField(s, 'justification');
    if (justification !== null && !isVexJustification(justification)) {
      sink.add(code, `unknown justification ${JSON.stringify(justification)}`, {
        record: path,
        field: `${path}.justification`,
      });
    }
    const impact = textField(s, 'impact_statement');
    if (status === 'not_affected' && justification === null && impact === null) {
      sink.add('INTEL_VEX_JUSTIFICATION_MISSING', 'not_affected needs a justification or an impact statement', {
        record: path,
        field: `${path}.justification`,
      });
    }
    if (status === 'affected' && textField(s, 'action_statement') === null) {
      sink.add(
        code,
        'affected needs an action statement',
        { record: path, field: `${path}.action_statement` },
        'warning',
      );
    }
    const sts = textField(s, 'timestamp');
    if (sts !== null && !RFC3339.test(sts))
      sink.add(code, 'timestamp is an RFC 3339 date-time', { record: path, field: `${path}.timestamp` });
    arrayField(s, 'products').forEach((p, j) => {
      const pid = textField(p, '@id');
      if (pid !== null && !IRI.test(pid))
        sink.add(code, '@id is an IRI', { record: path, field: `${path}.products[${String(j)}].@id` });
      if (keyOf(p) === null)
        sink.add(code, 'a product needs an @id or identifiers', {
          record: path,
          field: `${path}.products[${String(j)}]`,
        });
    });
  });
}

/** Reads the statements of an OpenVEX document (already checked), one per product/subcomponent. */
export function readOpenVex(doc: unknown, sink: ProblemSink, origin: string): VexStatement[] {
  const out: VexStatement[] = [];
  const docTimestamp = textField(doc, 'timestamp');
  const author = textField(doc, 'author');
  const skip = new Set(
    sink.problems.filter((p) => p.severity === 'error' && p.record !== null).map((p) => p.record ?? ''),
  );
  arrayField(doc, 'statements').forEach((s, i) => {
    const path = `statements[${String(i)}]`;
    if (skip.has(path)) return;
    const v = field(s, 'vulnerability');
    const name = typeof v === 'string' ? v.trim() : textField(v, 'name');
    const status = stringField(s, 'status');
    if (name === null || status === null || !(VEX_STATUSES as readonly string[]).includes(status)) return;
    const aliases = arrayField(v, 'aliases').filter((a): a is string => typeof a === 'string');
    const justification = stringField(s, 'justification');
    const impact =
      textField(s, 'impact_statement') ?? (status === 'not_affected' ? textField(s, 'status_notes') : null);
    const action = textField(s, 'action_statement');
    const timestamp = textField(s, 'timestamp') ?? docTimestamp;
    const pairs: { component: Keyed; product?: string }[] = [];
    for (const p of arrayField(s, 'products')) {
      const productKey = keyOf(p);
      if (productKey === null) continue;
      const subs = arrayField(p, 'subcomponents')
        .map(keyOf)
        .filter((k): k is Keyed => k !== null);
      if (subs.length === 0) pairs.push({ component: productKey });
      else for (const sub of subs) pairs.push({ component: sub, product: productKey.key });
    }
    // v0.0.x: subcomponents beside products
    for (const sub of arrayField(s, 'subcomponents').map(keyOf)) {
      if (sub !== null)
        for (const p of arrayField(s, 'products').map(keyOf))
          if (p !== null) pairs.push({ component: sub, product: p.key });
    }
    if (pairs.length === 0) {
      sink.add('INTEL_VEX_INVALID', 'a statement without products cannot be applied per component', {
        record: path,
        field: `${path}.products`,
      });
      return;
    }
    for (const pair of pairs) {
      out.push({
        vulnerability: name,
        ...(aliases.length > 0 ? { aliases } : {}),
        ...(pair.product === undefined ? {} : { product: pair.product }),
        component: pair.component.key,
        ...(pair.component.range === undefined ? {} : { versionRange: pair.component.range }),
        status: status as VexStatement['status'],
        ...(status === 'not_affected' && justification !== null && isVexJustification(justification)
          ? { justification }
          : {}),
        ...(impact === null ? {} : { impactStatement: impact }),
        ...(action === null ? {} : { actionStatement: action }),
        ...(timestamp === null ? {} : { timestamp }),
        ...(author === null ? {} : { author }),
        origin: `${origin}#${path}`,
      });
    }
  });
  return out;
}

/**
 * A product entry for a component key. A statement limited to a version range has no OpenVEX field
 * to say so: its component is written as a Ward URN carrying key and range, without `identifiers`,
 * so that another tool cannot apply it to every version of the package.
 */
function productEntry(key: string, range?: string): Record<string, unknown> {
  if (range !== undefined) return { '@id': wardUrn(key, range) };
  if (key.startsWith('pkg:')) return { '@id': key, identifiers: { purl: key } };
  if (key.startsWith('cpe:2.3:')) return { '@id': wardUrn(key), identifiers: { '@cpe23': key } };
  if (IRI.test(key) && !key.startsWith('cpe:') && !key.startsWith(WARD_COMPONENT_URN)) return { '@id': key };
  return { '@id': wardUrn(key) };
}

/** Serialises the statements as an OpenVEX v0.2.0 document (one statement per Ward statement). */
export function writeOpenVex(input: VexDocumentInput): string {
  const { manufacturer, name, version } = input.product;
  const productKey =
    input.product.purl ??
    `urn:ward:product:${[manufacturer, name, ...(version ? [version] : [])].map(encodeURIComponent).join(':')}`;
  const statements = input.statements.map((s) => {
    const component = productEntry(s.component, s.versionRange);
    const product = s.product ?? productKey;
    const products = product !== s.component ? [{ ...productEntry(product), subcomponents: [component] }] : [component];
    const notAffected = s.status === 'not_affected';
    // The published schema allows exactly one of justification / impact_statement on not_affected:
    // with both, the impact statement goes to status_notes (read back as the impact statement).
    const statusNotes = notAffected && s.justification !== undefined ? s.impactStatement : undefined;
    return {
      vulnerability: {
        name: s.vulnerability,
        ...(s.aliases && s.aliases.length > 0 ? { aliases: [...new Set(s.aliases)] } : {}),
      },
      ...(s.timestamp !== undefined && RFC3339.test(s.timestamp) ? { timestamp: s.timestamp } : {}),
      products,
      status: s.status,
      ...(notAffected && s.justification !== undefined ? { justification: s.justification } : {}),
      ...(s.impactStatement !== undefined && statusNotes === undefined ? { impact_statement: s.impactStatement } : {}),
      ...(statusNotes === undefined ? {} : { status_notes: statusNotes }),
      ...(s.actionStatement !== undefined
        ? { action_statement: s.actionStatement }
        : s.status === 'affected'
          ? { action_statement: 'No remediation is available yet; contact the manufacturer.' }
          : {}),
    };
  });
  const id =
    input.id ??
    derivedUuid(JSON.stringify([input.product, input.timestamp, shortHash(JSON.stringify(input.statements))]));
  return JSON.stringify(
    {
      '@context': OPENVEX_CONTEXT,
      '@id': IRI.test(id) ? id : `urn:uuid:${derivedUuid(id)}`,
      author: input.author,
      timestamp: input.timestamp,
      version: input.version ?? 1,
      tooling: 'Ward',
      statements,
    },
    null,
    2,
  );
}

/** Checks a written OpenVEX document; problems are INTEL_VEX_SCHEMA (a bug in the writer). */
export function validateOpenVex(json: string, fileName = 'vex.openvex.json'): VexProblem[] {
  const sink = new ProblemSink(fileName);
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    sink.add('INTEL_VEX_SCHEMA', 'not JSON');
    return sink.problems;
  }
  checkOpenVex(doc, sink);
  arrayField(doc, 'statements').forEach((s, i) => {
    if (
      stringField(s, 'status') === 'not_affected' &&
      field(s, 'justification') !== undefined &&
      field(s, 'impact_statement') !== undefined
    ) {
      sink.add('INTEL_VEX_SCHEMA', 'the schema allows one of justification and impact_statement', {
        record: `statements[${String(i)}]`,
      });
    }
  });
  if (textField(doc, '@context') !== OPENVEX_CONTEXT)
    sink.add('INTEL_VEX_SCHEMA', `@context is ${OPENVEX_CONTEXT}`, { field: '@context' });
  return sink.problems.map((p) => ({ ...p, code: 'INTEL_VEX_SCHEMA' as const }));
}
