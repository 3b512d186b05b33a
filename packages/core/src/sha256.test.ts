import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex, utf8Bytes } from './sha256.js';

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 / NIST example digests', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // The 448-bit message: two blocks after padding.
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(
      sha256Hex(
        'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      ),
    ).toBe('cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1');
    expect(sha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('pads correctly around the block boundaries (digests from OpenSSL)', () => {
    const expected: Record<number, string> = {
      55: 'd5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072',
      56: '04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e',
      63: '75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2',
      64: '7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c',
      65: '9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9',
      119: '000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c',
    };
    for (const [n, digest] of Object.entries(expected)) expect(sha256Hex('x'.repeat(Number(n)))).toBe(digest);
  });

  it('hashes a string as its UTF-8 bytes', () => {
    expect(sha256Hex('é€😀')).toBe('df9226927fd572c1ee66eec85de1bb139497614899f36e4e90474cb71f6ef9d0');
    expect([...utf8Bytes('é€😀')]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect([...utf8Bytes('a\ud800b')]).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62]);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(sha256Hex(s)).toBe(sha256Hex(utf8Bytes(s)));
        expect(new TextDecoder().decode(utf8Bytes(s))).toBe(s);
      }),
    );
  });
});
