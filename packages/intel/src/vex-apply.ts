/**
 * @module vex-apply
 * How a VEX decision finds the components it is about, across SBOM versions. A decision is keyed
 * by vulnerability + component identity (a purl without version, qualifiers and subpath; a CPE with
 * its version field as ANY; else the lower-cased name) + the version it was made for (exact, or a
 * range). It applies to a component of any later SBOM of the same device model whose identity is
 * the same and whose version is the same, or inside the range. Ranges need ecosystem version
 * semantics, which the matcher owns: it passes `inRange`; without it only exact versions apply,
 * so an unproven "not affected" is never applied.
 */
import { PackageURL } from 'packageurl-js';
import type { VexStatement } from '@ward/core';
import { splitCpe23 } from './cpe/cpe.js';
import { normalizeCpe } from './sbom-identity.js';

export interface ComponentIdentity {
  /** What stays the same across versions of the component. */
  readonly identity: string;
  /** The version, or null when neither identifier nor SBOM gives one. */
  readonly version: string | null;
}

function purlIdentity(purl: string): ComponentIdentity | null {
  try {
    const p = PackageURL.fromString(purl);
    const base = new PackageURL(p.type, p.namespace, p.name, undefined, undefined, undefined).toString();
    return { identity: base, version: p.version ?? null };
  } catch {
    return null;
  }
}

function cpeIdentity(cpe: string): ComponentIdentity | null {
  const n = normalizeCpe(cpe);
  if (!n.ok) return null;
  const fields = splitCpe23(n.value);
  const version = fields[3] ?? '*';
  fields[3] = '*';
  return { identity: `cpe:2.3:${fields.join(':')}`, version: version === '*' || version === '-' ? null : version };
}

/** The identity and version of an SBOM component (purl first, then CPE, then name). */
export function componentIdentity(component: {
  readonly purl: string | null;
  readonly cpe: string | null;
  readonly name: string;
  readonly version: string | null;
}): ComponentIdentity {
  const fromPurl = component.purl === null ? null : purlIdentity(component.purl);
  if (fromPurl !== null) return { identity: fromPurl.identity, version: fromPurl.version ?? component.version };
  const fromCpe = component.cpe === null ? null : cpeIdentity(component.cpe);
  if (fromCpe !== null) return { identity: fromCpe.identity, version: fromCpe.version ?? component.version };
  return { identity: `name:${component.name.trim().toLowerCase()}`, version: component.version };
}

export interface DecisionKey {
  readonly componentIdentity: string;
  /** Exact version, or null when the statement is about a range (or about every version). */
  readonly componentVersion: string | null;
  readonly versionRange: string | null;
}

const EXACT_VERS = /^vers:[a-z0-9.+-]+\/([^|<>=!*]+)$/i;

/** The key a statement is recorded under: component identity plus exact version or range. */
export function decisionKeyOf(statement: VexStatement): DecisionKey {
  const key = statement.component;
  const fromPurl = key.startsWith('pkg:') ? purlIdentity(key) : null;
  const fromCpe = fromPurl === null && key.startsWith('cpe:') ? cpeIdentity(key) : null;
  const base = fromPurl ??
    fromCpe ?? { identity: `name:${(statement.componentName ?? key).trim().toLowerCase()}`, version: null };
  const range = statement.versionRange ?? null;
  const exact = range === null ? null : (EXACT_VERS.exec(range)?.[1] ?? null);
  if (exact !== null) return { componentIdentity: base.identity, componentVersion: exact, versionRange: null };
  if (range !== null) return { componentIdentity: base.identity, componentVersion: null, versionRange: range };
  return {
    componentIdentity: base.identity,
    componentVersion: base.version ?? statement.componentVersion ?? null,
    versionRange: null,
  };
}

/** Whether a recorded decision applies to a component: same identity, same version or inside the range. */
export function decisionApplies(
  decision: DecisionKey,
  component: ComponentIdentity,
  inRange?: (version: string, range: string) => boolean | null,
): boolean {
  if (decision.componentIdentity !== component.identity) return false;
  if (decision.componentVersion !== null) return decision.componentVersion === component.version;
  if (decision.versionRange !== null) {
    if (component.version === null || inRange === undefined) return false;
    return inRange(component.version, decision.versionRange) === true;
  }
  return true; // a decision about every version of the component
}

/**
 * The component key with its version written in, when the identifier can carry one and does not
 * yet: `pkg:github/wolfssl/wolfssl` + `4.8.1` → `pkg:github/wolfssl/wolfssl@4.8.1`; a CPE with ANY
 * version gets the version field. Null when the key cannot carry a version (a name or bom-ref).
 */
export function componentWithVersion(key: string, version: string): string | null {
  if (key.startsWith('pkg:')) {
    try {
      const p = PackageURL.fromString(key);
      if (p.version !== undefined) return p.version === version ? key : null;
      return new PackageURL(p.type, p.namespace, p.name, version, p.qualifiers, p.subpath).toString();
    } catch {
      return null;
    }
  }
  if (key.startsWith('cpe:')) {
    const n = normalizeCpe(key);
    if (!n.ok) return null;
    const fields = splitCpe23(n.value);
    if (fields[3] !== '*') return fields[3] === version ? n.value : null;
    if (!/^[a-zA-Z0-9._-]+$/.test(version)) return null;
    fields[3] = version;
    return `cpe:2.3:${fields.join(':')}`;
  }
  return null;
}
