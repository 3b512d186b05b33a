import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DEVICE_TYPES } from '@ward/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRules, parseRules } from './rules.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-rules-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const good = {
  id: 'x.one',
  type: 'ct',
  weight: 0.5,
  description: 'd',
  source: 's',
  when: { dicomAeTitle: { anyOf: ['CT'] } },
};

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('fingerprint rules', () => {
  it('ships rule files that load, each rule with a source and a known type', () => {
    const rules = loadRules();
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      expect(rule.source.length).toBeGreaterThan(10);
      expect(DEVICE_TYPES).toContain(rule.type);
    }
  });

  it.each([
    ['type', { ...good, type: 'toaster' }, 'type'],
    ['weight', { ...good, weight: 1.5 }, 'weight'],
    ['source', { ...good, source: ' ' }, 'source'],
    ['unknown fact', { ...good, when: { colour: { anyOf: ['x'] } } }, 'when.colour'],
    ['bad regex', { ...good, when: { vendor: { matches: '(' } } }, 'when.vendor.matches'],
    ['bad count', { ...good, when: { hl7Peers: { min: 0 } } }, 'when.hl7Peers.min'],
    ['extra field', { ...good, colour: 'red' }, 'colour'],
    ['empty when', { ...good, when: {} }, 'when'],
  ])('refuses a rule with a bad %s, naming file, rule and field', (_label, rule, field) => {
    expect(codeOf(() => parseRules('bad.json', { rules: [rule] }))).toMatchObject({
      code: 'SENSOR_RULES_INVALID',
      details: { file: 'bad.json', rule: 'x.one', field },
    });
  });

  it('refuses a rule file that is not JSON and a rule id used twice', () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ rules: [good] }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ rules: [good] }));
    expect(codeOf(() => loadRules(dir))).toMatchObject({
      code: 'SENSOR_RULES_INVALID',
      details: { file: join(dir, 'b.json'), rule: 'x.one', field: 'id' },
    });
    writeFileSync(join(dir, 'b.json'), '{"rules": [');
    expect(codeOf(() => loadRules(dir))).toMatchObject({
      code: 'SENSOR_RULES_INVALID',
      details: { file: join(dir, 'b.json') },
    });
  });

  it('turns any JSON into rules or a coded error, never anything else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseRules('f.json', { rules: [value] });
        } catch (error) {
          expect(error).toMatchObject({ code: 'SENSOR_RULES_INVALID' });
        }
      }),
    );
  });
});
