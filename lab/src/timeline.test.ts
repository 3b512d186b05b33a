import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from './preflight.js';
import { createRandom } from './random.js';
import { parseScenario } from './scenario.js';
import { planTimeline, rhythmFactor } from './timeline.js';

const smoke = parseScenario(readFileSync(join(SCENARIOS_DIR, 'smoke.json'), 'utf8'), 'smoke.json');

describe('planTimeline', () => {
  it('plans the same timeline for the same seed, and another for another seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (seed) => {
        const plan = planTimeline(smoke, seed);
        expect(planTimeline(smoke, seed)).toStrictEqual(plan);
        expect(planTimeline(smoke, (seed + 1) >>> 0)).not.toStrictEqual(plan);
      }),
      { numRuns: 30 },
    );
  });

  it('keeps every action inside the timeline, in time order, with ids in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (seed) => {
        const plan = planTimeline(smoke, seed);
        plan.forEach((action, index) => {
          expect(action.id).toBe(index);
          expect(action.at).toBeGreaterThanOrEqual(0);
          expect(action.at).toBeLessThan(smoke.durationSeconds);
          if (index > 0) expect(action.at).toBeGreaterThanOrEqual(plan[index - 1]?.at ?? 0);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('plans every one-shot attack once and beacons at their fixed interval', () => {
    const plan = planTimeline(smoke, 99);
    for (const [index, step] of smoke.steps.entries()) {
      const actions = plan.filter((a) => a.step === index);
      if (step.count !== undefined && step.interval !== undefined) {
        expect(actions).toHaveLength(step.count);
        for (let k = 1; k < actions.length; k++)
          expect((actions[k]?.at ?? 0) - (actions[k - 1]?.at ?? 0)).toBeCloseTo(step.interval, 2);
      } else if (step.at !== undefined) {
        expect(actions).toHaveLength(1);
        expect(Math.abs((actions[0]?.at ?? 0) - step.at)).toBeLessThanOrEqual(smoke.jitterSeconds + 0.001);
      }
    }
  });

  it('adding a step leaves the other steps’ times alone', () => {
    const extra = {
      ...smoke,
      steps: [...smoke.steps, { kind: 'dns-lookup' as const, from: 'ws-2', every: 3, names: ['x'] }],
      stepLines: [...smoke.stepLines, 999],
    };
    const before = planTimeline(smoke, 5).map((a) => `${String(a.step)}@${String(a.at)}`);
    const after = planTimeline(extra, 5)
      .filter((a) => a.step < smoke.steps.length)
      .map((a) => `${String(a.step)}@${String(a.at)}`);
    expect(after).toEqual(before);
  });
});

describe('rhythm and random', () => {
  it('a day rhythm is busier at noon than at night, a night rhythm the reverse', () => {
    expect(rhythmFactor('day', 12)).toBeGreaterThan(rhythmFactor('day', 3));
    expect(rhythmFactor('night', 3)).toBeGreaterThan(rhythmFactor('night', 12));
    expect(rhythmFactor('constant', 3)).toBe(1);
  });

  it('draws in [0, 1) and repeats for the same seed and stream', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), (seed, stream) => {
        const a = createRandom(seed, stream);
        const b = createRandom(seed, stream);
        for (let k = 0; k < 20; k++) {
          const x = a.next();
          expect(x).toBe(b.next());
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });
});
