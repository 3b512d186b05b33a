/**
 * @module model
 * The shared model of `@ward/intel`: software components (from SBOMs), vulnerabilities and what
 * each advisory says affects (from feeds), VEX statements, and the findings the matcher produces.
 * Parsers produce these; the matcher and the VEX writers consume them.
 */

export interface ComponentHash {
  /** CycloneDX algorithm name: 'SHA-256', 'SHA-1', 'MD5'… */
  readonly alg: string;
  readonly content: string;
}

/** One software component of an SBOM, with its identity as the SBOM states it. */
export interface Component {
  /** The SBOM's own reference (CycloneDX bom-ref, SPDX SPDXID), unique within the SBOM. */
  readonly ref: string;
  readonly name: string;
  readonly version: string | null;
  readonly supplier: string | null;
  readonly purl: string | null;
  /** CPE 2.3 formatted string (2.2 URIs converted). */
  readonly cpe: string | null;
  readonly hashes: readonly ComponentHash[];
  /** CycloneDX component type or SPDX primaryPackagePurpose, lower-case ('library', 'firmware', 'operating-system'…). */
  readonly kind: string | null;
  /** FDA §524B support properties when the SBOM states them. */
  readonly support?: {
    readonly endOfSupport?: string;
    readonly levelOfSupport?: string;
  };
  /** CycloneDX `group` (Maven groupId, npm scope…) when the SBOM gives one. */
  readonly group?: string;
  /** The ref of the component this one is nested in (CycloneDX nested `components`, SPDX CONTAINS). */
  readonly parent?: string;
}

export interface DependencyEdge {
  readonly from: string;
  readonly to: string;
}

export type SbomFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-2-json' | 'spdx-2-tag-value' | 'spdx-3-jsonld';

export interface Sbom {
  readonly format: SbomFormat;
  /** CycloneDX specVersion or SPDX version ('1.4', 'SPDX-2.3', '3.0'). */
  readonly specVersion: string;
  /** CycloneDX serialNumber or SPDX documentNamespace / spdxId. */
  readonly serial: string | null;
  readonly version: number | null;
  /** The described product (CycloneDX metadata.component, SPDX DESCRIBES target). */
  readonly subject: {
    readonly name: string | null;
    readonly version: string | null;
    readonly manufacturer: string | null;
  };
  readonly components: readonly Component[];
  readonly dependencies: readonly DependencyEdge[];
  /** VEX statements embedded in the SBOM (CycloneDX `vulnerabilities`). */
  readonly vex: readonly VexStatement[];
}

export interface CvssScore {
  /** '2.0', '3.0', '3.1', '4.0' */
  readonly version: string;
  readonly vector: string;
  readonly score: number;
}

/** A version range in one scheme; the matcher interprets it with that ecosystem's semantics. */
export interface VersionRange {
  /** 'semver', 'pypi', 'maven', 'deb', 'rpm', 'apk', 'generic', 'ecosystem:<OSV ecosystem>'… */
  readonly scheme: string;
  /** Inclusive lower bound, or null for none. */
  readonly introduced?: string | null;
  readonly fixed?: string | null; // exclusive upper bound
  readonly lastAffected?: string | null; // inclusive upper bound
  readonly startIncluding?: string | null;
  readonly startExcluding?: string | null;
  readonly endIncluding?: string | null;
  readonly endExcluding?: string | null;
  /** Exact versions listed as affected. */
  readonly versions?: readonly string[];
  /** A `vers:` URI when the source gave one. */
  readonly vers?: string;
}

/** An NVD configuration node: CPE matches combined by AND/OR, possibly nested. */
export interface CpeNode {
  readonly operator: 'AND' | 'OR';
  readonly negate: boolean;
  readonly matches: readonly CpeMatch[];
  readonly children: readonly CpeNode[];
}

export interface CpeMatch {
  readonly vulnerable: boolean;
  /** CPE 2.3 formatted string; version may be '*' with a range below. */
  readonly criteria: string;
  readonly range?: VersionRange;
}

/** A product an advisory names by vendor/product/version (CSAF product tree), without CPE or purl. */
export interface NamedProduct {
  /** CSAF product_id. */
  readonly productId: string;
  readonly vendor: string;
  readonly product: string;
  /** A single version, or a range (CSAF `product_version_range`, `vers:` or free text like '<= 4.1'). */
  readonly version: string | null;
  readonly versionRange: string | null;
  /** CPE or purl from product_identification_helper, when present. */
  readonly cpe?: string;
  readonly purl?: string;
  /** For a CSAF relationship product: the product (e.g. the device) this one is installed on / part of. */
  readonly relatesTo?: string;
}

/** What an advisory tells users to do (CSAF `remediations`). */
export interface Remediation {
  /** CSAF category: 'vendor_fix', 'mitigation', 'workaround', 'no_fix_planned', 'none_available'. */
  readonly category: string;
  readonly details: string;
  /** Product ids (CSAF) the remediation applies to. */
  readonly productIds: readonly string[];
  readonly url?: string;
}

/** What one source says is affected by one vulnerability. */
export type AffectedSpec =
  | { readonly kind: 'purl'; readonly purl: string; readonly ranges: readonly VersionRange[] }
  | { readonly kind: 'cpe-config'; readonly nodes: readonly CpeNode[] }
  | { readonly kind: 'named-product'; readonly products: readonly NamedProduct[] };

export type VulnSource = 'nvd' | 'cve5' | 'osv' | 'csaf' | 'kev' | 'epss' | 'openvex' | 'cyclonedx-vex';

export interface Vulnerability {
  /** CVE id when there is one, else the source's id (GHSA-…, PYSEC-…, ICSMA-…). */
  readonly id: string;
  readonly aliases: readonly string[];
  readonly source: VulnSource;
  /** The document or record it came from (file + record id), for explanations. */
  readonly origin: string;
  readonly summary: string | null;
  readonly published: string | null;
  readonly modified: string | null;
  readonly cvss: readonly CvssScore[];
  readonly affected: readonly AffectedSpec[];
  readonly withdrawn?: boolean;
  /** Remediations (CSAF), when the source gives them. */
  readonly remediations?: readonly Remediation[];
}

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
