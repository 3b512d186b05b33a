/**
 * @module sbom-schema
 * Validates an SBOM against its format's published schema where a validator is available:
 * CycloneDX JSON 1.2–1.6 through @cyclonedx/cyclonedx-library's JSON validator (ajv over the
 * spec's own schema files). CycloneDX XML would need the library's XSD validator, which needs the
 * native `libxmljs2`; Ward does not depend on it, so XML (and SPDX, whose schema is not packaged)
 * is checked structurally by the parser only, and the result says which check ran.
 */
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { parseJson, stringField } from './json-access.js';
import { type SbomProblem, ProblemSink } from './problem.js';
import { detectSbomFormat } from './sbom-parse.js';
import { decodeText } from './text-decode.js';

export interface SbomSchemaResult {
  /** 'schema' when the published schema was applied; 'structural' when only the parser's checks ran. */
  readonly checked: 'schema' | 'structural';
  readonly problems: readonly SbomProblem[];
}

const SCHEMA_VERSIONS: ReadonlyMap<string, Spec.Version> = new Map([
  ['1.2', Spec.Version.v1dot2],
  ['1.3', Spec.Version.v1dot3],
  ['1.4', Spec.Version.v1dot4],
  ['1.5', Spec.Version.v1dot5],
  ['1.6', Spec.Version.v1dot6],
]);
const validators = new Map<string, Validation.JsonValidator>();

/** Ajv errors as Ward problems: one per error, the JSON pointer as field. */
function problemsOf(errors: unknown, sink: ProblemSink): void {
  const list = Array.isArray(errors) ? (errors as unknown[]) : [errors];
  for (const e of list.slice(0, 100)) {
    const pointer = stringField(e, 'instancePath') ?? '';
    const message = stringField(e, 'message') ?? 'does not match the schema';
    const record = /^\/(components|vulnerabilities|dependencies)\/\d+/.exec(pointer)?.[0] ?? null;
    sink.add(
      'INTEL_SBOM_SCHEMA',
      `${pointer === '' ? '(document)' : pointer} ${message}`,
      { record, field: pointer === '' ? null : pointer },
      'warning',
    );
  }
  if (list.length > 100)
    sink.add('INTEL_SBOM_SCHEMA', `${String(list.length - 100)} further schema errors not listed`, {}, 'warning');
}

/** Validates CycloneDX JSON against the schema of its `specVersion`. */
export async function validateSbomSchema(content: string | Uint8Array, fileName: string): Promise<SbomSchemaResult> {
  const sink = new ProblemSink(fileName);
  const text = decodeText(content);
  if (detectSbomFormat(text) !== 'cyclonedx-json') return { checked: 'structural', problems: [] };
  const parsed = parseJson(text);
  if (!parsed.ok) return { checked: 'structural', problems: [] };
  const version = SCHEMA_VERSIONS.get(stringField(parsed.value, 'specVersion') ?? '');
  if (version === undefined) return { checked: 'structural', problems: [] };
  let validator = validators.get(version);
  if (validator === undefined) {
    validator = new Validation.JsonValidator(version);
    validators.set(version, validator);
  }
  const errors: unknown = await validator.validate(text);
  if (errors !== null) problemsOf(errors, sink);
  return { checked: 'schema', problems: sink.problems };
}
