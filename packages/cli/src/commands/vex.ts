/**
 * @module commands/vex
 * `ward vex import|decide|list|export`: VEX decisions for a device model. Decisions are recorded
 * per vulnerability + component identity + version (or range), with author and time, so a "not
 * affected" made once keeps applying to later SBOMs of the model while the component's version is
 * unchanged. `export` writes the current decisions as CycloneDX 1.6, CSAF 2.0 VEX or OpenVEX
 * v0.2.0 and validates the document before printing it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  IntelError,
  VEX_JUSTIFICATIONS,
  VEX_STATUSES,
  componentIdentity,
  componentWithVersion,
  decisionApplies,
  decisionKeyOf,
  parseVex,
  validateCsafVex,
  validateCycloneDxVex,
  validateOpenVex,
  writeCsafVex,
  writeCycloneDxVex,
  writeOpenVex,
  type ComponentIdentity,
  type IntelProblem,
  type VexDocumentInput,
  type VexJustification,
  type VexStatement,
  type VexStatus,
} from '@ward/intel';
import type { ModelRef, Store, VexDecision } from '@ward/store';
import { emit, storeOptions, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';

/** Turns VEX statements into decisions for a model (one per statement), recorded now. */
export function decisionsFromStatements(
  statements: readonly VexStatement[],
  model: ModelRef,
  author: string,
  now: string,
): VexDecision[] {
  return statements.map((s) => {
    const key = decisionKeyOf(s);
    return {
      id: randomUUID(),
      manufacturer: model.manufacturer,
      model: model.model,
      vulnerability: s.vulnerability,
      componentIdentity: key.componentIdentity,
      component: s.component,
      componentName: s.componentName ?? null,
      componentVersion: key.componentVersion,
      versionRange: key.versionRange,
      status: s.status,
      justification: s.justification ?? null,
      sourceJustification: s.sourceJustification ?? null,
      impactStatement: s.impactStatement ?? null,
      actionStatement: s.actionStatement ?? null,
      author: s.author ?? author,
      decidedAt: now,
      origin: s.origin,
    };
  });
}

/** A stored decision as a statement again, for the writers. */
export function statementFromDecision(d: VexDecision): VexStatement {
  const base: VexStatement = {
    vulnerability: d.vulnerability,
    component: d.component,
    status: d.status,
    origin: d.origin,
    ...(d.componentName === null ? {} : { componentName: d.componentName }),
    ...(d.justification !== null && (VEX_JUSTIFICATIONS as readonly string[]).includes(d.justification)
      ? { justification: d.justification as VexJustification }
      : {}),
    ...(d.sourceJustification === null ? {} : { sourceJustification: d.sourceJustification }),
    ...(d.impactStatement === null ? {} : { impactStatement: d.impactStatement }),
    ...(d.actionStatement === null ? {} : { actionStatement: d.actionStatement }),
    author: d.author,
    timestamp: d.decidedAt,
  };
  if (d.versionRange !== null) return { ...base, versionRange: d.versionRange };
  if (d.componentVersion !== null && decisionKeyOf(base).componentVersion !== d.componentVersion) {
    // An exact version the key does not carry: written into the purl or CPE, else as a one-version range.
    const versioned = componentWithVersion(d.component, d.componentVersion);
    return versioned === null
      ? { ...base, versionRange: `vers:generic/${d.componentVersion}` }
      : { ...base, component: versioned };
  }
  return base;
}

interface ModelFlags extends StoreFlags {
  readonly manufacturer: string;
  readonly model: string;
}

function problemLine(p: IntelProblem): string {
  const where = [p.record, p.field].filter((x): x is string => x !== null).join(' ');
  return `  ${p.severity} ${p.code}${where === '' ? '' : ` [${where}]`}: ${p.message}\n`;
}

/** The decisions that apply to a firmware version: those matching a component of its SBOMs. */
async function decisionsForFirmware(store: Store, model: ModelRef, firmware: string): Promise<VexDecision[]> {
  const decisions = await store.software.vexDecisions(model);
  const sboms = await store.software.listSboms({ ...model, firmware });
  const components: ComponentIdentity[] = [];
  for (const s of sboms) {
    const detail = await store.software.getSbom(s.id);
    for (const c of detail?.components ?? []) components.push(componentIdentity(c));
  }
  return decisions.filter((d) => components.some((c) => decisionApplies(d, c)));
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
    const results = await withStore(io, flags, async (store) => {
      const out = [];
      for (const file of files) {
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          throw new CliError('CLI_INPUT', `${file}: cannot read it`, { cause: error, details: { file } });
        }
        const parsed = parseVex(bytes, file);
        const decisions = decisionsFromStatements(
          parsed.statements,
          flags,
          flags.author ?? flags.manufacturer,
          new Date().toISOString(),
        ).map((d) => (flags.author === undefined ? d : { ...d, author: flags.author }));
        await store.software.recordVexDecisions(decisions);
        out.push({ file, format: parsed.format, decisions: decisions.length, problems: parsed.problems });
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
      const [decision] = decisionsFromStatements([statement], flags, flags.author, new Date().toISOString());
      if (decision === undefined) return;
      await withStore(io, flags, (store) => store.software.recordVexDecisions([decision]));
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
      const decisions = await withStore(io, flags, (store) =>
        flags.firmware === undefined
          ? store.software.vexDecisions(flags)
          : decisionsForFirmware(store, flags, flags.firmware),
      );
      if (decisions.length === 0) {
        throw new IntelError('INTEL_VEX_EMPTY', `no VEX decisions for ${flags.manufacturer} ${flags.model}`, {
          details: { manufacturer: flags.manufacturer, model: flags.model, firmware: flags.firmware ?? null },
        });
      }
      const input: VexDocumentInput = {
        product: { manufacturer: flags.manufacturer, name: flags.model, version: flags.firmware ?? null },
        statements: decisions.map(statementFromDecision),
        author: flags.author ?? flags.manufacturer,
        timestamp: new Date().toISOString(),
      };
      const document =
        flags.format === 'cyclonedx'
          ? writeCycloneDxVex(input)
          : flags.format === 'csaf'
            ? writeCsafVex(input)
            : writeOpenVex(input);
      const problems =
        flags.format === 'cyclonedx'
          ? await validateCycloneDxVex(document)
          : flags.format === 'csaf'
            ? await validateCsafVex(document)
            : validateOpenVex(document);
      if (problems.length > 0) {
        throw new IntelError(
          'INTEL_VEX_SCHEMA',
          `the ${flags.format} document does not validate: ${problems[0]?.message ?? ''}`,
          {
            details: { problems },
          },
        );
      }
      if (flags.out === undefined) {
        io.stdout(`${document}\n`);
        return;
      }
      writeFileSync(flags.out, `${document}\n`);
      emit(
        io,
        flags,
        { file: flags.out, format: flags.format, statements: decisions.length },
        () => `Wrote ${String(decisions.length)} statements as ${flags.format} to ${flags.out ?? ''}\n`,
      );
    },
  );
}
