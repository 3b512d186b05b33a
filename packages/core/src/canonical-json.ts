/**
 * @module canonical-json
 * The one canonical JSON of Ward: object keys sorted at every level, no whitespace, and otherwise
 * exactly what `JSON.stringify` would write (an `undefined` property is left out, an `undefined`
 * array item or top-level value is `null`, a non-finite number is `null`). Content-addressed ids
 * (observations, inventory values, findings) hash this text, so the same content always gives the
 * same id, whatever order its keys were built in.
 */

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The canonical text of `value` (see the module comment). */
export function canonicalJson(value: unknown): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') return canonicalJson((withJson.toJSON as () => unknown).call(value));
  if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol')
    .sort(([a], [b]) => compareKeys(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
