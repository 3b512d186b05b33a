/**
 * @module sbom-support
 * FDA §524B support information as SBOMs state it: CycloneDX properties such as `End-of-Support`
 * and `Level of Support` (the spelling varies: `endOfSupport`, `fda:end-of-support`, `EOS Date`…),
 * SPDX 2.3 `validUntilDate`, SPDX 3 `supportLevel` / `validUntilTime`.
 */

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Records a property into `support` when its name is an end-of-support or level-of-support name. */
export function readSupportProperty(
  name: string,
  value: string,
  support: { endOfSupport?: string; levelOfSupport?: string },
): void {
  const n = squash(name);
  if (n.endsWith('endofsupport') || n.endsWith('endoflife') || n.endsWith('eosdate') || n.endsWith('supportenddate')) {
    support.endOfSupport ??= value;
  } else if (n.endsWith('levelofsupport') || n.endsWith('supportlevel')) {
    support.levelOfSupport ??= value;
  }
}
