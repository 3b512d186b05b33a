/**
 * @module @ward/core
 * Ward's domain model and pure logic. Imports nothing of ours and no Node-only API.
 */
export { canonicalJson } from './canonical-json.js';
export { problem } from './problem.js';
export type { Problem, ProblemPlace, ProblemSeverity, Result } from './problem.js';
export { WardError, CORE_ERROR_CODES, isWardError, hasErrorCode } from './errors.js';
export type { ErrorDetails, WardErrorOptions, CoreErrorCode } from './errors.js';
export { ROLES, PERMISSIONS, isRole, permissionsOf, roleGrants, isAllowed } from './access.js';
export type { Role, Permission, RouteAccess } from './access.js';
export { DEVICE_TYPES } from './device.js';
export type { Device, DeviceType } from './device.js';
export type { User, ApiToken, Session } from './account.js';
export { blankDiscoveredDevice } from './discovery.js';
export type { DiscoveredDevice, DiscoveryEvidence } from './discovery.js';
export {
  CRITICALITIES,
  LIFECYCLE_STATES,
  SUPPORT_STATUSES,
  SOURCE_KINDS,
  DEFAULT_SOURCE_RANKING,
  isCriticality,
  isLifecycleState,
  isSupportStatus,
  matchableDevice,
} from './inventory.js';
export type {
  Criticality,
  LifecycleState,
  SupportStatus,
  SourceKind,
  ProvenanceSource,
  DeviceLocation,
  DeviceDocumentLink,
  FieldProvenance,
  FieldConflict,
  InventoryDevice,
  MatchableDevice,
} from './inventory.js';
export { parseUdi, gs1CheckDigit, hibccCheckCharacter } from './udi.js';
export type { Udi, UdiProblem, ParseUdiOptions } from './udi.js';
export { sbomIdentity } from './software.js';
export type { Component, ComponentHash, DependencyEdge, Sbom, SbomFormat } from './software.js';
export type {
  AffectedSpec,
  CpeMatch,
  CpeNode,
  CvssScore,
  EpssScore,
  KevEntry,
  NamedProduct,
  Remediation,
  VersionRange,
  Vulnerability,
  VulnSource,
} from './vulnerability.js';
export type { VexJustification, VexStatement, VexStatus } from './vex.js';
export { findingId } from './finding.js';
export type { Finding, FindingEvidence, FindingIdentity, FindingView, MatchedOn, MatchRule } from './finding.js';
export { sha256Hex, utf8Bytes } from './sha256.js';
