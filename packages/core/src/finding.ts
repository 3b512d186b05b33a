/**
 * @module finding
 * A finding: one vulnerability affecting one component of a subject (a device, an SBOM) or a
 * device's product, with the rule that matched, why, and the enrichment (CVSS, KEV, EPSS, VEX).
 */
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './sha256.js';
import type { VexJustification, VexStatus } from './vex.js';
import type { VulnSource } from './vulnerability.js';

export type MatchRule =
  'purl-range' | 'purl-exact' | 'cpe-config' | 'cpe-hw-fw-pair' | 'csaf-product-tree' | 'name-only';

/** What a finding is about; its id is a hash of exactly this. */
export interface FindingIdentity {
  /** The inventory device id, or null for a stand-alone SBOM. */
  readonly device: string | null;
  /** The SBOM the component comes from (`sbomIdentity`), or null when the subject has none. */
  readonly sbom: string | null;
  /** The component by its SBOM ref and identifiers; null for a product-level (device) match. */
  readonly component: {
    readonly ref: string;
    readonly purl: string | null;
    readonly cpe: string | null;
  } | null;
  /** The vulnerability id (CVE when there is one). */
  readonly vulnerability: string;
}

/** The identifier a finding matched on: a purl, a CPE, or the device's manufacturer and model. */
export type MatchedOn = 'purl' | 'cpe' | 'product';

/** Why a finding matched, as data: the same facts `explanation` puts in words. */
export interface FindingEvidence {
  readonly rule: MatchRule;
  readonly matchedOn: MatchedOn;
  /** What was compared on our side: the component's purl identity or CPE, or "manufacturer model" of the device. */
  readonly componentValue: string;
  /** The version tested (from the purl, the CPE or the firmware); null when there was none. */
  readonly componentVersion: string | null;
  /** What the advisory names: its purl, its CPE criteria, or "vendor product" of a named product. */
  readonly advisoryValue: string;
  /** The range or product version the version fell in, in words; null when no range was tested. */
  readonly range: string | null;
  /** The advisory document (file and record) it came from. */
  readonly origin: string;
  /** The VEX statement that decides the finding's status, when one applies. */
  readonly vex: {
    readonly status: VexStatus;
    readonly justification: VexJustification | null;
    readonly origin: string;
  } | null;
}

export interface Finding {
  /** Content-addressed: `findingId` of the device or SBOM, the component and the vulnerability. */
  readonly id: string;
  /** The inventory device id, or null for a stand-alone SBOM. */
  readonly device: string | null;
  /** The component's name@version, or the device model for product-level matches. */
  readonly component: string;
  readonly purl: string | null;
  readonly cpe: string | null;
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  readonly source: VulnSource;
  readonly matchedBy: MatchRule;
  /** 'high' for exact identifier + version semantics; 'medium' for normalised names; 'low' for name-only. */
  readonly confidence: 'high' | 'medium' | 'low';
  /** Why it matched, in words: which identifier, which range. */
  readonly explanation: string;
  /** Why it matched, as structured evidence. */
  readonly because: FindingEvidence;
  readonly cvss: { readonly version: string; readonly vector: string; readonly score: number } | null;
  readonly kev: boolean;
  readonly epss: number | null;
  readonly vexStatus: VexStatus | null;
  readonly justification: VexJustification | null;
}

/** A stored finding as Ward shows it: the finding, where it is (an SBOM attached to a model and firmware) and whether it is open. */
export type FindingView = Finding & {
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
  /** The stored SBOM's id. */
  readonly sbom: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
  readonly closedAt: string | null;
};

/**
 * The id of a finding: `f-` and the first 32 hex digits (128 bits) of the SHA-256 of the canonical
 * JSON of its identity. The same identity gives the same id on every run and machine, whatever
 * order the identity's keys were built in; enrichment (CVSS, KEV, EPSS, VEX) does not change it.
 */
export function findingId(identity: FindingIdentity): string {
  return `f-${sha256Hex(canonicalJson(identity)).slice(0, 32)}`;
}
