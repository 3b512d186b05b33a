/**
 * @module lab
 * Ward's hospital network in a box: real clinical peers and real attacks in network namespaces,
 * recorded as labelled captures (capture.pcap, labels.jsonl, inventory.json, scenario.json).
 */
export { LAB_ERROR_CODES, LabError } from './errors.js';
export type { LabErrorCode } from './errors.js';
export { ATTACK_KINDS, BENIGN_KINDS, SERVICE_KINDS, isAttack, loadScenario, parseScenario } from './scenario.js';
export type { AttackKind, BenignKind, DeviceSpec, Scenario, ServiceKind, StepKind, StepSpec } from './scenario.js';
export { findScenario, listScenarioNames, scenarioFileOf } from './scenario-files.js';
export { planTimeline } from './timeline.js';
export type { PlannedAction } from './timeline.js';
export { runScenario } from './runner.js';
export type { RunOptions, RunReport } from './runner.js';
export { cleanLeftovers } from './clean.js';
export type { CleanReport } from './clean.js';
export { labSupport, SCENARIOS_DIR } from './preflight.js';
export { TECHNIQUES } from './techniques.js';
export type { Technique } from './techniques.js';
export { DEBIAN_PACKAGES, TOOLS } from './outputs.js';
export type { Inventory, InventoryDevice, Label } from './outputs.js';
export { parseJsonWithPositions } from './json-positions.js';
export type { Position, PositionedJson } from './json-positions.js';
