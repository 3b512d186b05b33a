/**
 * @module errors
 * The lab's error codes. A scenario file that cannot run is refused before anything starts
 * (`LAB_SCENARIO_INVALID`, naming file, line and field); a run that cannot complete tears down
 * everything it made and then reports one of the others.
 */
import { WardError } from '@ward/core';

export const LAB_ERROR_CODES = [
  'LAB_SCENARIO_INVALID',
  'LAB_SCENARIO_NOT_FOUND',
  'LAB_UNSUPPORTED',
  'LAB_TOOL_MISSING',
  'LAB_DATA_MISSING',
  'LAB_SERVICE_FAILED',
  'LAB_INTERRUPTED',
  'LAB_COMMAND_FAILED',
] as const;
export type LabErrorCode = (typeof LAB_ERROR_CODES)[number];

export class LabError extends WardError<LabErrorCode> {
  override readonly name = 'LabError';
}
