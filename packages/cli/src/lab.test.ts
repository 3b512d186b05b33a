import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS_DIR } from '@ward/lab';
import { afterAll, describe, expect, it } from 'vitest';
import { ward } from './test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-cli-lab-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Plan {
  scenario: string;
  seed: number;
  timeline: { at: number; kind: string; attack: boolean }[];
}

describe('ward lab', () => {
  it('lists the shipped scenarios', async () => {
    const result = await ward(['lab', 'list', '--json']);
    expect(result.code).toBe(0);
    const names = result.json<{ scenarios: { name: string; devices: number }[] }>().scenarios.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['smoke', 'ward-day']));
  });

  it('plans the same timeline for the same seed', async () => {
    const a = (await ward(['lab', 'plan', 'smoke', '--seed', '17', '--json'])).json<Plan>();
    const b = (await ward(['lab', 'plan', 'smoke', '--seed', '17', '--json'])).json<Plan>();
    const c = (await ward(['lab', 'plan', 'smoke', '--seed', '18', '--json'])).json<Plan>();
    expect(a.seed).toBe(17);
    expect(b.timeline).toEqual(a.timeline);
    expect(c.timeline).not.toEqual(a.timeline);
    expect(a.timeline.some((action) => action.attack)).toBe(true);
  });

  it('ward-day has at least 40 devices, 30 minutes and every attack', async () => {
    const list = (await ward(['lab', 'list', '--json'])).json<{
      scenarios: { name: string; devices: number; durationSeconds: number }[];
    }>();
    const day = list.scenarios.find((s) => s.name === 'ward-day');
    expect(day?.devices).toBeGreaterThanOrEqual(40);
    expect(day?.durationSeconds).toBeGreaterThanOrEqual(1800);
    const plan = (await ward(['lab', 'plan', 'ward-day', '--json'])).json<Plan>();
    const smoke = (await ward(['lab', 'plan', 'smoke', '--json'])).json<Plan>();
    const attacks = (p: Plan): Set<string> => new Set(p.timeline.filter((a) => a.attack).map((a) => a.kind));
    expect(attacks(plan)).toEqual(attacks(smoke));
  });

  it('refuses a scenario naming an unknown tool, with its line, before anything starts', async () => {
    const text = readFileSync(join(SCENARIOS_DIR, 'smoke.json'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('"kind": "port-scan"')) + 1;
    const file = join(dir, 'bad.json');
    writeFileSync(file, text.replace('"kind": "port-scan"', '"kind": "masscan"'));
    const result = await ward(['lab', 'run', file, '--out', join(dir, 'out'), '--json']);
    expect(result.code).toBe(2);
    const error = (JSON.parse(result.stderr) as { error: { code: string; details: { line: number; file: string } } })
      .error;
    expect(error.code).toBe('LAB_SCENARIO_INVALID');
    expect(error.details).toMatchObject({ file, line });
  });

  it('names an unknown scenario and a bad seed as usage errors', async () => {
    const missing = await ward(['lab', 'plan', 'no-such-scenario', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('LAB_SCENARIO_NOT_FOUND');
    const seed = await ward(['lab', 'plan', 'smoke', '--seed', 'x', '--json']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('CLI_USAGE');
  });
});
