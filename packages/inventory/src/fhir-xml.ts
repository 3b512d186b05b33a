/**
 * @module fhir-xml
 * FHIR XML into FHIR JSON, element by element through the R4 type definitions (which elements
 * repeat, which are primitives and of what kind, which choice type `valueQuantity` is). Narrative
 * (`text`) is dropped: Ward never needs it and it can hold patient data. An element the definitions
 * do not know is kept under its name, so validation rejects it with its path.
 */
import { tryGetDataType, type getDataType } from '@medplum/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InventoryError } from './errors.js';
import { loadR4Definitions } from './fhir-r4.js';

type XmlNode = Record<string, unknown>;
type TypeSchema = ReturnType<typeof getDataType>;
type ElementDef = TypeSchema['elements'][string];

const NUMBER_TYPES = new Set(['integer', 'unsignedInt', 'positiveInt', 'decimal', 'integer64']);
const MAX_DEPTH = 64;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
});

function asNodes(value: unknown): XmlNode[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list.map((v) => (typeof v === 'object' && v !== null ? (v as XmlNode) : { '#text': v }));
}

function primitive(node: XmlNode, type: string): unknown {
  const raw = node['@_value'];
  if (typeof raw !== 'string') return undefined;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (NUMBER_TYPES.has(type)) {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  return raw;
}

function findElement(schema: TypeSchema, name: string): { key: string; def: ElementDef; type: string } | undefined {
  const direct = schema.elements[name];
  if (direct !== undefined) return { key: name, def: direct, type: direct.type[0]?.code ?? 'Element' };
  for (const [key, def] of Object.entries(schema.elements)) {
    if (!key.endsWith('[x]')) continue;
    const base = key.slice(0, -3);
    if (!name.startsWith(base)) continue;
    const suffix = name.slice(base.length);
    const t = def.type.find((x) => x.code.toLowerCase() === suffix.toLowerCase());
    if (t !== undefined) return { key: name, def, type: t.code };
  }
  return undefined;
}

function isPrimitiveType(type: string): boolean {
  return /^[a-z]/.test(type);
}

function convertResource(node: XmlNode, resourceType: string, depth: number): Record<string, unknown> {
  return { resourceType, ...convertComplex(node, resourceType, depth) };
}

function convertResourceHolder(node: XmlNode, depth: number): unknown {
  const names = Object.keys(node).filter((k) => !k.startsWith('@_') && k !== '#text');
  const name = names[0];
  if (name === undefined) return {};
  const inner = asNodes(node[name])[0] ?? {};
  return convertResource(inner, name, depth + 1);
}

function convertComplex(node: XmlNode, typeName: string, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) {
    throw new InventoryError('INVENTORY_FHIR_INVALID', 'FHIR XML nested too deeply', { details: { depth } });
  }
  const schema = tryGetDataType(typeName);
  const out: Record<string, unknown> = {};
  if (typeof node['@_id'] === 'string') out.id = node['@_id'];
  if (typeof node['@_url'] === 'string') out.url = node['@_url'];
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('@_') || name === '#text') continue;
    const found = schema === undefined ? undefined : findElement(schema, name);
    if (found?.type === 'Narrative') continue;
    if (found === undefined) {
      // Unknown to R4: keep it, so validation names it.
      out[name] = value;
      continue;
    }
    const converted = asNodes(value).map((child) => {
      if (found.type === 'Resource') return convertResourceHolder(child, depth);
      if (isPrimitiveType(found.type)) return primitive(child, found.type);
      return convertComplex(child, found.type, depth + 1);
    });
    out[found.key] = found.def.isArray === true ? converted : converted[0];
  }
  return out;
}

/** @throws InventoryError INVENTORY_FHIR_INVALID when the text is not well-formed XML or not a FHIR resource. */
export function fhirXmlToJson(xml: string, file: string): Record<string, unknown> {
  loadR4Definitions();
  // The parser alone accepts unbalanced tags; check well-formedness first. (fast-xml-parser marks
  // its validator deprecated in favour of a separate package that is not installed.)
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new InventoryError(
      'INVENTORY_FHIR_INVALID',
      `${file}: not well-formed XML (line ${String(valid.err.line)}: ${valid.err.msg})`,
      {
        details: { file, line: valid.err.line, column: valid.err.col },
      },
    );
  }
  const doc = parser.parse(xml) as XmlNode;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('@_') && k !== '#text');
  const root = roots[0];
  const node = root === undefined ? undefined : asNodes(doc[root])[0];
  if (root === undefined || node === undefined || roots.length !== 1) {
    throw new InventoryError('INVENTORY_FHIR_INVALID', `${file}: expected one FHIR resource element`, {
      details: { file },
    });
  }
  if (node['@_xmlns'] !== 'http://hl7.org/fhir') {
    throw new InventoryError('INVENTORY_FHIR_INVALID', `${file}: the root element is not in the FHIR namespace`, {
      details: { file, field: root },
    });
  }
  return convertResource(node, root, 0);
}
