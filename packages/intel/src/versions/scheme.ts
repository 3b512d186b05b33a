/**
 * @module versions/scheme
 * Version schemes by name, and which scheme a purl type, an OSV ecosystem or a `vers:` scheme
 * uses. A scheme is a total order on strings (`compare`) plus a validity test; unknown names get
 * the generic order.
 */
import { compareApk, isValidApk } from './apk.js';
import { compareDebian, isValidDebian } from './debian.js';
import { compareGeneric, isValidGeneric } from './generic.js';
import { compareMaven, isValidMaven } from './maven.js';
import { comparePep440, isValidPep440 } from './pep440.js';
import { compareRpm, isValidRpm } from './rpm.js';
import { compareSemver, isValidSemver } from './semver.js';

export interface VersionScheme {
  readonly name: VersionSchemeName;
  /** Negative, zero or positive; a total order on every string. */
  readonly compare: (a: string, b: string) => number;
  readonly isValid: (version: string) => boolean;
}

export const VERSION_SCHEME_NAMES = ['semver', 'pypi', 'maven', 'deb', 'rpm', 'apk', 'generic'] as const;
export type VersionSchemeName = (typeof VERSION_SCHEME_NAMES)[number];

const SCHEMES: Readonly<Record<VersionSchemeName, VersionScheme>> = {
  semver: { name: 'semver', compare: compareSemver, isValid: isValidSemver },
  pypi: { name: 'pypi', compare: comparePep440, isValid: isValidPep440 },
  maven: { name: 'maven', compare: compareMaven, isValid: isValidMaven },
  deb: { name: 'deb', compare: compareDebian, isValid: isValidDebian },
  rpm: { name: 'rpm', compare: compareRpm, isValid: isValidRpm },
  apk: { name: 'apk', compare: compareApk, isValid: isValidApk },
  generic: { name: 'generic', compare: compareGeneric, isValid: isValidGeneric },
};

/** purl types and `vers:` scheme names → the version scheme they use. */
const BY_TYPE: Readonly<Record<string, VersionSchemeName>> = {
  npm: 'semver',
  golang: 'semver',
  cargo: 'semver',
  semver: 'semver',
  hex: 'semver',
  pub: 'semver',
  pypi: 'pypi',
  pep440: 'pypi',
  maven: 'maven',
  deb: 'deb',
  debian: 'deb',
  rpm: 'rpm',
  apk: 'apk',
  alpine: 'apk',
  generic: 'generic',
};

/** OSV ecosystem (before any ':' suffix such as "Alpine:v3.8") → purl type. */
export const OSV_ECOSYSTEM_PURL_TYPE: Readonly<Record<string, string>> = {
  npm: 'npm',
  PyPI: 'pypi',
  Maven: 'maven',
  Go: 'golang',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  NuGet: 'nuget',
  Packagist: 'composer',
  Hex: 'hex',
  Pub: 'pub',
  Alpine: 'apk',
  Debian: 'deb',
  Ubuntu: 'deb',
  'Red Hat': 'rpm',
  SUSE: 'rpm',
  openSUSE: 'rpm',
  'Rocky Linux': 'rpm',
  AlmaLinux: 'rpm',
  GitHub: 'github',
};

export function versionScheme(name: string): VersionScheme {
  return SCHEMES[(BY_TYPE[name] ?? (name in SCHEMES ? name : 'generic')) as VersionSchemeName];
}

/** The scheme an OSV ecosystem ("PyPI", "Debian:11", "Alpine:v3.8") orders versions by. */
export function schemeForEcosystem(ecosystem: string): VersionScheme {
  const base = ecosystem.split(':')[0] ?? ecosystem;
  return versionScheme(OSV_ECOSYSTEM_PURL_TYPE[base] ?? 'generic');
}

/**
 * Resolves a VersionRange `scheme` value: a scheme or purl type name, or `ecosystem:<OSV ecosystem>`.
 */
export function schemeOfRange(scheme: string): VersionScheme {
  return scheme.startsWith('ecosystem:')
    ? schemeForEcosystem(scheme.slice('ecosystem:'.length))
    : versionScheme(scheme);
}
