/**
 * @module json-positions
 * A small JSON parser that remembers where every value starts, so that a scenario error can name
 * the line and column of the field at fault. It accepts exactly what `JSON.parse` accepts (RFC 8259)
 * and returns the same value; a syntax error becomes `LAB_SCENARIO_INVALID` with its position.
 */
import { LabError } from './errors.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface PositionedJson {
  readonly value: unknown;
  /** JSON Pointer (RFC 6901) of each value → where the value starts. The root is `''`. */
  readonly positions: ReadonlyMap<string, Position>;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Parses `text`; `file` only names the source in errors. */
export function parseJsonWithPositions(text: string, file = '<input>'): PositionedJson {
  const positions = new Map<string, Position>();
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const here = (): Position => ({ line, column: i - lineStart + 1 });
  const fail = (what: string): never => {
    const at = here();
    throw new LabError('LAB_SCENARIO_INVALID', `${file}:${String(at.line)}:${String(at.column)}: ${what}`, {
      details: { file, line: at.line, column: at.column },
    });
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) i++;
      else if (c === 0x0a) {
        i++;
        line++;
        lineStart = i;
      } else return;
    }
  };
  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string');
      i += c === 0x5c ? 2 : 1;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('invalid escape in string');
    }
  };
  const parseValue = (pointer: string, depth: number): unknown => {
    skipSpace();
    if (depth > 512) fail('nesting too deep');
    positions.set(pointer, here());
    const c = text[i];
    if (c === '{') {
      i++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[i] === '}') {
        i++;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail('expected a property name');
        const key = parseString();
        skipSpace();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        const value = parseValue(`${pointer}/${escapePointer(key)}`, depth + 1);
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return object;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const array: unknown[] = [];
      skipSpace();
      if (text[i] === ']') {
        i++;
        return array;
      }
      for (;;) {
        array.push(parseValue(`${pointer}/${String(array.length)}`, depth + 1));
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return array;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (match !== null) {
      i += match[0].length;
      return Number(match[0]);
    }
    return fail(i >= text.length ? 'unexpected end of input' : 'unexpected character');
  };

  const value = parseValue('', 0);
  skipSpace();
  if (i < text.length) fail('unexpected text after the JSON value');
  return { value, positions };
}

/** Where the value at `path` (or its nearest enclosing value) starts. */
export function positionOf(positions: ReadonlyMap<string, Position>, path: readonly PropertyKey[]): Position {
  const keys = path.map((key) => escapePointer(String(key)));
  for (let n = keys.length; n >= 0; n--) {
    const found = positions.get(
      keys
        .slice(0, n)
        .map((k) => `/${k}`)
        .join(''),
    );
    if (found !== undefined) return found;
  }
  return { line: 1, column: 1 };
}
