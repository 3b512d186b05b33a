/**
 * @module software
 * Software as an SBOM states it: components with their identifiers (purl, CPE, hashes), the
 * dependencies between them and the described product. The SBOM importers of `@ward/intel`
 * produce these; the matcher and the store consume them.
 */
import { canonicalJson } from './canonical-json.js';
import type { VexStatement } from './vex.js';

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

/**
 * What identifies an SBOM for finding ids: its serial (CycloneDX serialNumber, SPDX namespace),
 * else the described product's manufacturer, name and version, as canonical text.
 */
export function sbomIdentity(sbom: Pick<Sbom, 'serial' | 'subject'>): string {
  return sbom.serial ?? canonicalJson(sbom.subject);
}
