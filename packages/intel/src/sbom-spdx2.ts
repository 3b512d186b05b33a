/**
 * @module sbom-spdx2
 * Reads SPDX 2.2/2.3 documents (JSON, or tag-value turned into the JSON shape by
 * `spdx-tag-value.ts`): packages become components (files and snippets do not), external refs give
 * purl and CPE (2.2 URIs converted), checksums give hashes, relationships between packages give the
 * dependency graph, and `DESCRIBES` names the subject.
 */
import { arrayField, isRecord, stringField, textField } from './json-access.js';
import type { Component, ComponentHash, DependencyEdge, Sbom, SbomFormat } from '@ward/core';
import type { ProblemSink } from './problem.js';
import { normalizePurl } from './purl.js';
import { normalizeCpe } from './sbom-identity.js';

export const SPDX2_VERSIONS = ['SPDX-2.2', 'SPDX-2.3'] as const;

/** `SHA256` → `SHA-256` (CycloneDX's spelling); others upper-cased. */
export function spdxAlgorithm(alg: string): string {
  const a = alg.trim().toUpperCase();
  const m = /^SHA(\d+)$/.exec(a);
  return m ? `SHA-${m[1] ?? ''}` : a;
}

/** `Organization: ACME (x@y)` → `ACME`; NOASSERTION → null. */
export function spdxAgentName(value: string | null): string | null {
  if (value === null) return null;
  const v = value.trim();
  if (v === '' || v === 'NOASSERTION' || v === 'NONE') return null;
  const m = /^(?:Organization|Person|Tool)\s*:\s*(.*?)\s*(?:\([^)]*\))?\s*$/i.exec(v);
  const name = (m?.[1] ?? v).trim();
  return name === '' ? null : name;
}

function nullIfNoAssertion(value: string | null): string | null {
  return value === null || value === 'NOASSERTION' || value === 'NONE' ? null : value;
}

/** Relationship types whose direction is "left depends on right" (→ edge left → right). */
const FORWARD = new Set([
  'DEPENDS_ON',
  'CONTAINS',
  'STATIC_LINK',
  'DYNAMIC_LINK',
  'HAS_PREREQUISITE',
  'GENERATED_FROM',
]);
/** "left is a dependency of right" (→ edge right → left). */
const BACKWARD = new Set([
  'DEPENDENCY_OF',
  'CONTAINED_BY',
  'BUILD_DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF',
  'PREREQUISITE_FOR',
  'GENERATES',
]);

export function readSpdx2(doc: unknown, format: SbomFormat, sink: ProblemSink): Sbom | null {
  const specVersion = stringField(doc, 'spdxVersion') ?? '';
  if (!(SPDX2_VERSIONS as readonly string[]).includes(specVersion)) {
    sink.add(
      'INTEL_SBOM_FORMAT',
      `${specVersion || '(no spdxVersion)'} is not SPDX 2.2 or 2.3; read on a best-effort basis`,
      { field: 'spdxVersion' },
      'warning',
    );
  }
  const components: Component[] = [];
  const seen = new Set<string>();
  arrayField(doc, 'packages').forEach((pkg, i) => {
    const path = `packages[${String(i)}]`;
    if (!isRecord(pkg)) {
      sink.add('INTEL_SBOM_INVALID', 'a package must be an object', { record: path, field: path });
      return;
    }
    let ref = textField(pkg, 'SPDXID');
    if (ref === null) {
      sink.add('INTEL_SBOM_INVALID', 'a package needs an SPDXID', { record: path, field: `${path}.SPDXID` });
      ref = path;
    }
    if (seen.has(ref)) {
      sink.add(
        'INTEL_SBOM_INVALID',
        `SPDXID ${ref} is used twice`,
        { record: ref, field: `${path}.SPDXID` },
        'warning',
      );
      ref = `${ref}#${path}`;
    }
    seen.add(ref);
    let name = textField(pkg, 'name');
    if (name === null) {
      sink.add('INTEL_SBOM_INVALID', 'a package needs a name', { record: ref, field: `${path}.name` });
      name = '';
    }
    let purl: string | null = null;
    let cpe: string | null = null;
    arrayField(pkg, 'externalRefs').forEach((r, j) => {
      const type = stringField(r, 'referenceType');
      const locator = stringField(r, 'referenceLocator');
      const fieldPath = `${path}.externalRefs[${String(j)}].referenceLocator`;
      if (locator === null) return;
      if (type === 'purl') {
        const p = normalizePurl(locator);
        if (!p.ok)
          sink.add('INTEL_PURL_INVALID', `${JSON.stringify(locator)}: ${p.reason}`, { record: ref, field: fieldPath });
        else purl ??= p.value;
      } else if (type === 'cpe23Type' || type === 'cpe22Type') {
        const c = normalizeCpe(locator);
        if (!c.ok)
          sink.add('INTEL_CPE_INVALID', `${JSON.stringify(locator)}: ${c.reason}`, { record: ref, field: fieldPath });
        else cpe ??= c.value;
      }
    });
    const hashes: ComponentHash[] = [];
    arrayField(pkg, 'checksums').forEach((c) => {
      const alg = textField(c, 'algorithm');
      const content = textField(c, 'checksumValue');
      if (alg !== null && content !== null) hashes.push({ alg: spdxAlgorithm(alg), content: content.toLowerCase() });
    });
    const validUntil = textField(pkg, 'validUntilDate');
    components.push({
      ref,
      name,
      version: nullIfNoAssertion(textField(pkg, 'versionInfo')),
      supplier: spdxAgentName(textField(pkg, 'supplier')) ?? spdxAgentName(textField(pkg, 'originator')),
      purl,
      cpe,
      hashes,
      kind: textField(pkg, 'primaryPackagePurpose')?.toLowerCase().replace(/_/g, '-') ?? null,
      ...(validUntil === null ? {} : { support: { endOfSupport: validUntil } }),
    });
  });

  const packageRefs = new Set(components.map((c) => c.ref));
  const documentId = textField(doc, 'SPDXID') ?? 'SPDXRef-DOCUMENT';
  const described = new Set(arrayField(doc, 'documentDescribes').filter((x): x is string => typeof x === 'string'));
  const dependencies: DependencyEdge[] = [];
  const parents = new Map<string, string>();
  arrayField(doc, 'relationships').forEach((r, i) => {
    const left = textField(r, 'spdxElementId');
    const type = textField(r, 'relationshipType')?.toUpperCase() ?? null;
    const right = textField(r, 'relatedSpdxElement');
    if (left === null || type === null || right === null) {
      sink.add(
        'INTEL_SBOM_INVALID',
        'a relationship needs spdxElementId, relationshipType and relatedSpdxElement',
        {
          record: `relationships[${String(i)}]`,
          field: `relationships[${String(i)}]`,
        },
        'warning',
      );
      return;
    }
    if (type === 'DESCRIBES' && left === documentId) described.add(right);
    if (type === 'DESCRIBED_BY' && right === documentId) described.add(left);
    const edge = FORWARD.has(type) ? { from: left, to: right } : BACKWARD.has(type) ? { from: right, to: left } : null;
    if (edge === null || !packageRefs.has(edge.from) || !packageRefs.has(edge.to)) return;
    dependencies.push(edge);
    if ((type === 'CONTAINS' || type === 'CONTAINED_BY') && !parents.has(edge.to)) parents.set(edge.to, edge.from);
  });
  const withParents = components.map((c) => {
    const parent = parents.get(c.ref);
    return parent === undefined ? c : { ...c, parent };
  });
  const subject = withParents.find((c) => described.has(c.ref));
  return {
    format,
    specVersion,
    serial: textField(doc, 'documentNamespace'),
    version: null,
    subject: {
      name: subject?.name ?? textField(doc, 'name'),
      version: subject?.version ?? null,
      manufacturer: subject?.supplier ?? null,
    },
    components: withParents,
    dependencies,
    vex: [],
  };
}
