import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { findingId, type FindingIdentity } from './finding.js';

const text = fc.string({ maxLength: 40 });
const identity: fc.Arbitrary<FindingIdentity> = fc.record({
  device: fc.option(text),
  sbom: fc.option(text),
  component: fc.option(fc.record({ ref: text, purl: fc.option(text), cpe: fc.option(text) })),
  vulnerability: text,
});

/** The same value with its keys inserted in reverse order, at every level. */
function reordered<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reordered(v)]),
  ) as T;
}

describe('findingId', () => {
  it('is f- and 32 hex digits, the same for the same identity', () => {
    fc.assert(
      fc.property(identity, (id) => {
        expect(findingId(id)).toMatch(/^f-[0-9a-f]{32}$/);
        expect(findingId(structuredClone(id))).toBe(findingId(id));
      }),
    );
  });

  it('does not depend on the order of the identity’s keys', () => {
    fc.assert(
      fc.property(identity, (id) => {
        expect(findingId(reordered(id))).toBe(findingId(id));
      }),
    );
  });

  it('differs when the identity differs', () => {
    fc.assert(
      fc.property(identity, identity, (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(findingId(a)).not.toBe(findingId(b));
      }),
    );
    const base: FindingIdentity = {
      device: 'pump-1',
      sbom: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      component: { ref: 'openssl', purl: 'pkg:generic/openssl@1.1.1k', cpe: null },
      vulnerability: 'CVE-2021-3711',
    };
    const variants: FindingIdentity[] = [
      { ...base, device: null },
      { ...base, device: 'pump-2' },
      { ...base, sbom: null },
      { ...base, component: null },
      { ...base, component: { ref: 'openssl-2', purl: 'pkg:generic/openssl@1.1.1k', cpe: null } },
      { ...base, component: { ref: 'openssl', purl: 'pkg:generic/openssl@1.1.1l', cpe: null } },
      { ...base, component: { ref: 'openssl', purl: 'pkg:generic/openssl@1.1.1k', cpe: 'cpe:2.3:a:openssl:openssl' } },
      { ...base, vulnerability: 'CVE-2021-3712' },
    ];
    const ids = new Set([base, ...variants].map(findingId));
    expect(ids.size).toBe(variants.length + 1);
  });

  it('pins the id of a known identity (stored ids must never change; digest from OpenSSL)', () => {
    expect(
      findingId({
        device: 'pump-1',
        sbom: null,
        component: { ref: 'openssl', purl: 'pkg:generic/openssl@1.1.1k', cpe: null },
        vulnerability: 'CVE-2021-3711',
      }),
    ).toBe('f-562a1de4b39d8ac651e58bfa3d339442');
  });
});
