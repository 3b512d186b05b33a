/**
 * @module @ward/intel
 * Software and vulnerability intelligence: SBOM and advisory importers, version semantics, the
 * matcher and VEX. Pure parsing and matching; persistence goes through @ward/store.
 */
export type {
  AffectedSpec,
  Component,
  ComponentHash,
  CpeMatch,
  CpeNode,
  CvssScore,
  DependencyEdge,
  Finding,
  MatchRule,
  NamedProduct,
  Sbom,
  SbomFormat,
  VersionRange,
  VexJustification,
  VexStatement,
  VexStatus,
  Vulnerability,
  VulnSource,
} from './model.js';
export { INTEL_ERROR_CODES, IntelError } from './errors.js';
export type { IntelErrorCode } from './errors.js';
export type { IntelProblem, SbomProblem, VexProblem } from './problem.js';
export { detectSbomFormat, parseSbom } from './sbom-parse.js';
export type { SbomParseResult } from './sbom-parse.js';
export { validateSbomSchema } from './sbom-schema.js';
export type { SbomSchemaResult } from './sbom-schema.js';
export { normalizeCpe, normalizePurl, splitCpe23 } from './sbom-identity.js';
export type { Normalised } from './sbom-identity.js';
export {
  CYCLONEDX_JUSTIFICATIONS,
  VEX_JUSTIFICATIONS,
  VEX_STATUSES,
  justificationFromCycloneDx,
  justificationToCycloneDx,
} from './vex-justification.js';
export type { CycloneDxJustification } from './vex-justification.js';
export { parseVex } from './vex-parse.js';
export type { VexFormat, VexParseResult } from './vex-parse.js';
export type { VexDocumentInput, VexProduct } from './vex-document.js';
export { validateCycloneDxVex, writeCycloneDxVex } from './vex-cyclonedx-write.js';
export { validateCsafVex, writeCsafVex } from './vex-csaf.js';
export { OPENVEX_CONTEXT, validateOpenVex, writeOpenVex } from './vex-openvex.js';
