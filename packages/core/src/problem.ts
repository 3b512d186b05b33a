/**
 * @module problem
 * The one shape of a problem found in input, across Ward: an SBOM record with a bad purl, a feed
 * record without an id, an inventory row with a bad IP address, a UDI carrier that does not parse.
 * A problem is a value, not an exception: it names the file, the record and the field so a person
 * can find it, and the rest of the input is still read. `Result` carries a value with the problems
 * met on the way, or only problems when there is no value.
 */

/**
 * 'error': the record (or document) was skipped or is incomplete; 'warning': it was kept, but it
 * breaks its format's rules or was read with a guess; 'info': something was ignored on purpose (an
 * OSV GIT range), and why. Feeds report 'info' in `ward match --json`, so it stays one of the three.
 */
export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface Problem<C extends string = string> {
  /** A code of the package's closed union (`INTEL_PURL_INVALID`, `INVENTORY_CSV_INVALID`…), listed in docs/errors.md. */
  readonly code: C;
  readonly severity: ProblemSeverity;
  readonly message: string;
  /** The file (or input name) it was found in; null when the input has none (a value typed in). */
  readonly file: string | null;
  /** The record: a component's ref, `row 12`, `Bundle.entry[3]`, `CVE-2021-1234`; null for the whole input. */
  readonly record: string | null;
  /** The field: a JSON path or pointer, a CSV column, a FHIR path; null when not one field. */
  readonly field: string | null;
}

/** Where a problem is, for `problem()`; what is left out is null (severity: 'error'). */
export interface ProblemPlace {
  readonly file?: string | null;
  readonly record?: string | null;
  readonly field?: string | null;
  readonly severity?: ProblemSeverity;
}

/** Builds a problem. */
export function problem<C extends string>(code: C, message: string, where: ProblemPlace = {}): Problem<C> {
  // Key order as the JSON outputs have always printed it.
  return {
    code,
    severity: where.severity ?? 'error',
    file: where.file ?? null,
    record: where.record ?? null,
    field: where.field ?? null,
    message,
  };
}

/**
 * The outcome of reading something: a value and the problems met on the way (warnings, records
 * skipped), or no value and the problems that prevented one. Branch on `ok`.
 */
export type Result<T, P = Problem> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly P[] }
  | { readonly ok: false; readonly problems: readonly P[] };
