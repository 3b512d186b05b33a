import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** The same object with its keys inserted in reverse order, at every level. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own properties, so a key named `__proto__` stays a key (assignment would set the prototype).
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reordered(v)]),
  );
}

describe('canonicalJson', () => {
  it('is the same text whatever order the keys were built in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(reordered(value))).toBe(canonicalJson(value));
      }),
    );
  });

  it('writes JSON that parses back to the same content', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('treats undefined, functions and non-finite numbers as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const text = canonicalJson(value);
        expect(() => JSON.parse(text) as unknown).not.toThrow();
      }),
    );
    expect(canonicalJson({ a: undefined, b: 1 })).toBe(canonicalJson({ b: 1 }));
    expect(canonicalJson([1, undefined, Number.NaN, () => 1])).toBe('[1,null,null,null]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it('pins the text of a known value (ids hashed from it must never change)', () => {
    expect(canonicalJson({ subject: 'mac:00:1b:21:3a:4f:10', kind: 'dhcp', value: { z: [2, 1], a: 'x' } })).toBe(
      '{"kind":"dhcp","subject":"mac:00:1b:21:3a:4f:10","value":{"a":"x","z":[2,1]}}',
    );
  });
});
