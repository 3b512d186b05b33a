/**
 * @module timeline
 * Plans a scenario's timeline from its steps and a seed: one-shot steps at their time with seeded
 * jitter, periodic steps at a fixed interval (beaconing), recurring steps as a random process whose
 * rate follows the device's daily rhythm compressed into `dayLengthSeconds`. The same scenario and
 * seed always give the same plan; each step draws from its own stream, so adding a step leaves the
 * others' times alone.
 */
import { createRandom, type Random } from './random.js';
import { isAttack, type Scenario, type StepKind, type StepSpec } from './scenario.js';

export interface PlannedAction {
  /** Position in the plan (time order). */
  readonly id: number;
  /** Seconds from the start of the timeline, to the millisecond. */
  readonly at: number;
  /** Index of the step in the scenario, and its line in the file. */
  readonly step: number;
  readonly line: number;
  readonly kind: StepKind;
  readonly from: string;
  readonly to: string | null;
  readonly attack: boolean;
  /** The message, path, name or label this occurrence uses, when the step offers a choice. */
  readonly choice: string | null;
}

/** Activity factor (0…1) at an hour of the day, for each rhythm. */
export function rhythmFactor(rhythm: 'day' | 'night' | 'constant', hour: number): number {
  if (rhythm === 'constant') return 1;
  const day = hour >= 8 && hour < 18 ? 1 : (hour >= 6 && hour < 8) || (hour >= 18 && hour < 22) ? 0.4 : 0.1;
  return rhythm === 'day' ? day : 1.1 - day;
}

function choiceOf(step: StepSpec, random: Random): string | null {
  if (step.kind === 'hl7-send' || step.kind === 'hl7-inject') return random.pick(step.messages);
  if (step.kind === 'fhir-get') return random.pick(step.paths);
  if (step.kind === 'dns-lookup') return random.pick(step.names);
  if (step.kind === 'beacon-dns') {
    const label = Math.floor(random.next() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
    return `${label}.${step.domain}`;
  }
  return null;
}

const round = (t: number): number => Math.round(t * 1000) / 1000;

/** The planned timeline of `scenario` for `seed` (default: the scenario's own). */
export function planTimeline(scenario: Scenario, seed: number = scenario.seed): PlannedAction[] {
  const day = scenario.dayLengthSeconds ?? scenario.durationSeconds;
  const end = scenario.durationSeconds;
  const drafts: Omit<PlannedAction, 'id'>[] = [];
  scenario.steps.forEach((step, index) => {
    const random = createRandom(seed, `step:${String(index)}`);
    const base = {
      step: index,
      line: scenario.stepLines[index] ?? 0,
      kind: step.kind,
      from: step.from,
      to: 'to' in step ? step.to : null,
      attack: isAttack(step.kind),
    };
    const add = (at: number): void => {
      if (at >= 0 && at < end) drafts.push({ ...base, at: round(at), choice: choiceOf(step, random) });
    };
    if (step.at !== undefined) {
      const jitter = (random.next() * 2 - 1) * scenario.jitterSeconds;
      const first = Math.max(0, step.at + jitter);
      if (step.interval === undefined || step.count === undefined) add(first);
      else for (let k = 0; k < step.count; k++) add(first + k * step.interval);
      return;
    }
    const every = step.every ?? end;
    const rhythm = step.rhythm ?? 'constant';
    const from = step.start ?? 0;
    const until = Math.min(step.end ?? end, end);
    // Thinning: candidates at the peak rate, each kept with probability factor(hour) / peak.
    let t = from + random.next() * Math.min(every, Math.max(until - from, 0));
    while (t < until) {
      const hour = (scenario.startHour + (24 * t) / day) % 24;
      if (random.next() < rhythmFactor(rhythm, hour)) add(t);
      t += -Math.log(1 - random.next()) * every;
    }
  });
  drafts.sort((a, b) => a.at - b.at || a.step - b.step);
  return drafts.map((draft, id) => ({ id, ...draft }));
}
