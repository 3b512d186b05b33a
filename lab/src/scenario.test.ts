import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from './preflight.js';
import { ATTACK_KINDS, parseScenario } from './scenario.js';

const smokeText = readFileSync(join(SCENARIOS_DIR, 'smoke.json'), 'utf8');
const lines = smokeText.split('\n');

/** The 1-based line of the first line containing `needle`. */
function lineOf(needle: string): number {
  const index = lines.findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line with ${needle}`);
  return index + 1;
}

function errorOf(text: string): { code?: string; details?: { line?: number; field?: string } } {
  try {
    parseScenario(text, 'edited.json');
  } catch (error) {
    return error as { code?: string; details?: { line?: number; field?: string } };
  }
  throw new Error('the scenario was accepted');
}

describe('scenario files', () => {
  it('every shipped scenario is valid', () => {
    const files = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.json'));
    expect(files).toContain('smoke.json');
    for (const file of files) {
      const scenario = parseScenario(readFileSync(join(SCENARIOS_DIR, file), 'utf8'), file);
      expect(scenario.stepLines).toHaveLength(scenario.steps.length);
    }
  });

  it('smoke has one attack of each kind', () => {
    const scenario = parseScenario(smokeText, 'smoke.json');
    expect(new Set(scenario.steps.map((s) => s.kind))).toEqual(
      new Set([...scenario.steps.map((s) => s.kind), ...ATTACK_KINDS]),
    );
  });

  it('records the line of each step', () => {
    const scenario = parseScenario(smokeText, 'smoke.json');
    const index = scenario.steps.findIndex((s) => s.kind === 'ssh-brute-force');
    expect(scenario.stepLines[index]).toBe(lineOf('"ssh-brute-force"'));
  });
});

describe('scenario validation names the line', () => {
  it('an unknown tool (step kind)', () => {
    const line = lineOf('"ssh-brute-force"');
    const text = smokeText.replace('"kind": "ssh-brute-force"', '"kind": "metasploit"');
    expect(errorOf(text)).toMatchObject({ code: 'LAB_SCENARIO_INVALID', details: { line } });
  });

  it('an unknown service', () => {
    const line = lineOf('"name": "files"');
    const text = smokeText.replace(
      '"services": ["file-server", "ssh-server"]',
      '"services": ["file-server", "telnetd"]',
    );
    expect(errorOf(text)).toMatchObject({ code: 'LAB_SCENARIO_INVALID', details: { line } });
  });

  it('an unknown device type', () => {
    const line = lineOf('"name": "ct-1"');
    expect(errorOf(smokeText.replace('"type": "ct"', '"type": "toaster"'))).toMatchObject({
      code: 'LAB_SCENARIO_INVALID',
      details: { line },
    });
  });

  it('a step from a device that does not exist', () => {
    const line = lineOf('"kind": "smb-lateral"');
    const text = smokeText.replace('"kind": "smb-lateral", "from": "ct-1"', '"kind": "smb-lateral", "from": "mri-9"');
    expect(errorOf(text)).toMatchObject({ code: 'LAB_SCENARIO_INVALID', details: { line, field: 'steps.23.from' } });
  });

  it('a step aimed at a device without the service', () => {
    const line = lineOf('"kind": "hl7-inject"');
    const text = smokeText.replace(
      '"kind": "hl7-inject", "from": "rogue", "to": "engine"',
      '"kind": "hl7-inject", "from": "rogue", "to": "pacs"',
    );
    expect(errorOf(text)).toMatchObject({ code: 'LAB_SCENARIO_INVALID', details: { line } });
  });

  it('an address outside the lab ranges', () => {
    const line = lineOf('"name": "rogue"');
    expect(errorOf(smokeText.replace('"10.77.9.66"', '"192.168.1.5"'))).toMatchObject({
      code: 'LAB_SCENARIO_INVALID',
      details: { line },
    });
  });

  it('a syntax error', () => {
    const line = lineOf('"kind": "dicom-echo", "from": "us-1"');
    expect(
      errorOf(smokeText.replace('"kind": "dicom-echo", "from": "us-1"', '"kind": "dicom-echo" "from": "us-1"')),
    ).toMatchObject({
      code: 'LAB_SCENARIO_INVALID',
      details: { line },
    });
  });
});
