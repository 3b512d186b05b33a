/**
 * @module @ward/sensor
 * Ward's sensor: runs wire over capture files or a live interface and turns events into device
 * observations, then observations into devices typed by data-file fingerprint rules.
 */
export { SensorError, SENSOR_ERROR_CODES } from './errors.js';
export type { SensorErrorCode } from './errors.js';
export { OBSERVATION_KINDS, observationId, isoOf } from './observation.js';
export type { Observation, ObservationKind, ObservationValue } from './observation.js';
export { Observer } from './observe.js';
export type { ObserverOptions } from './observe.js';
export { buildDevices, findGateways } from './devices.js';
export type { BuildOptions, SensorDevice } from './devices.js';
export { classifyDevice, matchRule } from './classify.js';
export type { Classification, DeviceFacts } from './classify.js';
export { loadRules, parseRules, DEFAULT_RULES_DIR, STRING_FACTS, COUNT_FACTS, FLAG_FACTS } from './rules.js';
export type { FingerprintRule, RuleCondition } from './rules.js';
export { loadOuiRegistry, defaultOuiRegistry, DEFAULT_IEEE_DATA_DIR } from './oui.js';
export type { OuiRegistry } from './oui.js';
export { scan, scanStream, openCapture, decodeStream } from './scan.js';
export type { ScanOptions, ScanResult, ScanStats } from './scan.js';
export { runLiveSensor, toObservationRow } from './live.js';
export type { LiveOptions, LiveResult } from './live.js';
