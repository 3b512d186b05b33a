/**
 * @module commands/lab
 * `ward lab list|plan|run|clean`: the hospital network in a box. `run` needs root and the Debian
 * programs of `lab/setup.sh`; it tears everything down on SIGINT/SIGTERM before exiting.
 */
import type { Command } from 'commander';
import type * as LabModule from '@ward/lab';
import type { RunReport } from '@ward/lab';
import { emit } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';

interface JsonFlag {
  readonly json?: boolean;
}
interface SeedFlags extends JsonFlag {
  readonly seed?: string;
}
interface RunFlags extends SeedFlags {
  readonly out: string;
}

type Lab = typeof LabModule;

/** The lab, loaded on use: it is an optional dependency of the CLI, not part of its runtime path. */
async function loadLab(): Promise<Lab> {
  try {
    return await import('@ward/lab');
  } catch (error) {
    throw new CliError('CLI_LAB_UNAVAILABLE', 'the lab (@ward/lab) is not installed with this ward', {
      cause: error,
    });
  }
}

function seedOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffff_ffff)
    throw new CliError('CLI_USAGE', `--seed ${JSON.stringify(value)}: expected a whole number below 2^32`, {
      details: { field: '--seed' },
    });
  return Number(value);
}

export function labCommand(program: Command, io: CliIo): void {
  const lab = program
    .command('lab')
    .description('the hospital network in a box: real clinical peers and attacks, recorded as labelled captures');

  lab
    .command('list')
    .description('list the shipped scenarios')
    .option('--json', 'print machine-readable JSON')
    .action(async (flags: JsonFlag) => {
      const { findScenario, listScenarioNames } = await loadLab();
      const scenarios = listScenarioNames().map((name) => {
        const s = findScenario(name);
        return {
          name,
          description: s.description,
          devices: s.devices.length,
          steps: s.steps.length,
          durationSeconds: s.durationSeconds,
        };
      });
      emit(io, flags, { scenarios }, () =>
        table([
          ['NAME', 'DEVICES', 'STEPS', 'SECONDS', 'DESCRIPTION'],
          ...scenarios.map((s) => [
            s.name,
            String(s.devices),
            String(s.steps),
            String(s.durationSeconds),
            s.description,
          ]),
        ]),
      );
    });

  lab
    .command('plan <scenario>')
    .description('validate a scenario and print its planned timeline (no root needed)')
    .option('--seed <n>', "seed of the timeline (default: the scenario's)")
    .option('--json', 'print machine-readable JSON')
    .action(async (name: string, flags: SeedFlags) => {
      const { findScenario, planTimeline } = await loadLab();
      const scenario = findScenario(name);
      const seed = seedOf(flags.seed) ?? scenario.seed;
      const timeline = planTimeline(scenario, seed);
      emit(io, flags, { scenario: scenario.name, seed, timeline }, () =>
        table([
          ['AT', 'KIND', 'FROM', 'TO', 'LINE', 'ATTACK'],
          ...timeline.map((a) => [a.at.toFixed(3), a.kind, a.from, a.to ?? '', String(a.line), a.attack ? 'yes' : '']),
        ]),
      );
    });

  lab
    .command('run <scenario>')
    .description('run a scenario (as root) and write capture.pcap, labels.jsonl, inventory.json, scenario.json')
    .requiredOption('--out <dir>', 'output folder')
    .option('--seed <n>', "seed of the timeline (default: the scenario's)")
    .option('--json', 'print machine-readable JSON')
    .action(async (name: string, flags: RunFlags) => {
      const { findScenario, runScenario } = await loadLab();
      const scenario = findScenario(name);
      const seed = seedOf(flags.seed);
      const controller = new AbortController();
      const stop = (): void => {
        controller.abort();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let report: RunReport;
      try {
        report = await runScenario({
          scenario,
          outDir: flags.out,
          ...(seed === undefined ? {} : { seed }),
          signal: controller.signal,
          progress: (line) => {
            io.stderr(`${line}\n`);
          },
        });
      } finally {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
      emit(io, flags, report, () =>
        [
          `Ran ${report.scenario} (seed ${String(report.seed)}, run ${report.runId}) in ${report.wallSeconds.toFixed(1)} s: ` +
            `${String(report.devices)} devices, ${String(report.actions.ok)}/${String(report.actions.planned)} actions ok, ` +
            `${String(report.labels)} attack labels`,
          `Wrote ${report.outDir}/{capture.pcap,labels.jsonl,inventory.json,scenario.json}`,
          ...(report.leftovers.length > 0 ? [`Left behind: ${report.leftovers.join('; ')} (run ward lab clean)`] : []),
          '',
        ].join('\n'),
      );
    });

  lab
    .command('clean')
    .description('remove namespaces, processes and folders left by crashed runs (as root)')
    .option('--json', 'print machine-readable JSON')
    .action(async (flags: JsonFlag) => {
      const { cleanLeftovers } = await loadLab();
      const report = cleanLeftovers();
      emit(
        io,
        flags,
        report,
        () =>
          `Removed ${String(report.namespaces.length)} namespaces and ${String(report.folders.length)} folders` +
          (report.live.length > 0 ? `; left ${String(report.live.length)} live runs alone` : '') +
          '\n',
      );
    });
}
