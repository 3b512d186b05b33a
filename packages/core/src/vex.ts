/**
 * @module vex
 * VEX statements: what a manufacturer (or a person) says about one vulnerability in one component
 * of a product: status, justification, and where the statement came from.
 */

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** OpenVEX justification vocabulary; CycloneDX and CSAF values are mapped onto it without loss. */
export type VexJustification =
  | 'component_not_present'
  | 'vulnerable_code_not_present'
  | 'vulnerable_code_not_in_execute_path'
  | 'vulnerable_code_cannot_be_controlled_by_adversary'
  | 'inline_mitigations_already_exist';

/** A VEX statement: status of one vulnerability for one component (optionally a version range) of a product. */
export interface VexStatement {
  readonly vulnerability: string;
  readonly aliases?: readonly string[];
  /** The product (device model/firmware) the statement is about: purl, CPE or a name. */
  readonly product?: string;
  /** The component: purl preferred, else CPE, else bom-ref. */
  readonly component: string;
  readonly versionRange?: string;
  readonly status: VexStatus;
  readonly justification?: VexJustification;
  /** The source format's own justification value when it was finer than OpenVEX's. */
  readonly sourceJustification?: string;
  readonly impactStatement?: string;
  readonly actionStatement?: string;
  readonly timestamp?: string;
  readonly origin: string;
  /** The source format's own status when finer than Ward's (CycloneDX `false_positive`, `resolved_with_pedigree`). */
  readonly sourceStatus?: string;
  /** The component's name and version as the document gives them, for people reading the statement. */
  readonly componentName?: string;
  readonly componentVersion?: string;
  /** Who made the decision (a person or the VEX document's author). */
  readonly author?: string;
}
