import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonWithPositions, positionOf } from './json-positions.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? 'not-coded';
  }
}

describe('parseJsonWithPositions', () => {
  it('returns what JSON.parse returns, for any JSON value in any layout', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 1, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(parseJsonWithPositions(text).value).toStrictEqual(JSON.parse(text));
      }),
    );
  });

  it('rejects exactly what JSON.parse rejects, with a coded error', () => {
    const nearJson = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .tuple(
          fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
          fc.nat(),
          fc.string({ maxLength: 2 }),
        )
        .map(
          ([text, at, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)),
        ),
    );
    fc.assert(
      fc.property(nearJson, (text) => {
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        const ours = codeOf(() => parseJsonWithPositions(text));
        expect(ours === undefined).toBe(native);
        if (!native) expect(ours).toBe('LAB_SCENARIO_INVALID');
      }),
    );
  });

  it('remembers the line and column where each value starts', () => {
    const text = '{\n  "a": [1,\n    {"b": "x"}],\n  "c/d": true\n}';
    const { positions } = parseJsonWithPositions(text);
    expect(positions.get('')).toEqual({ line: 1, column: 1 });
    expect(positions.get('/a/1/b')).toEqual({ line: 3, column: 11 });
    expect(positions.get('/c~1d')).toEqual({ line: 4, column: 10 });
    expect(positionOf(positions, ['a', 1, 'missing'])).toEqual({ line: 3, column: 5 });
  });

  it('names the line of a syntax error', () => {
    try {
      parseJsonWithPositions('{\n  "a": 1,\n  "b": tru\n}', 'x.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'LAB_SCENARIO_INVALID', details: { file: 'x.json', line: 3 } });
    }
  });
});
