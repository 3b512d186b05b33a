/**
 * @module sbom-spdx3
 * Reads SPDX 3.0 JSON-LD (`@context` https://spdx.org/rdf/3.0.x/spdx-context.jsonld, elements in
 * `@graph`): software packages (incl. AI and dataset packages, which are packages too) become
 * components; `dependsOn`, `contains`, `hasStaticLink`, `hasDynamicLink`… relationships between
 * them give the graph; `rootElement` / `describes` names the subject; `supportLevel` and
 * `validUntilTime` give the FDA support properties.
 */
import { arrayField, field, isRecord, stringField, textField } from './json-access.js';
import type { Component, ComponentHash, DependencyEdge, Sbom } from '@ward/core';
import type { ProblemSink } from './problem.js';
import { spdxAlgorithm } from './sbom-spdx2.js';
import { normalizePurl } from './purl.js';
import { normalizeCpe } from './sbom-identity.js';

const PACKAGE_TYPES = new Set([
  'software_Package',
  'ai_AIPackage',
  'dataset_DatasetPackage',
  'Package',
  'AIPackage',
  'DatasetPackage',
]);
const EDGE_TYPES = new Set([
  'dependsOn',
  'contains',
  'hasStaticLink',
  'hasDynamicLink',
  'hasPrerequisite',
  'hasProvidedDependency',
  'hasOptionalDependency',
  'packagedBy',
]);

function idOf(element: unknown): string | null {
  return textField(element, 'spdxId') ?? textField(element, '@id');
}

function typeOf(element: unknown): string | null {
  return textField(element, 'type') ?? textField(element, '@type');
}

export function readSpdx3(doc: unknown, sink: ProblemSink): Sbom | null {
  const graph = arrayField(doc, '@graph');
  const byId = new Map<string, unknown>();
  for (const element of graph) {
    const id = idOf(element);
    if (id !== null) byId.set(id, element);
  }
  let specVersion = '';
  for (const element of graph) {
    if (typeOf(element) === 'CreationInfo') {
      specVersion = textField(element, 'specVersion') ?? specVersion;
      break;
    }
  }
  if (!/^3\.0(\.\d+)?$/.test(specVersion)) {
    sink.add(
      'INTEL_SBOM_FORMAT',
      `SPDX ${specVersion || '(no specVersion)'} is not 3.0; read on a best-effort basis`,
      { field: 'CreationInfo.specVersion' },
      'warning',
    );
  }
  const components: Component[] = [];
  graph.forEach((element, i) => {
    const type = typeOf(element);
    if (type === null || !PACKAGE_TYPES.has(type)) return;
    const path = `@graph[${String(i)}]`;
    if (!isRecord(element)) return;
    const ref = idOf(element) ?? path;
    if (idOf(element) === null)
      sink.add('INTEL_SBOM_INVALID', 'a package needs a spdxId', { record: path, field: `${path}.spdxId` });
    let name = textField(element, 'name');
    if (name === null) {
      sink.add('INTEL_SBOM_INVALID', 'a package needs a name', { record: ref, field: `${path}.name` });
      name = '';
    }
    let purl: string | null = null;
    let cpe: string | null = null;
    const takePurl = (raw: string, fieldPath: string): void => {
      const p = normalizePurl(raw);
      if (!p.ok)
        sink.add('INTEL_PURL_INVALID', `${JSON.stringify(raw)}: ${p.reason}`, { record: ref, field: fieldPath });
      else purl ??= p.value;
    };
    const packageUrl = stringField(element, 'software_packageUrl');
    if (packageUrl !== null) takePurl(packageUrl, `${path}.software_packageUrl`);
    arrayField(element, 'externalIdentifier').forEach((x, j) => {
      const kind = stringField(x, 'externalIdentifierType');
      const identifier = stringField(x, 'identifier');
      const fieldPath = `${path}.externalIdentifier[${String(j)}].identifier`;
      if (identifier === null) return;
      if (kind === 'packageUrl') takePurl(identifier, fieldPath);
      else if (kind === 'cpe23' || kind === 'cpe22') {
        const c = normalizeCpe(identifier);
        if (!c.ok)
          sink.add('INTEL_CPE_INVALID', `${JSON.stringify(identifier)}: ${c.reason}`, {
            record: ref,
            field: fieldPath,
          });
        else cpe ??= c.value;
      }
    });
    const hashes: ComponentHash[] = [];
    arrayField(element, 'verifiedUsing').forEach((h) => {
      const alg = textField(h, 'algorithm');
      const value = textField(h, 'hashValue');
      if (typeOf(h) === 'Hash' && alg !== null && value !== null)
        hashes.push({ alg: spdxAlgorithm(alg), content: value.toLowerCase() });
    });
    const supplierRef = field(element, 'suppliedBy');
    const supplierId = typeof supplierRef === 'string' ? supplierRef : idOf(supplierRef);
    const supplier =
      supplierId === null ? null : (textField(byId.get(supplierId), 'name') ?? textField(supplierRef, 'name'));
    const support: { endOfSupport?: string; levelOfSupport?: string } = {};
    const level = textField(element, 'supportLevel');
    const until = textField(element, 'validUntilTime');
    if (level !== null) support.levelOfSupport = level;
    if (until !== null) support.endOfSupport = until;
    components.push({
      ref,
      name,
      version: textField(element, 'software_packageVersion'),
      supplier,
      purl,
      cpe,
      hashes,
      kind: textField(element, 'software_primaryPurpose')?.toLowerCase() ?? null,
      ...(level !== null || until !== null ? { support } : {}),
    });
  });

  const refs = new Set(components.map((c) => c.ref));
  const dependencies: DependencyEdge[] = [];
  const parents = new Map<string, string>();
  const described: string[] = [];
  for (const element of graph) {
    const type = typeOf(element);
    if (type === 'SpdxDocument' || type === 'software_Sbom') {
      for (const r of arrayField(element, 'rootElement')) if (typeof r === 'string') described.push(r);
    }
    if (type !== 'Relationship' && type !== 'LifecycleScopedRelationship') continue;
    const relType = textField(element, 'relationshipType');
    const from = textField(element, 'from');
    if (relType === null || from === null) continue;
    const tos = arrayField(element, 'to').filter((t): t is string => typeof t === 'string');
    if (relType === 'describes') described.push(...tos);
    if (!EDGE_TYPES.has(relType) || !refs.has(from)) continue;
    for (const to of tos) {
      if (!refs.has(to)) continue;
      dependencies.push({ from, to });
      if (relType === 'contains' && !parents.has(to)) parents.set(to, from);
    }
  }
  const withParents = components.map((c) => {
    const parent = parents.get(c.ref);
    return parent === undefined ? c : { ...c, parent };
  });
  const subject = withParents.find((c) => described.includes(c.ref));
  const document = graph.find((e) => typeOf(e) === 'SpdxDocument');
  return {
    format: 'spdx-3-jsonld',
    specVersion: specVersion || '3.0',
    serial: idOf(document),
    version: null,
    subject: {
      name: subject?.name ?? textField(document, 'name'),
      version: subject?.version ?? null,
      manufacturer: subject?.supplier ?? null,
    },
    components: withParents,
    dependencies,
    vex: [],
  };
}
