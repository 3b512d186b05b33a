/**
 * @module cpe/cpe-match
 * CPE name matching (NISTIR 7696): the attribute comparison table (ANY, NA, literal values and
 * values with wildcards) giving SUPERSET, SUBSET, EQUAL, DISJOINT or UNDEFINED per attribute, and
 * the name-level relations built from it.
 */
import { CPE_ATTRIBUTES, type Cpe, type CpeAttribute, type CpeValue } from './cpe.js';

export type CpeRelation = 'SUPERSET' | 'SUBSET' | 'EQUAL' | 'DISJOINT' | 'UNDEFINED';

const hasWildcards = (v: CpeValue): boolean => v.kind === 'value' && (v.before !== '' || v.after !== '');

/** NISTIR 7696 compare_strings: whether the wildcard pattern `source` covers the literal `target`. */
function wildcardMatches(source: Extract<CpeValue, { kind: 'value' }>, target: string): boolean {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const glob = (w: string): string => (w === '' ? '' : w === '*' ? '.*' : `.{0,${String(w.length)}}`);
  return new RegExp(`^${glob(source.before)}${escape(source.text)}${glob(source.after)}$`, 's').test(target);
}

/** Table 6-2: how the source attribute value relates to the target's. */
export function compareCpeValues(source: CpeValue, target: CpeValue): CpeRelation {
  if (hasWildcards(target)) return 'UNDEFINED';
  if (source.kind === 'any') return target.kind === 'any' ? 'EQUAL' : 'SUPERSET';
  if (source.kind === 'na') return target.kind === 'any' ? 'SUBSET' : target.kind === 'na' ? 'EQUAL' : 'DISJOINT';
  if (target.kind === 'any') return 'SUBSET';
  if (target.kind === 'na') return 'DISJOINT';
  if (hasWildcards(source)) return wildcardMatches(source, target.text) ? 'SUPERSET' : 'DISJOINT';
  return source.text === target.text ? 'EQUAL' : 'DISJOINT';
}

export function compareCpes(source: Cpe, target: Cpe): Record<CpeAttribute, CpeRelation> {
  return Object.fromEntries(CPE_ATTRIBUTES.map((a) => [a, compareCpeValues(source[a], target[a])])) as Record<
    CpeAttribute,
    CpeRelation
  >;
}

/** The name-level relation: EQUAL, SUPERSET (source covers target), SUBSET, DISJOINT or UNDEFINED. */
export function cpeRelation(source: Cpe, target: Cpe): CpeRelation {
  const rs = Object.values(compareCpes(source, target));
  if (rs.includes('DISJOINT')) return 'DISJOINT';
  if (rs.includes('UNDEFINED')) return 'UNDEFINED';
  if (rs.every((r) => r === 'EQUAL')) return 'EQUAL';
  if (rs.every((r) => r === 'EQUAL' || r === 'SUPERSET')) return 'SUPERSET';
  if (rs.every((r) => r === 'EQUAL' || r === 'SUBSET')) return 'SUBSET';
  return 'UNDEFINED';
}

export const isCpeSuperset = (source: Cpe, target: Cpe): boolean => {
  const r = cpeRelation(source, target);
  return r === 'SUPERSET' || r === 'EQUAL';
};
export const isCpeSubset = (source: Cpe, target: Cpe): boolean => {
  const r = cpeRelation(source, target);
  return r === 'SUBSET' || r === 'EQUAL';
};
export const isCpeEqual = (source: Cpe, target: Cpe): boolean => cpeRelation(source, target) === 'EQUAL';
export const isCpeDisjoint = (source: Cpe, target: Cpe): boolean => cpeRelation(source, target) === 'DISJOINT';
