/**
 * @module errors
 * The sensor's error codes. Bad rule files, unreadable captures and a capture process that cannot
 * run are the only failures: a malformed packet is never one (wire reports it as a decode error
 * and the sensor counts it).
 */
import { WardError } from '@ward/core';

export const SENSOR_ERROR_CODES = [
  'SENSOR_RULES_INVALID',
  'SENSOR_CAPTURE_UNREADABLE',
  'SENSOR_CAPTURE_FAILED',
] as const;
export type SensorErrorCode = (typeof SENSOR_ERROR_CODES)[number];

export class SensorError extends WardError<SensorErrorCode> {
  override readonly name = 'SensorError';
}
