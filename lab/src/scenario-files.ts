/**
 * @module scenario-files
 * Finds scenarios: the shipped ones in `lab/scenarios/NAME.json`, or any file by path.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LabError } from './errors.js';
import { SCENARIOS_DIR } from './preflight.js';
import { loadScenario, type Scenario } from './scenario.js';

/** Names of the shipped scenarios. */
export function listScenarioNames(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The file of a shipped scenario name, or `nameOrPath` itself when it is a file. */
export function scenarioFileOf(nameOrPath: string): string {
  if (/^[a-z][a-z0-9-]*$/.test(nameOrPath)) {
    const shipped = join(SCENARIOS_DIR, `${nameOrPath}.json`);
    if (existsSync(shipped)) return shipped;
  }
  if (existsSync(nameOrPath)) return resolve(nameOrPath);
  throw new LabError(
    'LAB_SCENARIO_NOT_FOUND',
    `no scenario ${nameOrPath} (shipped: ${listScenarioNames().join(', ')}; or give a file path)`,
    { details: { scenario: nameOrPath } },
  );
}

/** Loads a shipped scenario by name, or a scenario file by path. */
export function findScenario(nameOrPath: string): Scenario {
  return loadScenario(scenarioFileOf(nameOrPath));
}
