/**
 * @module match-errors
 * Error codes of intel's feed parsers, version and CPE syntax, and the matcher, and the shape of a
 * reported problem. Feed parsers never throw on bad records: each problem is a value naming file,
 * record and field, and the rest of the file is processed.
 */
import { problem, WardError, type Problem, type ProblemSeverity } from '@ward/core';

export const INTEL_MATCH_ERROR_CODES = [
  'INTEL_FEED_UNRECOGNISED',
  'INTEL_FEED_MALFORMED',
  'INTEL_FEED_RECORD_INVALID',
  'INTEL_FEED_RANGE_UNSUPPORTED',
  'INTEL_CSAF_INVALID',
  'INTEL_VERS_INVALID',
  'INTEL_INVENTORY_INVALID',
  'INTEL_SYNC_HTTP',
  'INTEL_SYNC_HASH_MISMATCH',
  'INTEL_SYNC_SOURCE_INVALID',
] as const;
/** INTEL_CPE_INVALID is shared with the SBOM parser and listed in INTEL_ERROR_CODES (errors.ts). */
export type IntelMatchErrorCode = (typeof INTEL_MATCH_ERROR_CODES)[number] | 'INTEL_CPE_INVALID';

export class IntelMatchError extends WardError<IntelMatchErrorCode> {
  override readonly name = 'IntelMatchError';
}

/**
 * One problem found while reading a feed or an inventory: core's `Problem` with an intel code.
 * `error`: the record (or file) was skipped; `warning`: it was used but breaks its format's rules;
 * `info`: something was ignored on purpose (a GIT range) and why. The record is a record id or
 * index ("CVE-2021-1234", "vulnerabilities[3]"); the field a JSON path or column.
 */
export type FeedProblem = Problem<IntelMatchErrorCode>;

export function feedProblem(
  code: IntelMatchErrorCode,
  file: string,
  record: string | null,
  field: string | null,
  message: string,
  severity: ProblemSeverity = 'error',
): FeedProblem {
  return problem(code, message, { file, record, field, severity });
}
