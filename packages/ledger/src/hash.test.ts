import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, fromHex, hashChildren, hashLeaf, toHex } from './hash.js';
import { VECTOR_LEAVES, VECTOR_NODES, VECTOR_ROOTS, codeOf } from './test-helpers.js';

describe('RFC 9162 hashing', () => {
  it('has the published empty root', () => {
    expect(toHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_ROOT).toEqual(VECTOR_ROOTS[0]);
  });

  it('hashes the published leaves to the published level-0 nodes', () => {
    expect(VECTOR_LEAVES.map((leaf) => toHex(hashLeaf(leaf)))).toEqual(VECTOR_NODES[0]?.map(toHex));
  });

  it('hashes children to the published interior nodes', () => {
    for (let level = 1; level < VECTOR_NODES.length; level++) {
      const below = VECTOR_NODES[level - 1] ?? [];
      const expected = VECTOR_NODES[level] ?? [];
      expected.forEach((node, index) => {
        const left = below[2 * index];
        const right = below[2 * index + 1];
        if (left === undefined || right === undefined) throw new Error('vector table is short');
        expect(toHex(hashChildren(left, right))).toBe(toHex(node));
      });
    }
  });

  it('separates leaves from nodes (0x00 vs 0x01 prefix)', () => {
    const a = hashLeaf(new Uint8Array(64));
    const b = hashChildren(new Uint8Array(32), new Uint8Array(32));
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('refuses children that are not 32 bytes', () => {
    expect(codeOf(() => hashChildren(new Uint8Array(31), EMPTY_ROOT))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => hashChildren(EMPTY_ROOT, new Uint8Array(33)))).toBe('LEDGER_INPUT_INVALID');
  });

  it('round-trips hex and refuses bad hex or a wrong length', () => {
    const h = hashLeaf(new Uint8Array([1, 2, 3]));
    expect(fromHex(toHex(h))).toEqual(h);
    expect(fromHex(toHex(h).toUpperCase())).toEqual(h);
    expect(codeOf(() => fromHex('00'))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => fromHex(`${'0'.repeat(63)}g`))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => fromHex('0'.repeat(66)))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => fromHex(` ${'0'.repeat(63)}`))).toBe('LEDGER_INPUT_INVALID');
  });
});
