/**
 * @module json-access
 * Small total readers over `unknown` JSON: they never throw and return null when a value has the
 * wrong type, so parsers can report the field instead of crashing on hostile input.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** A string field, or null when absent or not a string. */
export function stringField(value: unknown, key: string): string | null {
  const v = field(value, key);
  return typeof v === 'string' ? v : null;
}

/** A non-empty trimmed string field, or null. */
export function textField(value: unknown, key: string): string | null {
  const v = stringField(value, key);
  if (v === null) return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** An array field; a lone value becomes a one-element array; absent gives []. */
export function arrayField(value: unknown, key: string): readonly unknown[] {
  const v = field(value, key);
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Parses JSON without throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'invalid JSON' };
  }
}
