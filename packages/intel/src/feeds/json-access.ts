/**
 * @module feeds/json-access
 * Narrowing helpers for untrusted JSON: each returns the value when it has the expected type and
 * undefined otherwise, so parsers can walk hostile documents without casts or throws.
 */

export type JsonObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
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

/** Parses JSON, or returns the error message. */
export function parseJson(
  content: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string } {
  try {
    return { ok: true, value: JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
