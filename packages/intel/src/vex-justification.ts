/**
 * @module vex-justification
 * The three VEX vocabularies and how they map onto each other. Ward's model uses OpenVEX's five
 * justifications (identical to CSAF's flag labels); CycloneDX's nine finer values map onto them
 * (after the CISA "VEX Status Justifications" table) and are kept as `sourceJustification`, so a
 * CycloneDX value survives a trip through CSAF or OpenVEX and back.
 */
import type { VexJustification, VexStatus } from '@ward/core';

export const VEX_JUSTIFICATIONS: readonly VexJustification[] = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
];

export const VEX_STATUSES: readonly VexStatus[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];

export const CYCLONEDX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
export type CycloneDxJustification = (typeof CYCLONEDX_JUSTIFICATIONS)[number];

const FROM_CYCLONEDX: Readonly<Record<CycloneDxJustification, VexJustification>> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_dependency: 'component_not_present',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

/** The CycloneDX value written for an OpenVEX/CSAF justification when no finer value is known. */
const TO_CYCLONEDX: Readonly<Record<VexJustification, CycloneDxJustification>> = {
  component_not_present: 'requires_dependency',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

export function isVexJustification(value: string): value is VexJustification {
  return (VEX_JUSTIFICATIONS as readonly string[]).includes(value);
}

export function isCycloneDxJustification(value: string): value is CycloneDxJustification {
  return (CYCLONEDX_JUSTIFICATIONS as readonly string[]).includes(value);
}

export function justificationFromCycloneDx(value: CycloneDxJustification): VexJustification {
  return FROM_CYCLONEDX[value];
}

/** The CycloneDX justification to write: the kept source value when it is consistent, else the default. */
export function justificationToCycloneDx(
  justification: VexJustification,
  sourceJustification?: string,
): CycloneDxJustification {
  if (
    sourceJustification !== undefined &&
    isCycloneDxJustification(sourceJustification) &&
    FROM_CYCLONEDX[sourceJustification] === justification
  ) {
    return sourceJustification;
  }
  return TO_CYCLONEDX[justification];
}

/** CycloneDX `analysis.state` → Ward status (`false_positive` is not_affected; both resolved states are fixed). */
export function statusFromCycloneDxState(state: string): VexStatus | null {
  switch (state) {
    case 'not_affected':
    case 'false_positive':
      return 'not_affected';
    case 'exploitable':
      return 'affected';
    case 'resolved':
    case 'resolved_with_pedigree':
      return 'fixed';
    case 'in_triage':
      return 'under_investigation';
    default:
      return null;
  }
}

export function statusToCycloneDxState(status: VexStatus, sourceStatus?: string): string {
  if (sourceStatus !== undefined && statusFromCycloneDxState(sourceStatus) === status) return sourceStatus;
  switch (status) {
    case 'not_affected':
      return 'not_affected';
    case 'affected':
      return 'exploitable';
    case 'fixed':
      return 'resolved';
    case 'under_investigation':
      return 'in_triage';
  }
}

/** CSAF `product_status` keys per Ward status (first is the one written). */
export const CSAF_STATUS_KEYS: Readonly<Record<VexStatus, readonly string[]>> = {
  not_affected: ['known_not_affected'],
  affected: ['known_affected', 'first_affected', 'last_affected'],
  fixed: ['fixed', 'first_fixed'],
  under_investigation: ['under_investigation'],
};
