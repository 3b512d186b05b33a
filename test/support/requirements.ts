/**
 * @module test/support/requirements
 * What a test needs of the machine (a tool, root, shared data). On a developer's machine a test
 * whose needs are not met is skipped with the reason printed; under CI (`CI=true`) a missing need
 * is a failure, because `.ci/run` installs everything the tests use.
 */
import { describe, it } from 'vitest';

/** The first reason the needs are not met, or undefined when they all are. */
export function unmet(needs: readonly (readonly [ok: boolean, reason: string])[]): string | undefined {
  return needs.find(([ok]) => !ok)?.[1];
}

/**
 * `describe` when nothing is missing. Otherwise it prints the reason and skips, or, under CI,
 * registers one failing test that names what is missing.
 */
export function describeWhen(reason: string | undefined, name: string, body: () => void): void {
  if (reason === undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`has what it needs (CI installs it): ${reason}`, () => {
        throw new Error(`${name}: ${reason}; .ci/run should have installed it`);
      });
    });
    return;
  }
  console.warn(`skipping ${name}: ${reason}`);
  describe.skip(name, body);
}
