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
