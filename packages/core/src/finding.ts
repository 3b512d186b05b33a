/**
 * @module finding
 * A finding: one vulnerability affecting one component of a subject (a device, an SBOM) or a
 * device's product, with the rule that matched, why, and the enrichment (CVSS, KEV, EPSS, VEX).
 */
import type { VexJustification, VexStatus } from './vex.js';
import type { VulnSource } from './vulnerability.js';

export type MatchRule =
  'purl-range' | 'purl-exact' | 'cpe-config' | 'cpe-hw-fw-pair' | 'csaf-product-tree' | 'name-only';

export interface Finding {
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
  readonly cvss: { readonly version: string; readonly vector: string; readonly score: number } | null;
  readonly kev: boolean;
  readonly epss: number | null;
  readonly vexStatus: VexStatus | null;
  readonly justification: VexJustification | null;
}
