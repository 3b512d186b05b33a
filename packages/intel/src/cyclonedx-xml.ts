/**
 * @module cyclonedx-xml
 * Turns a CycloneDX XML BOM into the JSON document shape, so one reader serves both encodings.
 * Parsed with fast-xml-parser (no DTDs: a document declaring entities is refused). The XML is
 * checked structurally (root `bom` in a CycloneDX namespace, the elements Ward reads); XSD
 * validation would need libxmljs2, which Ward does not depend on (see ADR 0008).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isRecord } from './json-access.js';

const ARRAYS = new Set([
  'component',
  'hash',
  'property',
  'dependency',
  'vulnerability',
  'target',
  'version',
  'response',
  'reference',
  'tool',
  'license',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '@',
  textNodeName: '#text',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

type Node = unknown;

function child(node: Node, name: string): Node {
  return isRecord(node) ? node[name] : undefined;
}
function children(node: Node, name: string): readonly Node[] {
  const v = child(node, name);
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}
function text(node: Node): string | undefined {
  if (typeof node === 'string') return node;
  if (isRecord(node) && typeof node['#text'] === 'string') return node['#text'];
  if (isRecord(node)) return '';
  return undefined;
}
function attr(node: Node, name: string): string | undefined {
  const attrs = child(node, '@');
  const v = isRecord(attrs) ? attrs[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}
function childText(node: Node, name: string): string | undefined {
  const c = child(node, name);
  return Array.isArray(c) ? text(c[0]) : text(c);
}

function defined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

function named(node: Node): Record<string, unknown> | undefined {
  if (node === undefined) return undefined;
  return defined({ name: childText(node, 'name') });
}

function component(node: Node): Record<string, unknown> {
  return defined({
    type: attr(node, 'type'),
    'bom-ref': attr(node, 'bom-ref'),
    supplier: named(child(node, 'supplier')),
    manufacturer: named(child(node, 'manufacturer')),
    author: childText(node, 'author'),
    publisher: childText(node, 'publisher'),
    group: childText(node, 'group'),
    name: childText(node, 'name'),
    version: childText(node, 'version'),
    purl: childText(node, 'purl'),
    cpe: childText(node, 'cpe'),
    hashes: children(child(node, 'hashes'), 'hash').map((h) => defined({ alg: attr(h, 'alg'), content: text(h) })),
    properties: children(child(node, 'properties'), 'property').map((p) =>
      defined({ name: attr(p, 'name'), value: text(p) }),
    ),
    components: children(child(node, 'components'), 'component').map(component),
  });
}

function vulnerability(node: Node): Record<string, unknown> {
  const analysis = child(node, 'analysis');
  return defined({
    'bom-ref': attr(node, 'bom-ref'),
    id: childText(node, 'id'),
    references: children(child(node, 'references'), 'reference').map((r) => defined({ id: childText(r, 'id') })),
    recommendation: childText(node, 'recommendation'),
    workaround: childText(node, 'workaround'),
    updated: childText(node, 'updated'),
    analysis:
      analysis === undefined
        ? undefined
        : defined({
            state: childText(analysis, 'state'),
            justification: childText(analysis, 'justification'),
            response: children(child(analysis, 'responses'), 'response').map(text),
            detail: childText(analysis, 'detail'),
            firstIssued: childText(analysis, 'firstIssued'),
            lastUpdated: childText(analysis, 'lastUpdated'),
          }),
    affects: children(child(node, 'affects'), 'target').map((t) =>
      defined({
        ref: childText(t, 'ref'),
        versions: children(child(t, 'versions'), 'version').map((v) =>
          defined({ version: childText(v, 'version'), range: childText(v, 'range'), status: childText(v, 'status') }),
        ),
      }),
    ),
  });
}

export type XmlBomResult =
  | { readonly ok: true; readonly doc: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string; readonly line?: number };

/** The CycloneDX spec version named by an XML namespace, or null for a non-CycloneDX namespace. */
export function cycloneDxXmlVersion(namespace: string): string | null {
  const m = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/.exec(namespace.trim());
  return m?.[1] ?? null;
}

/** Parses CycloneDX XML into the JSON document shape. */
export function readCycloneDxXml(xml: string): XmlBomResult {
  if (/<!ENTITY/i.test(xml)) return { ok: false, reason: 'entity declarations are not accepted' };
  // fast-xml-parser 5 deprecates its bundled validator in favour of a separate package that Ward
  // does not depend on; it still checks well-formedness, which is what is needed here.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, reason: valid.err.msg, line: valid.err.line };
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'unparseable XML' };
  }
  const bom = child(parsed, 'bom');
  if (!isRecord(bom)) return { ok: false, reason: 'the root element is not <bom>' };
  // fast-xml-parser drops xmlns attributes with removeNSPrefix: read the namespace from the root tag.
  const rootTag = /<(?:([\w.-]+):)?bom[\s>][^>]*/.exec(xml);
  const prefix = rootTag?.[1];
  const nsPattern =
    prefix === undefined ? /\sxmlns\s*=\s*["']([^"']*)["']/ : new RegExp(`\\sxmlns:${prefix}\\s*=\\s*["']([^"']*)["']`);
  const ns = rootTag === null ? '' : (nsPattern.exec(rootTag[0])?.[1] ?? '');
  const specVersion = cycloneDxXmlVersion(ns);
  if (specVersion === null) return { ok: false, reason: `namespace ${JSON.stringify(ns)} is not CycloneDX's` };
  const metadata = child(bom, 'metadata');
  const versionAttr = attr(bom, 'version');
  const version = versionAttr === undefined ? undefined : Number(versionAttr);
  const dependencies = children(child(bom, 'dependencies'), 'dependency').map((d) =>
    defined({ ref: attr(d, 'ref'), dependsOn: children(d, 'dependency').map((x) => attr(x, 'ref') ?? null) }),
  );
  return {
    ok: true,
    doc: defined({
      bomFormat: 'CycloneDX',
      specVersion,
      serialNumber: attr(bom, 'serialNumber'),
      version: version !== undefined && Number.isInteger(version) ? version : undefined,
      metadata:
        metadata === undefined
          ? undefined
          : defined({
              component: children(metadata, 'component').map(component)[0],
              manufacture: named(child(metadata, 'manufacture')),
              manufacturer: named(child(metadata, 'manufacturer')),
              supplier: named(child(metadata, 'supplier')),
            }),
      components: children(child(bom, 'components'), 'component').map(component),
      dependencies,
      vulnerabilities: children(child(bom, 'vulnerabilities'), 'vulnerability').map(vulnerability),
    }),
  };
}
