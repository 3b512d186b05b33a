/**
 * @module problem
 * A problem found while reading an SBOM or VEX document: a value, not an exception. Each names the
 * file, the record (component ref or index, statement index) and the field path, so a person can
 * find it; the rest of the document is still processed.
 */
import type { IntelErrorCode } from './errors.js';

export interface IntelProblem {
  readonly code: IntelErrorCode;
  /** 'error': the record (or document) was skipped or is incomplete; 'warning': kept as read. */
  readonly severity: 'error' | 'warning';
  readonly file: string;
  /** The record: a component's ref or `components[3]`, a statement's index; null for the document. */
  readonly record: string | null;
  /** The field path inside the document (`components[3].purl`, `/vulnerabilities/0/analysis`). */
  readonly field: string | null;
  readonly message: string;
}

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
    this.problems.push({
      code,
      severity,
      file: this.file,
      record: where.record ?? null,
      field: where.field ?? null,
      message,
    });
  }
}
