/**
 * @module cpe/cpe-config
 * NVD configuration trees: whether a set of CPE names (a device's or an SBOM's components)
 * satisfies a tree of AND/OR nodes with negation, where each match is a CPE 2.3 criteria with an
 * optional version range on a `*` version, and which `vulnerable: true` matches it satisfied.
 * A hardware + firmware pair is an AND of the vulnerable firmware (`o:`) and the non-vulnerable
 * device (`h:`): both must be present, only the firmware is reported.
 */
import type { CpeMatch, CpeNode } from '@ward/core';
import { describeRange, rangeContains } from '../versions/range.js';
import { versionScheme } from '../versions/scheme.js';
import { CPE_ATTRIBUTES, literalOf, tryParseCpe, type Cpe, type CpeAttribute } from './cpe.js';
import { compareCpeValues } from './cpe-match.js';

/** One CPE-identified thing that can satisfy a match: a component of an SBOM, or a device. */
export interface CpeSubject<T> {
  readonly cpe: Cpe;
  /** The version to test ranges against: the CPE's version, else the component's. */
  readonly version: string | null;
  readonly ref: T;
}

export interface CpeHit<T> {
  readonly match: CpeMatch;
  readonly subject: CpeSubject<T>;
  /** 'high' when every attribute matched by NISTIR 7696; 'medium' when the subject left an attribute the criteria names unstated (ANY). */
  readonly confidence: 'high' | 'medium';
  readonly explanation: string;
}

export interface NodeResult<T> {
  readonly satisfied: boolean;
  /** Matches that were satisfied, vulnerable or not (negated nodes contribute none). */
  readonly hits: readonly CpeHit<T>[];
}

interface ParsedCriteria {
  readonly cpe: Cpe | null;
  /** vendor:product, or null when either has wildcards. */
  readonly key: string | null;
}

/** Criteria parsed once per match. */
const parsedCriteria = new WeakMap<CpeMatch, ParsedCriteria>();
function parsedOf(match: CpeMatch): ParsedCriteria {
  let parsed = parsedCriteria.get(match);
  if (parsed === undefined) {
    const cpe = tryParseCpe(match.criteria);
    parsed = { cpe, key: cpe === null ? null : keyOf(cpe) };
    parsedCriteria.set(match, parsed);
  }
  return parsed;
}
function criteriaOf(match: CpeMatch): Cpe | null {
  return parsedOf(match).cpe;
}

const IDENTIFYING: ReadonlySet<CpeAttribute> = new Set(['part', 'vendor', 'product', 'version']);

/** Whether `subject` satisfies one criteria (with its range), and how confidently. */
export function matchCriteria<T>(match: CpeMatch, subject: CpeSubject<T>): CpeHit<T> | null {
  const criteria = criteriaOf(match);
  if (criteria === null) return null;
  let confidence: 'high' | 'medium' = 'high';
  const loose: string[] = [];
  for (const a of CPE_ATTRIBUTES) {
    if (a === 'version' && match.range !== undefined) continue;
    const r = compareCpeValues(criteria[a], subject.cpe[a]);
    if (r === 'EQUAL' || r === 'SUPERSET') continue;
    // NVD writes hardware as version NA ('-'); SBOMs leave it ANY ('*'): both say "no version".
    if (a === 'version' && criteria.version.kind === 'na' && subject.cpe.version.kind === 'any') continue;
    // The subject says ANY where the criteria names a value: unknown rather than different. Strict
    // NISTIR 7696 says SUBSET (no match); for attributes beyond part/vendor/product/version we
    // match with medium confidence and say so.
    if (r === 'SUBSET' && !IDENTIFYING.has(a) && subject.cpe[a].kind === 'any') {
      confidence = 'medium';
      loose.push(a);
      continue;
    }
    return null;
  }
  let rangeText = '';
  if (match.range !== undefined) {
    const version = subject.version;
    if (version === null || version === '*' || version === '-') return null;
    const scheme = versionScheme(match.range.scheme);
    if (!rangeContains(match.range, version, scheme)) return null;
    rangeText = `, version ${version} in ${describeRange(match.range)}`;
  }
  const looseText = loose.length === 0 ? '' : ` (component CPE leaves ${loose.join(', ')} unstated)`;
  return { match, subject, confidence, explanation: `${match.criteria}${rangeText}${looseText}` };
}

/** The subjects indexed by vendor:product for criteria lookups. */
export class CpeSubjects<T> {
  private readonly byKey = new Map<string, CpeSubject<T>[]>();
  readonly all: CpeSubject<T>[] = [];

  add(subject: CpeSubject<T>): void {
    this.all.push(subject);
    const key = keyOf(subject.cpe);
    if (key === null) return;
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [subject]);
    else list.push(subject);
  }

  /** Subjects that could satisfy the criteria: same vendor:product, or all when the criteria has wildcards there. */
  candidates(criteria: Cpe): readonly CpeSubject<T>[] {
    return this.candidatesByKey(keyOf(criteria));
  }

  candidatesByKey(key: string | null): readonly CpeSubject<T>[] {
    return key === null ? this.all : (this.byKey.get(key) ?? EMPTY);
  }

  /** Subjects under one vendor:product key. */
  withKey(key: string): readonly CpeSubject<T>[] {
    return this.byKey.get(key) ?? EMPTY;
  }
}

const EMPTY: readonly never[] = [];

/** "vendor:product" when both are literal, else null. */
export function keyOf(cpe: Cpe): string | null {
  const vendor = literalOf(cpe.vendor);
  const product = literalOf(cpe.product);
  return vendor === null || product === null ? null : `${vendor}:${product}`;
}

/** Evaluates one node against the subjects. AND nodes stop at the first unsatisfied part. */
export function evaluateNode<T>(node: CpeNode, subjects: CpeSubjects<T>): NodeResult<T> {
  const and = node.operator === 'AND';
  let satisfied = and;
  let any = false;
  const hits: CpeHit<T>[] = [];
  for (const match of node.matches) {
    any = true;
    const parsed = parsedOf(match);
    let found = false;
    if (parsed.cpe !== null) {
      for (const subject of subjects.candidatesByKey(parsed.key)) {
        const hit = matchCriteria(match, subject);
        if (hit !== null) {
          hits.push(hit);
          found = true;
        }
      }
    }
    if (and && !found) return node.negate ? { satisfied: true, hits: [] } : { satisfied: false, hits: [] };
    if (found) satisfied = true;
  }
  for (const child of node.children) {
    any = true;
    const r = evaluateNode(child, subjects);
    if (and && !r.satisfied) return node.negate ? { satisfied: true, hits: [] } : { satisfied: false, hits: [] };
    if (r.satisfied) {
      satisfied = true;
      for (const h of r.hits) hits.push(h);
    }
  }
  satisfied = any && satisfied;
  if (node.negate) return { satisfied: !satisfied, hits: [] };
  return { satisfied, hits: satisfied ? hits : [] };
}

/** Every vendor:product key a tree names (vulnerable or not), and whether any criteria has wildcards there. */
export function treeKeys(nodes: readonly CpeNode[]): { readonly keys: Set<string>; readonly wildcard: boolean } {
  const keys = new Set<string>();
  let wildcard = false;
  const walk = (node: CpeNode): void => {
    for (const m of node.matches) {
      const parsed = parsedOf(m);
      if (parsed.cpe === null) continue;
      if (parsed.key === null) wildcard = true;
      else keys.add(parsed.key);
    }
    node.children.forEach(walk);
  };
  nodes.forEach(walk);
  return { keys, wildcard };
}

/** Evaluates configurations (each a root node); returns the vulnerable hits of the satisfied ones. */
export function evaluateConfigurations<T>(
  nodes: readonly CpeNode[],
  subjects: CpeSubjects<T>,
): { readonly hits: readonly CpeHit<T>[]; readonly pairedWithHardware: boolean }[] {
  const out: { hits: CpeHit<T>[]; pairedWithHardware: boolean }[] = [];
  for (const node of nodes) {
    const r = evaluateNode(node, subjects);
    if (!r.satisfied) continue;
    const vulnerable = r.hits.filter((h) => h.match.vulnerable);
    if (vulnerable.length === 0) continue;
    const hardware = r.hits.some(
      (h) =>
        !h.match.vulnerable &&
        criteriaOf(h.match)?.part.kind === 'value' &&
        literalOf(criteriaOf(h.match)?.part ?? { kind: 'any' }) === 'h',
    );
    out.push({ hits: vulnerable, pairedWithHardware: hardware });
  }
  return out;
}

/** vendor:product keys of the vulnerable matches of a tree (for indexing), and whether any is a wildcard. */
export function vulnerableKeys(nodes: readonly CpeNode[]): { readonly keys: Set<string>; readonly wildcard: boolean } {
  const keys = new Set<string>();
  let wildcard = false;
  const walk = (node: CpeNode): void => {
    for (const m of node.matches) {
      if (!m.vulnerable) continue;
      const parsed = parsedOf(m);
      if (parsed.cpe === null) continue;
      if (parsed.key === null) wildcard = true;
      else keys.add(parsed.key);
    }
    node.children.forEach(walk);
  };
  nodes.forEach(walk);
  return { keys, wildcard };
}
