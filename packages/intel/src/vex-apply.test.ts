import { describe, expect, it } from 'vitest';
import { componentIdentity, componentWithVersion, decisionApplies, decisionKeyOf } from './vex-apply.js';

const wolf = (version: string) => ({
  purl: `pkg:generic/wolfssl@${version}?arch=arm`,
  cpe: `cpe:2.3:a:wolfssl:wolfssl:${version}:*:*:*:*:*:*:*`,
  name: 'wolfSSL',
  version,
});

describe('VEX decisions across SBOM versions', () => {
  it('a purl component is identified without version and qualifiers', () => {
    expect(componentIdentity(wolf('4.8.1'))).toEqual({ identity: 'pkg:generic/wolfssl', version: '4.8.1' });
  });

  it('a CPE-only component is identified with its version as ANY', () => {
    expect(componentIdentity({ ...wolf('4.8.1'), purl: null })).toEqual({
      identity: 'cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*',
      version: '4.8.1',
    });
  });

  it('applies a decision to the same component at the same version in a later SBOM, not at another version', () => {
    const key = decisionKeyOf({
      vulnerability: 'CVE-2022-1',
      component: 'pkg:generic/wolfssl@4.8.1',
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      origin: 'x',
    });
    expect(key).toEqual({ componentIdentity: 'pkg:generic/wolfssl', componentVersion: '4.8.1', versionRange: null });
    expect(decisionApplies(key, componentIdentity(wolf('4.8.1')))).toBe(true);
    expect(decisionApplies(key, componentIdentity(wolf('5.0.0')))).toBe(false);
    expect(decisionApplies(key, componentIdentity({ ...wolf('4.8.1'), purl: 'pkg:generic/openssl@4.8.1' }))).toBe(
      false,
    );
  });

  it('an exact vers: range is an exact version; a real range needs the matcher’s semantics', () => {
    const exact = decisionKeyOf({
      vulnerability: 'V',
      component: 'pkg:npm/a',
      versionRange: 'vers:npm/1.2.3',
      status: 'fixed',
      origin: 'x',
    });
    expect(exact).toEqual({ componentIdentity: 'pkg:npm/a', componentVersion: '1.2.3', versionRange: null });
    const range = decisionKeyOf({
      vulnerability: 'V',
      component: 'pkg:npm/a',
      versionRange: 'vers:npm/>=1.0.0|<2.0.0',
      status: 'fixed',
      origin: 'x',
    });
    const c = { identity: 'pkg:npm/a', version: '1.5.0' };
    expect(decisionApplies(range, c)).toBe(false);
    expect(decisionApplies(range, c, () => true)).toBe(true);
    expect(decisionApplies(range, c, () => null)).toBe(false);
  });
});

describe('componentWithVersion', () => {
  it('writes the version into a purl or a CPE that lacks one, and refuses a conflicting one', () => {
    expect(componentWithVersion('pkg:github/wolfssl/wolfssl', '4.8.1')).toBe('pkg:github/wolfssl/wolfssl@4.8.1');
    expect(componentWithVersion('pkg:npm/a@1.0.0', '1.0.0')).toBe('pkg:npm/a@1.0.0');
    expect(componentWithVersion('pkg:npm/a@1.0.0', '2.0.0')).toBeNull();
    expect(componentWithVersion('cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*', '4.8.1')).toBe(
      'cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*',
    );
    expect(componentWithVersion('BomRef.1', '1.0')).toBeNull();
    const key = decisionKeyOf({
      vulnerability: 'V',
      component: 'pkg:github/wolfssl/wolfssl@4.8.1',
      status: 'fixed',
      origin: 'x',
    });
    expect(
      decisionApplies(
        key,
        componentIdentity({ purl: 'pkg:github/wolfssl/wolfssl', cpe: null, name: 'WolfSSL', version: '4.8.1' }),
      ),
    ).toBe(true);
  });
});
