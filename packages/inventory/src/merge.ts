/**
 * @module merge
 * Provenance and merging, pure. Every source keeps at most one claim per field (its latest); the
 * record shown is a function of the claim set alone — so applying the same observations again
 * changes nothing, and observations from different sources give the same record in any order.
 * A scalar field shows the claim of the most trusted source kind (ranking), then the newest, then
 * the lowest source key; losing claims with another value are listed as a conflict.
 */
import {
  canonicalJson,
  DEFAULT_SOURCE_RANKING,
  type FieldConflict,
  type ProvenanceSource,
  type SourceKind,
} from '@ward/core';
import { FIELD_NAMES, isScalarField, isSeenField, isSetField, type FieldName, type Json } from './fields.js';

export interface Claim {
  readonly value: Json;
  readonly source: ProvenanceSource;
  /** When the source said it (ISO 8601). */
  readonly at: string;
}

/** Per field, at most one claim per source key. */
export type ClaimSet = Readonly<Partial<Record<FieldName, readonly Claim[]>>>;

/**
 * What one source says about one device. A field left out says nothing; `null` withdraws this
 * source's earlier claim (an emptied CMMS cell, a person handing a field back to the imports).
 */
export type ObservedFields = Readonly<Partial<Record<FieldName, Json>>>;

export interface ClaimChange {
  readonly field: FieldName;
  /** This source's value before and after (null: no claim). */
  readonly before: Json;
  readonly after: Json;
}

/** Identifies a source among others of its kind: claims of the same key replace each other. */
export function sourceKey(source: ProvenanceSource): string {
  switch (source.kind) {
    case 'person':
      return `person:${source.userId}`;
    case 'csv':
      return `csv:${source.mapping ?? source.file}`;
    case 'fhir':
      return `fhir:${source.file}`;
    case 'sensor':
      return `sensor:${source.sensor}`;
  }
}

function sortedUnion(values: readonly Json[]): Json[] {
  const byKey = new Map<string, Json>();
  for (const v of values) if (v !== null) byKey.set(canonicalJson(v), v);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

function withoutField(claims: Partial<Record<FieldName, readonly Claim[]>>, field: FieldName) {
  return Object.fromEntries(Object.entries(claims).filter(([f]) => f !== field)) as Partial<
    Record<FieldName, readonly Claim[]>
  >;
}

const timeOf = (v: Json): string => (typeof v === 'string' ? v : '');

/**
 * Applies one source's observation to a claim set. Returns the new set and what changed; an
 * observation that repeats what the source already said changes nothing (same set returned).
 */
export function applyClaims(
  claims: ClaimSet,
  observed: ObservedFields,
  source: ProvenanceSource,
  at: string,
): { readonly claims: ClaimSet; readonly changes: readonly ClaimChange[] } {
  const key = sourceKey(source);
  let next: Partial<Record<FieldName, readonly Claim[]>> = { ...claims };
  const changes: ClaimChange[] = [];
  for (const field of FIELD_NAMES) {
    if (!(field in observed)) continue;
    const incoming = observed[field];
    if (incoming === undefined) continue;
    const list = claims[field] ?? [];
    const mine = list.find((c) => sourceKey(c.source) === key);
    const others = list.filter((c) => c !== mine);
    let value: Json = incoming;
    if (value !== null && isSetField(field)) {
      const members = Array.isArray(value) ? (value as readonly Json[]) : [value];
      // The sensor accumulates what it has seen; a list from an import replaces that import's list.
      const previous: readonly Json[] =
        source.kind === 'sensor' && Array.isArray(mine?.value) ? (mine.value as readonly Json[]) : [];
      value = sortedUnion([...previous, ...members]);
      if (value.length === 0) value = null;
    } else if (value !== null && isSeenField(field) && typeof value === 'string' && typeof mine?.value === 'string') {
      value =
        field === 'network.firstSeen'
          ? mine.value < value
            ? mine.value
            : value
          : mine.value > value
            ? mine.value
            : value;
    }
    const before = mine?.value ?? null;
    if (canonicalJson(before) === canonicalJson(value)) continue;
    const replaced = value === null ? others : [...others, { value, source, at }];
    if (replaced.length === 0) next = withoutField(next, field);
    else next[field] = replaced;
    changes.push({ field, before, after: value });
  }
  return changes.length === 0 ? { claims, changes } : { claims: next, changes };
}

export interface ResolvedField {
  readonly value: Json;
  readonly source: ProvenanceSource;
  readonly at: string;
}

export interface Resolution {
  readonly values: Readonly<Partial<Record<FieldName, ResolvedField>>>;
  readonly conflicts: readonly FieldConflict[];
}

function rankIndex(ranking: readonly SourceKind[], kind: SourceKind): number {
  const i = ranking.indexOf(kind);
  return i < 0 ? ranking.length : i;
}

/** Most trusted first: source kind rank, then newest, then source key. */
export function compareClaims(ranking: readonly SourceKind[], a: Claim, b: Claim): number {
  const r = rankIndex(ranking, a.source.kind) - rankIndex(ranking, b.source.kind);
  if (r !== 0) return r;
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  const ka = sourceKey(a.source);
  const kb = sourceKey(b.source);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The record a claim set shows, with the provenance of every value and the conflicts. */
export function resolveClaims(claims: ClaimSet, ranking: readonly SourceKind[] = DEFAULT_SOURCE_RANKING): Resolution {
  const values: Partial<Record<FieldName, ResolvedField>> = {};
  const conflicts: FieldConflict[] = [];
  for (const field of FIELD_NAMES) {
    const list = claims[field];
    if (list === undefined || list.length === 0) continue;
    const ordered = [...list].sort((a, b) => compareClaims(ranking, a, b));
    const top = ordered[0];
    if (top === undefined) continue;
    if (isScalarField(field)) {
      values[field] = { value: top.value, source: top.source, at: top.at };
      const topKey = canonicalJson(top.value);
      const others = ordered.slice(1).filter((c) => canonicalJson(c.value) !== topKey);
      if (others.length > 0) {
        conflicts.push({
          field,
          kept: { value: top.value, source: top.source, at: top.at },
          others: others.map((c) => ({ value: c.value, source: c.source, at: c.at })),
        });
      }
    } else if (isSetField(field)) {
      values[field] = {
        value: sortedUnion(ordered.flatMap((c) => (Array.isArray(c.value) ? (c.value as Json[]) : []))),
        source: top.source,
        at: top.at,
      };
    } else {
      // first seen: the earliest claim; last seen: the latest.
      const pick = ordered.reduce((best, c) =>
        (field === 'network.firstSeen' ? timeOf(c.value) < timeOf(best.value) : timeOf(c.value) > timeOf(best.value))
          ? c
          : best,
      );
      values[field] = { value: pick.value, source: pick.source, at: pick.at };
    }
  }
  return { values, conflicts };
}
