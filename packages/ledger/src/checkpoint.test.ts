import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { toHex } from './hash.js';
import { VECTOR_ROOTS } from './test-helpers.js';

// The example checkpoint of c2sp.org/tlog-checkpoint (and of tlog-cosignature / tlog-witness).
const C2SP_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

function lineOf(body: string): unknown {
  try {
    parseCheckpoint(body);
  } catch (error) {
    const e = error as { code?: string; details?: { line?: number } };
    return { code: e.code, line: e.details?.line };
  }
  return 'parsed';
}

describe('checkpoints', () => {
  it('parses the C2SP example and formats it back byte for byte', () => {
    const c = parseCheckpoint(C2SP_BODY);
    expect(c.origin).toBe('example.com/behind-the-sofa');
    expect(c.size).toBe(20852163);
    expect(toHex(c.rootHash)).toBe('0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62');
    expect(c.extensions).toEqual([]);
    expect(formatCheckpoint(c)).toBe(C2SP_BODY);
  });

  it('keeps extension lines', () => {
    const body = `${C2SP_BODY}Timestamp: 1700000000\nsecond extension\n`;
    expect(parseCheckpoint(body).extensions).toEqual(['Timestamp: 1700000000', 'second extension']);
    expect(formatCheckpoint(parseCheckpoint(body))).toBe(body);
  });

  it('round-trips any valid checkpoint', () => {
    const line = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => !/\p{Cc}/u.test(s));
    fc.assert(
      fc.property(
        line,
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(line, { maxLength: 3 }),
        (origin, size, rootHash, extensions) => {
          const body = formatCheckpoint({ origin, size, rootHash, extensions });
          const back = parseCheckpoint(body);
          expect(back).toEqual({ origin, size, rootHash, extensions });
          expect(formatCheckpoint(back)).toBe(body);
        },
      ),
    );
  });

  it('formats the empty tree with size 0', () => {
    expect(
      formatCheckpoint({
        origin: 'ward.example/h1',
        size: 0,
        rootHash: VECTOR_ROOTS[0] ?? new Uint8Array(),
        extensions: [],
      }),
    ).toBe('ward.example/h1\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
  });

  it('refuses malformed bodies, naming the line', () => {
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
    expect(lineOf('example.com/log\n1\n' + root)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 0 });
    expect(lineOf(`\n1\n${root}\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 1 });
    expect(lineOf(`log\n01\n${root}\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 2 });
    expect(lineOf(`log\n-1\n${root}\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 2 });
    expect(lineOf(`log\n+1\n${root}\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 2 });
    expect(lineOf(`log\n1 \n${root}\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 2 });
    expect(lineOf(`log\n9007199254740992\n${root}\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 2 });
    expect(lineOf('log\n1\n')).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 3 });
    expect(lineOf('log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n')).toEqual({
      code: 'LEDGER_CHECKPOINT_INVALID',
      line: 3,
    });
    expect(lineOf('log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n')).toEqual({
      code: 'LEDGER_CHECKPOINT_INVALID',
      line: 3,
    });
    expect(lineOf('log\n1\nAAAA\n')).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 3 });
    expect(lineOf(`log\n1\n${root}\n\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 4 });
    expect(lineOf(`log\n1\n${root}\next\n\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 5 });
    expect(lineOf(`lo\tg\n1\n${root}\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 1 });
    expect(lineOf(`log\r\n1\n${root}\n`)).toEqual({ code: 'LEDGER_CHECKPOINT_INVALID', line: 1 });
  });

  it('refuses to format an invalid checkpoint', () => {
    const rootHash = VECTOR_ROOTS[1] ?? new Uint8Array();
    for (const bad of [
      { origin: '', size: 1, rootHash, extensions: [] },
      { origin: 'a\nb', size: 1, rootHash, extensions: [] },
      { origin: 'log', size: -1, rootHash, extensions: [] },
      { origin: 'log', size: 1.5, rootHash, extensions: [] },
      { origin: 'log', size: 1, rootHash: rootHash.subarray(1), extensions: [] },
      { origin: 'log', size: 1, rootHash, extensions: [''] },
    ]) {
      expect(() => formatCheckpoint(bad)).toThrow(expect.objectContaining({ code: 'LEDGER_CHECKPOINT_INVALID' }));
    }
  });
});
