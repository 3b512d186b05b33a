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
  EpssScore,
  Finding,
  KevEntry,
  MatchableDevice,
  MatchRule,
  NamedProduct,
  Remediation,
  Sbom,
  SbomFormat,
  VersionRange,
  VexJustification,
  VexStatement,
  VexStatus,
  Vulnerability,
  VulnSource,
} from '@ward/core';
export { INTEL_ERROR_CODES, IntelError } from './errors.js';
export type { IntelErrorCode } from './errors.js';
export type { IntelProblem, SbomProblem, VexProblem } from './problem.js';
export { detectSbomFormat, parseSbom } from './sbom-parse.js';
export type { SbomParseResult } from './sbom-parse.js';
export { validateSbomSchema } from './sbom-schema.js';
export type { SbomSchemaResult } from './sbom-schema.js';
export { normalizeCpe } from './sbom-identity.js';
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

// Feeds, version semantics, CPE and the matcher (ADR 0007).
export { INTEL_MATCH_ERROR_CODES, IntelMatchError, feedProblem } from './match-errors.js';
export type { FeedProblem, IntelMatchErrorCode } from './match-errors.js';
export { VERSION_SCHEME_NAMES, versionScheme, schemeForEcosystem, schemeOfRange } from './versions/scheme.js';
export type { VersionScheme, VersionSchemeName } from './versions/scheme.js';
export { parseVers, versContains, formatVers } from './versions/vers.js';
export type { VersComparator, VersConstraint, VersRange } from './versions/vers.js';
export { rangeContains, describeRange } from './versions/range.js';
export {
  parseCpe,
  parseCpe23,
  parseCpe22Uri,
  tryParseCpe,
  formatCpe23,
  splitCpe23,
  CPE_ATTRIBUTES,
} from './cpe/cpe.js';
export type { Cpe, CpeAttribute, CpeValue } from './cpe/cpe.js';
export {
  compareCpeValues,
  cpeRelation,
  isCpeSuperset,
  isCpeSubset,
  isCpeEqual,
  isCpeDisjoint,
} from './cpe/cpe-match.js';
export type { CpeRelation } from './cpe/cpe-match.js';
export { CpeSubjects, evaluateNode, evaluateConfigurations, matchCriteria } from './cpe/cpe-config.js';
export type { CpeHit, CpeSubject, NodeResult } from './cpe/cpe-config.js';
export { cvss3BaseScore, cvss2BaseScore, cvssFromVector, bestCvss } from './cvss.js';
export { normalizePurl, purlIdentity, purlOfOsvPackage } from './purl.js';
export type { PurlIdentity } from './purl.js';
export { FEED_FORMATS } from './feeds/feed-types.js';
export type { FeedFormat, FeedResult } from './feeds/feed-types.js';
export { detectFeedFormat, detectJsonFeedFormat, parseFeed } from './feeds/detect.js';
export { parseNvdApi2 } from './feeds/nvd.js';
export { parseCve5 } from './feeds/cve5.js';
export { parseOsv } from './feeds/osv.js';
export { parseCsaf, csafProducts } from './feeds/csaf.js';
export { validateCsaf } from './feeds/csaf-validate.js';
export { parseKev } from './feeds/kev.js';
export { parseProviderMetadata, parseRolieFeed, parseCsafIndex, parseCsafChanges } from './feeds/csaf-distribution.js';
export type { CsafEntry, CsafListing, ProviderMetadata } from './feeds/csaf-distribution.js';
export { parseEpss } from './feeds/epss.js';
export { normaliseVendor, normaliseModel } from './vendor-name.js';
export { VENDOR_ALIASES } from './vendor-aliases.js';
export type { VendorAlias } from './vendor-aliases.js';
export { parseProductVersion, productVersionCovers, describeProductVersion } from './product-version.js';
export type { ProductVersionSpec } from './product-version.js';
export {
  VulnerabilityIndex,
  FleetIndex,
  MatchCache,
  matchSubject,
  matchAll,
  matchNewVulnerability,
  vexApplies,
} from './match.js';
export type { MatchOptions, MatchSubject } from './match.js';
export { parseInventory, parseCsvRows, deviceFromFhir } from './inventory-input.js';
export { componentIdentity, componentWithVersion, decisionApplies, decisionKeyOf } from './vex-apply.js';
export type { ComponentIdentity, DecisionKey } from './vex-apply.js';
