/**
 * @module json-access
 * The one set of total readers over untrusted JSON of `@ward/intel` (SBOMs, VEX, feeds,
 * inventories): none throws. Field readers (`field`, `stringField`, `textField`, `arrayField`)
 * return null or [] when a field is absent or has the wrong type; narrowing helpers (`asObject`,
 * `asArray`, `asString`, `asNumber`) return the value when it has the expected type and undefined
 * otherwise. Parsers can then report the field instead of crashing on hostile input, without casts.
 */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Strings of an array, skipping anything else. */
export function strings(value: unknown): string[] {
  return (asArray(value) ?? []).filter((v): v is string => typeof v === 'string');
}

/** An object's own field, or undefined when `value` is no object or lacks it. */
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

/** Parses JSON without throwing (a byte-order mark is the caller's to drop, as `decodeText` does). */
export function parseJson(
  text: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'invalid JSON' };
  }
}
