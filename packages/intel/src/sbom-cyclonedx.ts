/**
 * @module sbom-cyclonedx
 * Reads CycloneDX 1.2–1.6 BOMs (JSON, or XML turned into the same shape by `cyclonedx-xml.ts`)
 * into Ward's `Sbom`: components (nested ones flattened with their parent's ref), identity (purl
 * normalised, CPE 2.3), hashes, FDA support properties, the dependency graph and embedded VEX.
 * A malformed component is reported with its ref and field; the rest of the BOM is still read.
 */
import { arrayField, field, isRecord, stringField, textField } from './json-access.js';
import type { Component, ComponentHash, DependencyEdge, Sbom, SbomFormat } from '@ward/core';
import type { ProblemSink } from './problem.js';
import { normalizePurl } from './purl.js';
import { normalizeCpe } from './sbom-identity.js';
import { readSupportProperty } from './sbom-support.js';
import { readCycloneDxVulnerabilities, type RefIdentity } from './vex-cyclonedx-read.js';

export const CYCLONEDX_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6'] as const;

function supplierOf(raw: unknown): string | null {
  return (
    textField(field(raw, 'supplier'), 'name') ??
    textField(field(raw, 'manufacturer'), 'name') ??
    textField(raw, 'publisher') ??
    textField(raw, 'author')
  );
}

function readHashes(raw: unknown, record: string, path: string, sink: ProblemSink): ComponentHash[] {
  const hashes: ComponentHash[] = [];
  arrayField(raw, 'hashes').forEach((h, i) => {
    const alg = textField(h, 'alg');
    const content = textField(h, 'content');
    if (alg === null || content === null) {
      sink.add(
        'INTEL_SBOM_INVALID',
        'a hash needs alg and content',
        { record, field: `${path}.hashes[${String(i)}]` },
        'warning',
      );
      return;
    }
    hashes.push({ alg, content: content.toLowerCase() });
  });
  return hashes;
}

interface Walk {
  readonly sink: ProblemSink;
  readonly components: Component[];
  readonly seen: Set<string>;
}

function readComponent(raw: unknown, path: string, parent: string | null, walk: Walk): void {
  const { sink } = walk;
  if (!isRecord(raw)) {
    sink.add('INTEL_SBOM_INVALID', 'a component must be an object', { record: path, field: path });
    return;
  }
  let ref = textField(raw, 'bom-ref') ?? path;
  if (walk.seen.has(ref)) {
    sink.add(
      'INTEL_SBOM_INVALID',
      `bom-ref ${ref} is used twice`,
      { record: ref, field: `${path}.bom-ref` },
      'warning',
    );
    ref = `${ref}#${path}`;
  }
  walk.seen.add(ref);

  let purl: string | null = null;
  const rawPurl = stringField(raw, 'purl');
  if (rawPurl !== null) {
    const p = normalizePurl(rawPurl);
    if (p.ok) purl = p.value;
    else
      sink.add('INTEL_PURL_INVALID', `${JSON.stringify(rawPurl)}: ${p.reason}`, { record: ref, field: `${path}.purl` });
  }
  let cpe: string | null = null;
  const rawCpe = stringField(raw, 'cpe');
  if (rawCpe !== null && rawCpe.trim() !== '') {
    const c = normalizeCpe(rawCpe);
    if (c.ok) cpe = c.value;
    else sink.add('INTEL_CPE_INVALID', `${JSON.stringify(rawCpe)}: ${c.reason}`, { record: ref, field: `${path}.cpe` });
  }
  let name = textField(raw, 'name');
  if (name === null) {
    sink.add('INTEL_SBOM_INVALID', 'a component needs a name', { record: ref, field: `${path}.name` });
    name = '';
  }
  const support: { endOfSupport?: string; levelOfSupport?: string } = {};
  arrayField(raw, 'properties').forEach((p) => {
    const n = stringField(p, 'name');
    const v = textField(p, 'value');
    if (n !== null && v !== null) readSupportProperty(n, v, support);
  });
  const group = textField(raw, 'group');
  walk.components.push({
    ref,
    name,
    version: textField(raw, 'version'),
    supplier: supplierOf(raw),
    purl,
    cpe,
    hashes: readHashes(raw, ref, path, sink),
    kind: textField(raw, 'type')?.toLowerCase() ?? null,
    ...(support.endOfSupport !== undefined || support.levelOfSupport !== undefined ? { support } : {}),
    ...(group === null ? {} : { group }),
    ...(parent === null ? {} : { parent }),
  });
  arrayField(raw, 'components').forEach((child, i) => {
    readComponent(child, `${path}.components[${String(i)}]`, ref, walk);
  });
}

/** Reads a CycloneDX BOM already parsed into its JSON shape. */
export function readCycloneDx(doc: unknown, format: SbomFormat, sink: ProblemSink): Sbom | null {
  const specVersion = stringField(doc, 'specVersion') ?? '';
  if (!(CYCLONEDX_VERSIONS as readonly string[]).includes(specVersion)) {
    sink.add(
      'INTEL_SBOM_FORMAT',
      `CycloneDX ${specVersion === '' ? '(no specVersion)' : specVersion} is outside 1.2–1.6; read on a best-effort basis`,
      { field: 'specVersion' },
      'warning',
    );
  }
  const walk: Walk = { sink, components: [], seen: new Set() };
  const rawComponents = field(doc, 'components');
  if (rawComponents !== undefined && !Array.isArray(rawComponents)) {
    sink.add('INTEL_SBOM_INVALID', 'components must be an array', { field: 'components' });
  } else {
    arrayField(doc, 'components').forEach((c, i) => {
      readComponent(c, `components[${String(i)}]`, null, walk);
    });
  }

  const metadata = field(doc, 'metadata');
  const subjectRaw = field(metadata, 'component');
  const subjectRef = textField(subjectRaw, 'bom-ref');
  const known = new Set(walk.components.map((c) => c.ref));
  if (subjectRef !== null) known.add(subjectRef);

  const dependencies: DependencyEdge[] = [];
  arrayField(doc, 'dependencies').forEach((d, i) => {
    const from = textField(d, 'ref');
    if (from === null) {
      sink.add('INTEL_SBOM_INVALID', 'a dependency needs a ref', {
        record: `dependencies[${String(i)}]`,
        field: `dependencies[${String(i)}].ref`,
      });
      return;
    }
    for (const [j, to] of arrayField(d, 'dependsOn').entries()) {
      const target = typeof to === 'string' ? to : textField(to, 'ref');
      if (target === null) {
        sink.add('INTEL_SBOM_INVALID', 'dependsOn entries are refs', {
          record: from,
          field: `dependencies[${String(i)}].dependsOn[${String(j)}]`,
        });
        continue;
      }
      if (!known.has(target) || !known.has(from)) {
        sink.add(
          'INTEL_SBOM_INVALID',
          `dependency ${from} → ${target} names a ref the BOM does not define`,
          { record: from, field: `dependencies[${String(i)}]` },
          'warning',
        );
      }
      dependencies.push({ from, to: target });
    }
  });

  const refs = new Map<string, RefIdentity>();
  for (const c of walk.components) refs.set(c.ref, { purl: c.purl, cpe: c.cpe, name: c.name, version: c.version });
  if (subjectRef !== null && !refs.has(subjectRef)) {
    const p = stringField(subjectRaw, 'purl');
    const np = p === null ? null : normalizePurl(p);
    const c = stringField(subjectRaw, 'cpe');
    const nc = c === null ? null : normalizeCpe(c);
    refs.set(subjectRef, {
      purl: np?.ok ? np.value : null,
      cpe: nc?.ok ? nc.value : null,
      name: textField(subjectRaw, 'name'),
      version: textField(subjectRaw, 'version'),
    });
  }
  const serial = textField(doc, 'serialNumber');
  // An unjustified not_affected is reported and left out: it must never be applied.
  const vex = readCycloneDxVulnerabilities(arrayField(doc, 'vulnerabilities'), refs, sink, serial ?? sink.file);
  const version = field(doc, 'version');
  return {
    format,
    specVersion,
    serial,
    version: typeof version === 'number' && Number.isFinite(version) ? version : null,
    subject: {
      name: textField(subjectRaw, 'name'),
      version: textField(subjectRaw, 'version'),
      manufacturer:
        textField(field(metadata, 'manufacturer'), 'name') ??
        textField(field(metadata, 'manufacture'), 'name') ??
        textField(field(subjectRaw, 'manufacturer'), 'name') ??
        textField(field(subjectRaw, 'supplier'), 'name') ??
        textField(field(metadata, 'supplier'), 'name') ??
        textField(subjectRaw, 'publisher'),
    },
    components: walk.components,
    dependencies,
    vex,
  };
}
