/**
 * @module rules
 * Fingerprint rules: data files (`packages/sensor/rules/*.json`) that say which observed facts
 * point to which device type, how strongly, and where that knowledge comes from. They are loaded
 * and validated once at start; a bad file fails with SENSOR_RULES_INVALID naming the file, the
 * rule and the field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVICE_TYPES, type DeviceType } from '@ward/core';
import { SensorError } from './errors.js';

/** Facts that are lists of strings: a rule matches when any of them satisfies its predicate. */
export const STRING_FACTS = [
  'vendor',
  'hostname',
  'dhcpVendorClass',
  'dhcpParamList',
  'dnsName',
  'tlsSni',
  'tlsJa4',
  'httpUserAgent',
  'httpServer',
  'sshBanner',
  /** `tcp/104`, `udp/161`… where the device answered. */
  'serviceOffered',
  /** Protocols the device served (`dicom`, `hl7`, `http`, `fhir`…). */
  'protocolOffered',
  'serviceUsed',
  'protocolUsed',
  'dicomAeTitle',
  'dicomRole',
  /** SOP classes the device sent C-STORE requests for (a modality's images). */
  'dicomStoreScuSopClass',
  /** SOP classes the device received C-STORE requests for (an archive's). */
  'dicomStoreScpSopClass',
  /** SOP classes the device served as SCP, by any command or accepted association. */
  'dicomScpSopClass',
  'dicomScuSopClass',
  'hl7Application',
  'hl7Facility',
  'hl7Role',
  'hl7MessageType',
] as const;
/** Facts that are counts: a rule matches when the count is at least `min`. */
export const COUNT_FACTS = [
  /** Distinct peers that sent the device C-STORE requests. */
  'dicomStoreScpPeers',
  'dicomStoreScuPeers',
  /** Distinct peers the device exchanged HL7 messages with. */
  'hl7Peers',
  'macs',
  'ips',
] as const;
/** Facts that are true or false. */
export const FLAG_FACTS = [
  /** A MAC seen with many IP addresses from routed traffic (see devices.ts). */
  'gateway',
] as const;

export type StringFact = (typeof STRING_FACTS)[number];
export type CountFact = (typeof COUNT_FACTS)[number];
export type FlagFact = (typeof FLAG_FACTS)[number];

export interface RuleCondition {
  readonly fact: StringFact | CountFact | FlagFact;
  /** Exact (case-insensitive) values, a regular expression, a minimum count or a flag. */
  readonly anyOf?: ReadonlySet<string>;
  readonly matches?: RegExp;
  readonly min?: number;
  readonly equals?: boolean;
}

export interface FingerprintRule {
  readonly id: string;
  readonly type: DeviceType;
  /** 0 < weight ≤ 1: how strongly this evidence alone points to `type`. */
  readonly weight: number;
  /** What the rule recognises, in words (the start of each evidence line). */
  readonly description: string;
  /** Where the knowledge comes from: a standard's section, a registry, a vendor document. */
  readonly source: string;
  /** Every condition must hold. */
  readonly when: readonly RuleCondition[];
  /** The file it came from. */
  readonly file: string;
}

/** The folder of rule files shipped with the sensor. */
export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../rules/', import.meta.url));

const STRING_SET = new Set<string>(STRING_FACTS);
const COUNT_SET = new Set<string>(COUNT_FACTS);
const FLAG_SET = new Set<string>(FLAG_FACTS);
const TYPE_SET = new Set<string>(DEVICE_TYPES);
const RULE_KEYS = new Set(['id', 'type', 'weight', 'description', 'source', 'when']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(file: string, rule: string | undefined, field: string, problem: string): never {
  throw new SensorError(
    'SENSOR_RULES_INVALID',
    `${file}${rule === undefined ? '' : ` rule ${rule}`}: ${field} ${problem}`,
    {
      details: { file, ...(rule === undefined ? {} : { rule }), field },
    },
  );
}

function parseCondition(file: string, rule: string, fact: string, predicate: unknown): RuleCondition {
  const field = `when.${fact}`;
  if (STRING_SET.has(fact)) {
    if (!isRecord(predicate)) return fail(file, rule, field, 'must be { "anyOf": [...] } or { "matches": "regex" }');
    const keys = Object.keys(predicate);
    if (keys.length !== 1) return fail(file, rule, field, 'must have exactly one of anyOf, matches');
    if ('anyOf' in predicate) {
      const list = predicate.anyOf;
      if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== ''))
        return fail(file, rule, `${field}.anyOf`, 'must be a non-empty list of non-empty strings');
      return { fact: fact as StringFact, anyOf: new Set((list as string[]).map((v) => v.toLowerCase())) };
    }
    if ('matches' in predicate) {
      if (typeof predicate.matches !== 'string' || predicate.matches === '')
        return fail(file, rule, `${field}.matches`, 'must be a non-empty regular expression');
      try {
        return { fact: fact as StringFact, matches: new RegExp(predicate.matches, 'iu') };
      } catch {
        return fail(file, rule, `${field}.matches`, 'is not a valid regular expression');
      }
    }
    return fail(file, rule, field, 'must have exactly one of anyOf, matches');
  }
  if (COUNT_SET.has(fact)) {
    if (!isRecord(predicate) || Object.keys(predicate).length !== 1 || !('min' in predicate))
      return fail(file, rule, field, 'must be { "min": n }');
    const min = predicate.min;
    if (typeof min !== 'number' || !Number.isInteger(min) || min < 1)
      return fail(file, rule, `${field}.min`, 'must be an integer ≥ 1');
    return { fact: fact as CountFact, min };
  }
  if (FLAG_SET.has(fact)) {
    if (typeof predicate !== 'boolean') return fail(file, rule, field, 'must be true or false');
    return { fact: fact as FlagFact, equals: predicate };
  }
  return fail(file, rule, field, 'is not a known fact');
}

/** Validates the parsed JSON of one rule file; `file` names it in errors. */
export function parseRules(file: string, json: unknown): FingerprintRule[] {
  if (!isRecord(json) || !Array.isArray(json.rules)) return fail(file, undefined, 'rules', 'must be a list');
  return json.rules.map((raw: unknown, index): FingerprintRule => {
    if (!isRecord(raw)) return fail(file, `#${String(index)}`, 'rule', 'must be an object');
    const id = raw.id;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(id))
      return fail(file, `#${String(index)}`, 'id', 'must be lower-case letters, digits, dots and dashes');
    for (const key of Object.keys(raw)) if (!RULE_KEYS.has(key)) fail(file, id, key, 'is not a rule field');
    const type = raw.type;
    if (typeof type !== 'string' || !TYPE_SET.has(type))
      return fail(file, id, 'type', 'must be one of core DEVICE_TYPES');
    const weight = raw.weight;
    if (typeof weight !== 'number' || !(weight > 0 && weight <= 1))
      return fail(file, id, 'weight', 'must be a number in (0, 1]');
    const description = raw.description;
    if (typeof description !== 'string' || description.trim() === '')
      return fail(file, id, 'description', 'must be a non-empty string');
    const source = raw.source;
    if (typeof source !== 'string' || source.trim() === '')
      return fail(file, id, 'source', 'must say where the knowledge comes from');
    const when = raw.when;
    if (!isRecord(when) || Object.keys(when).length === 0)
      return fail(file, id, 'when', 'must be a non-empty object of conditions');
    return {
      id,
      type: type as DeviceType,
      weight,
      description,
      source,
      when: Object.entries(when).map(([fact, predicate]) => parseCondition(file, id, fact, predicate)),
      file,
    };
  });
}

/** Loads every `*.json` in `dir` (sorted by name); rule ids must be unique across files. */
export function loadRules(dir: string = DEFAULT_RULES_DIR): FingerprintRule[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (error) {
    throw new SensorError('SENSOR_RULES_INVALID', `cannot read the rules folder ${dir}`, {
      cause: error,
      details: { file: dir },
    });
  }
  const rules: FingerprintRule[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SensorError('SENSOR_RULES_INVALID', `${file}: not readable JSON`, { cause: error, details: { file } });
    }
    for (const rule of parseRules(file, json)) {
      const other = seen.get(rule.id);
      if (other !== undefined) fail(file, rule.id, 'id', `is also used in ${other}`);
      seen.set(rule.id, file);
      rules.push(rule);
    }
  }
  return rules;
}
