/**
 * @module classify
 * Decides a device's type from its facts and the fingerprint rules. Each matching rule adds its
 * weight to its type; weights of one type combine as independent evidence (1 − Π(1 − w)), the
 * type with the highest combined confidence wins (ties: the earlier type in core's DEVICE_TYPES),
 * and its matching rules are the evidence. No rule matching means `unknown` with confidence 0.
 */
import { DEVICE_TYPES, type DeviceType, type DiscoveryEvidence } from '@ward/core';
import type { CountFact, FingerprintRule, FlagFact, RuleCondition, StringFact } from './rules.js';

export type DeviceFacts = { readonly [F in StringFact]: readonly string[] } & {
  readonly [F in CountFact]: number;
} & { readonly [F in FlagFact]: boolean };

export interface Classification {
  readonly type: DeviceType;
  readonly confidence: number;
  readonly evidence: readonly DiscoveryEvidence[];
}

/** The values that satisfy `condition`, or undefined when it does not hold. */
function satisfy(condition: RuleCondition, facts: DeviceFacts): string[] | undefined {
  const { fact } = condition;
  if (condition.min !== undefined) {
    const n = facts[fact as CountFact];
    return n >= condition.min ? [`${fact} ${String(n)}`] : undefined;
  }
  if (condition.equals !== undefined) {
    return facts[fact as FlagFact] === condition.equals ? [fact] : undefined;
  }
  const values = facts[fact as StringFact];
  const hits = values.filter((v) =>
    condition.anyOf !== undefined ? condition.anyOf.has(v.toLowerCase()) : (condition.matches?.test(v) ?? false),
  );
  return hits.length > 0 ? hits : undefined;
}

/** The values each condition of `rule` matched, or undefined when the rule does not match. */
export function matchRule(rule: FingerprintRule, facts: DeviceFacts): string[] | undefined {
  const matched: string[] = [];
  for (const condition of rule.when) {
    const hits = satisfy(condition, facts);
    if (hits === undefined) return undefined;
    matched.push(...hits);
  }
  return matched;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export function classifyDevice(facts: DeviceFacts, rules: readonly FingerprintRule[]): Classification {
  const byType = new Map<DeviceType, { remaining: number; evidence: DiscoveryEvidence[] }>();
  for (const rule of rules) {
    const matched = matchRule(rule, facts);
    if (matched === undefined) continue;
    let entry = byType.get(rule.type);
    if (entry === undefined) byType.set(rule.type, (entry = { remaining: 1, evidence: [] }));
    entry.remaining *= 1 - rule.weight;
    const shown = [...new Set(matched)].slice(0, 5).join(', ');
    entry.evidence.push({ rule: rule.id, detail: `${rule.description} (${shown})`, weight: rule.weight });
  }
  let best: Classification = { type: 'unknown', confidence: 0, evidence: [] };
  for (const type of DEVICE_TYPES) {
    const entry = byType.get(type);
    if (entry === undefined) continue;
    const confidence = round(1 - entry.remaining);
    if (confidence > best.confidence) {
      const evidence = [...entry.evidence].sort((a, b) => b.weight - a.weight || (a.rule < b.rule ? -1 : 1));
      best = { type, confidence, evidence };
    }
  }
  return best;
}
