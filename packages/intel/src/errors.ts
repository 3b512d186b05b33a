/**
 * @module errors
 * The SBOM and VEX error codes of `@ward/intel`. Parsers report these inside `IntelProblem` values
 * (a malformed record does not stop the rest of the file); the CLI raises them as `IntelError` when
 * an operation cannot complete. The matcher's and feeds' codes live in `match-errors.ts`.
 */
import { WardError } from '@ward/core';

export const INTEL_ERROR_CODES = [
  /** The document is not well-formed (JSON/XML syntax) or a record breaks the format's rules. */
  'INTEL_SBOM_INVALID',
  /** The content is not a supported SBOM format or spec version. */
  'INTEL_SBOM_FORMAT',
  /** The document does not validate against its format's published schema. */
  'INTEL_SBOM_SCHEMA',
  /** A package URL does not parse (purl-spec). */
  'INTEL_PURL_INVALID',
  /** A CPE is neither a CPE 2.3 formatted string nor a CPE 2.2 URI. */
  'INTEL_CPE_INVALID',
  /** A VEX document or statement is malformed. */
  'INTEL_VEX_INVALID',
  /** The content is not a supported VEX format (CycloneDX, CSAF VEX profile, OpenVEX). */
  'INTEL_VEX_FORMAT',
  /** A `not_affected` statement has neither a justification nor an impact statement. */
  'INTEL_VEX_JUSTIFICATION_MISSING',
  /** A VEX document Ward wrote does not validate against its schema (a bug in Ward). */
  'INTEL_VEX_SCHEMA',
  /** There is no VEX decision to export for the device model asked for. */
  'INTEL_VEX_EMPTY',
] as const;
export type IntelErrorCode = (typeof INTEL_ERROR_CODES)[number];

export class IntelError extends WardError<IntelErrorCode> {
  override readonly name = 'IntelError';
}
