/**
 * @module vex-cyclonedx-write
 * Writes a CycloneDX 1.6 VEX BOM for a device model through @cyclonedx/cyclonedx-library's models
 * and JSON serializer: the device is `metadata.component`, each statement component a component
 * (its key as bom-ref, purl or CPE set when the key is one), each statement a vulnerability with
 * its analysis and one `affects` target (with the version range when the statement has one).
 * `validateCycloneDxVex` checks the result with the library's JSON schema validator.
 */
import { Enums, Models, Serialize, Spec, Validation } from '@cyclonedx/cyclonedx-library';
import type { VexStatement, VexStatus } from '@ward/core';
import { type VexProblem, ProblemSink } from './problem.js';
import { normalizePurl } from './purl.js';
import { normalizeCpe } from './sbom-identity.js';
import { type VexDocumentInput, derivedUuid, distinctComponents } from './vex-document.js';
import { justificationToCycloneDx, statusToCycloneDxState } from './vex-justification.js';

const PRODUCT_REF = 'ward:product';
const STATES = new Map<string, Enums.Vulnerability.AnalysisState>(
  Object.values(Enums.Vulnerability.AnalysisState).map((v) => [v, v]),
);
const JUSTIFICATIONS = new Map<string, Enums.Vulnerability.AnalysisJustification>(
  Object.values(Enums.Vulnerability.AnalysisJustification).map((v) => [v, v]),
);

function affectStatus(status: VexStatus): Enums.Vulnerability.AffectStatus {
  switch (status) {
    case 'not_affected':
    case 'fixed':
      return Enums.Vulnerability.AffectStatus.Unaffected;
    case 'affected':
      return Enums.Vulnerability.AffectStatus.Affected;
    case 'under_investigation':
      return Enums.Vulnerability.AffectStatus.Unknown;
  }
}

function componentFor(statement: VexStatement): Models.Component {
  const key = statement.component;
  const purl = key.startsWith('pkg:') ? normalizePurl(key) : null;
  const cpe = key.startsWith('cpe:') ? normalizeCpe(key) : null;
  return new Models.Component(Enums.ComponentType.Library, statement.componentName ?? key, {
    bomRef: key,
    ...(statement.componentVersion === undefined ? {} : { version: statement.componentVersion }),
    ...(purl?.ok ? { purl: purl.value } : {}),
    ...(cpe?.ok ? { cpe: cpe.value } : {}),
  });
}

function vulnerabilityFor(statement: VexStatement, ref: Models.BomRef): Models.Vulnerability.Vulnerability {
  const range = statement.versionRange;
  const versions =
    range === undefined
      ? []
      : [new Models.Vulnerability.AffectedVersionRange(range, { status: affectStatus(statement.status) })];
  const affect = new Models.Vulnerability.Affect(ref, {
    versions: new Models.Vulnerability.AffectedVersionRepository(versions),
  });
  const stateText = statusToCycloneDxState(statement.status, statement.sourceStatus);
  const state = STATES.get(stateText);
  const justificationText =
    statement.status === 'not_affected' && statement.justification !== undefined
      ? justificationToCycloneDx(statement.justification, statement.sourceJustification)
      : undefined;
  const justification = justificationText === undefined ? undefined : JUSTIFICATIONS.get(justificationText);
  const updated = statement.timestamp === undefined ? undefined : new Date(statement.timestamp);
  return new Models.Vulnerability.Vulnerability({
    id: statement.vulnerability,
    analysis: new Models.Vulnerability.Analysis({
      ...(state === undefined ? {} : { state }),
      ...(justification === undefined ? {} : { justification }),
      ...(statement.impactStatement === undefined ? {} : { detail: statement.impactStatement }),
    }),
    affects: new Models.Vulnerability.AffectRepository([affect]),
    ...(statement.actionStatement === undefined ? {} : { recommendation: statement.actionStatement }),
    ...(updated !== undefined && !Number.isNaN(updated.getTime()) ? { updated } : {}),
  });
}

/** Serialises the statements as a CycloneDX 1.6 JSON VEX document. */
export function writeCycloneDxVex(input: VexDocumentInput): string {
  const { product } = input;
  const productPurl = product.purl === undefined ? null : normalizePurl(product.purl);
  const productCpe = product.cpe === undefined ? null : normalizeCpe(product.cpe);
  const device = new Models.Component(Enums.ComponentType.Device, product.name, {
    bomRef: PRODUCT_REF,
    ...(product.version ? { version: product.version } : {}),
    supplier: new Models.OrganizationalEntity({ name: product.manufacturer }),
    ...(productPurl?.ok ? { purl: productPurl.value } : {}),
    ...(productCpe?.ok ? { cpe: productCpe.value } : {}),
  });
  const components = distinctComponents(input.statements).map(componentFor);
  const byKey = new Map(components.map((c) => [c.bomRef.value ?? '', c]));
  const bom = new Models.Bom({
    version: input.version ?? 1,
    serialNumber: `urn:uuid:${input.id !== undefined && /^[0-9a-f-]{36}$/i.test(input.id) ? input.id : derivedUuid(input.id ?? JSON.stringify(input))}`,
    metadata: new Models.Metadata({
      timestamp: new Date(input.timestamp),
      component: device,
      authors: new Models.OrganizationalContactRepository([new Models.OrganizationalContact({ name: input.author })]),
    }),
    components: new Models.ComponentRepository(components),
  });
  for (const statement of input.statements) {
    const component = byKey.get(statement.component);
    if (component) bom.vulnerabilities.add(vulnerabilityFor(statement, component.bomRef));
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: false, space: 2 });
}

let validator: Validation.JsonValidator | undefined;

/** Validates a CycloneDX 1.6 JSON document with the library's schema validator. */
export async function validateCycloneDxVex(json: string, fileName = 'vex.cdx.json'): Promise<VexProblem[]> {
  validator ??= new Validation.JsonValidator(Spec.Version.v1dot6);
  const sink = new ProblemSink(fileName);
  const errors: unknown = await validator.validate(json);
  if (errors !== null) {
    for (const e of Array.isArray(errors) ? (errors as unknown[]) : [errors]) {
      const err = e as { instancePath?: string; message?: string };
      sink.add('INTEL_VEX_SCHEMA', `${err.instancePath ?? ''} ${err.message ?? 'schema violation'}`, {
        field: err.instancePath ?? null,
      });
    }
  }
  return sink.problems;
}
