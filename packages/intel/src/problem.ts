/**
 * @module problem
 * Problems found while reading an SBOM or VEX document, as core's `Problem` values: each names the
 * file, the record (component ref or index, statement index) and the field path
 * (`components[3].purl`, `/vulnerabilities/0/analysis`), so a person can find it; the rest of the
 * document is still processed.
 */
import { problem, type Problem } from '@ward/core';
import type { IntelErrorCode } from './errors.js';

/** A problem found in an SBOM or VEX document: core's `Problem` with an intel code. */
export type IntelProblem = Problem<IntelErrorCode>;
/** A problem found in an SBOM. */
export type SbomProblem = IntelProblem;
/** A problem found in a VEX document. */
export type VexProblem = IntelProblem;

/** Collects problems for one file. */
export class ProblemSink {
  readonly problems: IntelProblem[] = [];
  constructor(readonly file: string) {}

  add(
    code: IntelErrorCode,
    message: string,
    where: { readonly record?: string | null; readonly field?: string | null } = {},
    severity: 'error' | 'warning' = 'error',
  ): void {
    this.problems.push(problem(code, message, { ...where, file: this.file, severity }));
  }
}
