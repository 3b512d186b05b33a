/**
 * @module commands/vex
 * `ward vex import|decide|list|export`: VEX decisions for a device model. Decisions are recorded
 * per vulnerability + component identity + version (or range), with author and time, so a "not
 * affected" made once keeps applying to later SBOMs of the model while the component's version is
 * unchanged. `export` writes the current decisions as CycloneDX 1.6, CSAF 2.0 VEX or OpenVEX
 * v0.2.0 and validates the document before printing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  IntelError,
  VEX_JUSTIFICATIONS,
  VEX_STATUSES,
  type IntelProblem,
  type VexJustification,
  type VexStatement,
  type VexStatus,
} from '@ward/intel';
import { exportVexDocument } from '@ward/services';
import { emit, storeOptions, withServices, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';

interface ModelFlags extends StoreFlags {
  readonly manufacturer: string;
  readonly model: string;
}

function problemLine(p: IntelProblem): string {
  const where = [p.record, p.field].filter((x): x is string => x !== null).join(' ');
  return `  ${p.severity} ${p.code}${where === '' ? '' : ` [${where}]`}: ${p.message}\n`;
}

export function vexCommand(program: Command, io: CliIo): void {
  const vex = program.command('vex').description('VEX decisions of device models: import, decide, list, export');

  storeOptions(
    vex
      .command('import')
      .description('record the statements of VEX documents (CycloneDX, CSAF 2.0 VEX, OpenVEX) as decisions for a model')
      .argument('<file...>', 'VEX documents')
      .requiredOption('--manufacturer <name>', 'the device manufacturer')
      .requiredOption('--model <name>', 'the device model')
      .option('--author <name>', 'who made the decisions (default: the document author, else the manufacturer)'),
  ).action(async (files: string[], flags: ModelFlags & { author?: string }) => {
    const model = { manufacturer: flags.manufacturer, model: flags.model };
    const results = await withServices(io, flags, async (services, actor) => {
      const software = services.software(actor);
      const out = [];
      for (const file of files) {
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          throw new CliError('CLI_INPUT', `${file}: cannot read it`, { cause: error, details: { file } });
        }
        out.push(
          await software.importVex({
            bytes,
            file,
            model,
            ...(flags.author === undefined ? {} : { author: flags.author }),
          }),
        );
      }
      return out;
    });
    emit(io, flags, { imported: results }, () =>
      results
        .map(
          (r) =>
            `${r.file}: ${String(r.decisions)} decisions (${r.format ?? 'not VEX'})\n${r.problems.map(problemLine).join('')}`,
        )
        .join(''),
    );
    const failed = results.find((r) => r.format === null);
    if (failed !== undefined) {
      const first = failed.problems[0];
      throw new IntelError(
        first?.code ?? 'INTEL_VEX_FORMAT',
        `${failed.file}: ${first?.message ?? 'not a VEX document'}`,
        {
          details: { file: failed.file },
        },
      );
    }
  });

  storeOptions(
    vex
      .command('decide')
      .description("record one person's decision: the status of a vulnerability for a component of a model")
      .requiredOption('--manufacturer <name>', 'the device manufacturer')
      .requiredOption('--model <name>', 'the device model')
      .requiredOption('--vulnerability <id>', 'CVE or other id')
      .requiredOption('--component <purl|cpe|name>', 'the component (a purl with version is best)')
      .addOption(new Option('--status <status>', 'the status').choices([...VEX_STATUSES]).makeOptionMandatory())
      .addOption(new Option('--justification <justification>', 'why not affected').choices([...VEX_JUSTIFICATIONS]))
      .option('--component-version <version>', 'the component version decided on, when --component does not carry one')
      .option('--version-range <vers>', 'limit to a version range (vers: URI) instead of one version')
      .option('--impact <text>', 'impact statement')
      .option('--action <text>', 'action statement')
      .requiredOption('--author <name>', 'who decides'),
  ).action(
    async (
      flags: ModelFlags & {
        vulnerability: string;
        component: string;
        status: VexStatus;
        justification?: VexJustification;
        componentVersion?: string;
        versionRange?: string;
        impact?: string;
        action?: string;
        author: string;
      },
    ) => {
      if (flags.status === 'not_affected' && flags.justification === undefined && flags.impact === undefined) {
        throw new IntelError('INTEL_VEX_JUSTIFICATION_MISSING', 'not_affected needs --justification or --impact', {
          details: { field: '--justification' },
        });
      }
      const model = { manufacturer: flags.manufacturer, model: flags.model };
      const statement: VexStatement = {
        vulnerability: flags.vulnerability,
        component: flags.component,
        status: flags.status,
        origin: 'cli',
        author: flags.author,
        ...(flags.justification === undefined ? {} : { justification: flags.justification }),
        ...(flags.componentVersion === undefined ? {} : { componentVersion: flags.componentVersion }),
        ...(flags.versionRange === undefined ? {} : { versionRange: flags.versionRange }),
        ...(flags.impact === undefined ? {} : { impactStatement: flags.impact }),
        ...(flags.action === undefined ? {} : { actionStatement: flags.action }),
      };
      const decision = await withServices(io, flags, (services, actor) =>
        services.software(actor).decide(model, statement, flags.author),
      );
      emit(
        io,
        flags,
        decision,
        () => `Recorded ${decision.status} for ${decision.vulnerability} on ${decision.component}\n`,
      );
    },
  );

  storeOptions(
    vex
      .command('list')
      .description('list the current VEX decisions of a model (the latest per vulnerability, component and version)')
      .requiredOption('--manufacturer <name>', 'the device manufacturer')
      .requiredOption('--model <name>', 'the device model')
      .option('--history', 'every decision ever recorded, oldest first'),
  ).action(async (flags: ModelFlags & { history?: boolean }) => {
    const decisions = await withStore(io, flags, (store) =>
      flags.history === true ? store.software.vexHistory(flags) : store.software.vexDecisions(flags),
    );
    emit(io, flags, { decisions }, () =>
      table([
        ['VULNERABILITY', 'COMPONENT', 'VERSION', 'STATUS', 'JUSTIFICATION', 'AUTHOR', 'DECIDED'],
        ...decisions.map((d) => [
          d.vulnerability,
          d.component,
          d.componentVersion ?? d.versionRange ?? '*',
          d.status,
          d.justification ?? '',
          d.author,
          d.decidedAt,
        ]),
      ]),
    );
  });

  storeOptions(
    vex
      .command('export')
      .description('write the current VEX decisions of a model as CycloneDX, CSAF 2.0 VEX or OpenVEX')
      .requiredOption('--manufacturer <name>', 'the device manufacturer')
      .requiredOption('--model <name>', 'the device model')
      .option('--firmware <version>', 'only decisions that apply to the components of this firmware’s SBOMs')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['cyclonedx', 'csaf', 'openvex'])
          .makeOptionMandatory(),
      )
      .option('--author <name>', 'document author/publisher (default: the manufacturer)')
      .option('--out <file>', 'write the document to a file instead of standard output'),
  ).action(
    async (
      flags: ModelFlags & {
        firmware?: string;
        format: 'cyclonedx' | 'csaf' | 'openvex';
        author?: string;
        out?: string;
      },
    ) => {
      const model = { manufacturer: flags.manufacturer, model: flags.model };
      const { document, statements } = await withStore(io, flags, (store) =>
        exportVexDocument(
          store,
          {
            model,
            format: flags.format,
            ...(flags.firmware === undefined ? {} : { firmware: flags.firmware }),
            ...(flags.author === undefined ? {} : { author: flags.author }),
          },
          new Date().toISOString(),
        ),
      );
      if (flags.out === undefined) {
        io.stdout(`${document}\n`);
        return;
      }
      writeFileSync(flags.out, `${document}\n`);
      emit(
        io,
        flags,
        { file: flags.out, format: flags.format, statements },
        () => `Wrote ${String(statements)} statements as ${flags.format} to ${flags.out ?? ''}\n`,
      );
    },
  );
}
