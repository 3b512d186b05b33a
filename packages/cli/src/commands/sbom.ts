/**
 * @module commands/sbom
 * `ward sbom import|list|show`: SBOMs attached to a device model and firmware version. Import reads
 * each file, parses it with `@ward/intel` (format detected by content), validates it against its
 * schema where one is available, and stores it with its components and dependency graph in one
 * transaction per file; VEX statements embedded in a CycloneDX SBOM are recorded as the
 * manufacturer's decisions. Problems are listed per file with record and field; a file that cannot
 * be read at all fails the command (exit 1) after the others are imported.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  IntelError,
  componentIdentity,
  parseSbom,
  validateSbomSchema,
  type IntelProblem,
  type Sbom,
} from '@ward/intel';
import { StoreError, type SbomSummary, type Store } from '@ward/store';
import { emit, storeOptions, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';
import { decisionsFromStatements } from './vex.js';

interface ImportFlags extends StoreFlags {
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
}

interface FileOutcome {
  readonly file: string;
  readonly sbom: SbomSummary | null;
  readonly created: boolean;
  readonly format: string | null;
  readonly schema: 'schema' | 'structural' | null;
  readonly components: number;
  readonly vexStatements: number;
  readonly problems: readonly IntelProblem[];
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CliError('CLI_INPUT', `${file}: cannot read it`, { cause: error, details: { file } });
  }
}

async function importOne(store: Store, file: string, flags: ImportFlags, now: string): Promise<FileOutcome> {
  const bytes = readBytes(file);
  const { sbom, problems } = parseSbom(bytes, file);
  if (sbom === null) {
    return { file, sbom: null, created: false, format: null, schema: null, components: 0, vexStatements: 0, problems };
  }
  const schema = await validateSbomSchema(bytes, file);
  const stored = await store.software.importSbom(toNewSbom(sbom, file, bytes, flags, now));
  let vexStatements = 0;
  if (stored.created && sbom.vex.length > 0) {
    const author = sbom.subject.manufacturer ?? flags.manufacturer;
    const decisions = decisionsFromStatements(
      sbom.vex,
      { manufacturer: flags.manufacturer, model: flags.model },
      author,
      now,
    );
    await store.software.recordVexDecisions(decisions);
    vexStatements = decisions.length;
  }
  return {
    file,
    sbom: stored.sbom,
    created: stored.created,
    format: sbom.format,
    schema: schema.checked,
    components: sbom.components.length,
    vexStatements,
    problems: [...problems, ...schema.problems],
  };
}

function toNewSbom(sbom: Sbom, file: string, bytes: Uint8Array, flags: ImportFlags, now: string) {
  return {
    id: randomUUID(),
    format: sbom.format,
    specVersion: sbom.specVersion,
    serial: sbom.serial,
    docVersion: sbom.version,
    subject: sbom.subject,
    fileName: basename(file),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    importedAt: now,
    attachment: { manufacturer: flags.manufacturer, model: flags.model, firmware: flags.firmware },
    components: sbom.components.map((c) => ({
      ref: c.ref,
      name: c.name,
      version: c.version,
      group: c.group ?? null,
      supplier: c.supplier,
      purl: c.purl,
      cpe: c.cpe,
      kind: c.kind,
      hashes: c.hashes,
      parent: c.parent ?? null,
      endOfSupport: c.support?.endOfSupport ?? null,
      levelOfSupport: c.support?.levelOfSupport ?? null,
      identity: componentIdentity(c).identity,
    })),
    dependencies: sbom.dependencies,
  };
}

function problemLine(p: IntelProblem): string {
  const where = [p.record, p.field].filter((x): x is string => x !== null).join(' ');
  return `  ${p.severity === 'error' ? 'error' : 'warning'} ${p.code}${where === '' ? '' : ` [${where}]`}: ${p.message}\n`;
}

function requireText(value: string, flag: string): void {
  if (value.trim() === '') throw new CliError('CLI_USAGE', `${flag} must not be empty`, { details: { flag } });
}

export function sbomCommand(program: Command, io: CliIo): void {
  const sbom = program.command('sbom').description('SBOMs of device models and firmware versions');

  storeOptions(
    sbom
      .command('import')
      .description('import SBOM files (CycloneDX 1.2–1.6 JSON/XML, SPDX 2.2/2.3 JSON or tag-value, SPDX 3.0 JSON-LD)')
      .argument('<file...>', 'SBOM files')
      .requiredOption('--manufacturer <name>', 'the device manufacturer')
      .requiredOption('--model <name>', 'the device model')
      .requiredOption('--firmware <version>', 'the firmware version the SBOM describes'),
  ).action(async (files: string[], flags: ImportFlags) => {
    requireText(flags.manufacturer, '--manufacturer');
    requireText(flags.model, '--model');
    requireText(flags.firmware, '--firmware');
    const outcomes = await withStore(io, flags, async (store) => {
      const out: FileOutcome[] = [];
      for (const file of files) out.push(await importOne(store, file, flags, new Date().toISOString()));
      return out;
    });
    emit(io, flags, { imported: outcomes }, () =>
      outcomes
        .map((o) => {
          const head =
            o.sbom === null
              ? `${o.file}: not imported\n`
              : `${o.file}: ${o.created ? 'imported' : 'already imported'} as ${o.sbom.id} (${o.format ?? ''}, ${String(o.components)} components, ${o.schema === 'schema' ? 'schema-validated' : 'checked structurally'}${o.vexStatements > 0 ? `, ${String(o.vexStatements)} VEX statements` : ''})\n`;
          return head + o.problems.map(problemLine).join('');
        })
        .join(''),
    );
    const failed = outcomes.find((o) => o.sbom === null);
    if (failed !== undefined) {
      const first = failed.problems.find((p) => p.severity === 'error') ?? failed.problems[0];
      throw new IntelError(first?.code ?? 'INTEL_SBOM_INVALID', `${failed.file}: ${first?.message ?? 'not an SBOM'}`, {
        details: { file: failed.file, record: first?.record ?? null, field: first?.field ?? null },
      });
    }
  });

  storeOptions(
    sbom
      .command('list')
      .description('list SBOMs, newest first')
      .option('--manufacturer <name>', 'only this manufacturer')
      .option('--model <name>', 'only this model')
      .option('--firmware <version>', 'only this firmware version'),
  ).action(async (flags: StoreFlags & { manufacturer?: string; model?: string; firmware?: string }) => {
    const sboms = await withStore(io, flags, (store) =>
      store.software.listSboms({ manufacturer: flags.manufacturer, model: flags.model, firmware: flags.firmware }),
    );
    emit(io, flags, { sboms }, () =>
      sboms.length === 0
        ? 'No SBOMs.\n'
        : table([
            ['ID', 'MANUFACTURER', 'MODEL', 'FIRMWARE', 'FORMAT', 'COMPONENTS', 'IMPORTED'],
            ...sboms.flatMap((s) =>
              s.attachments.map((a) => [
                s.id,
                a.manufacturer,
                a.model,
                a.firmware,
                `${s.format} ${s.specVersion}`,
                String(s.componentCount),
                s.importedAt,
              ]),
            ),
          ]),
    );
  });

  storeOptions(
    sbom.command('show').description('show one SBOM with its components').argument('<id>', 'SBOM id'),
  ).action(async (id: string, flags: StoreFlags) => {
    const detail = await withStore(io, flags, (store) => store.software.getSbom(id));
    if (detail === undefined) throw new StoreError('STORE_NOT_FOUND', `no SBOM with id ${id}`, { details: { id } });
    emit(io, flags, detail, () => {
      const head = `${detail.id}  ${detail.format} ${detail.specVersion}  ${detail.fileName}\n${detail.attachments
        .map((a) => `attached to ${a.manufacturer} / ${a.model} / firmware ${a.firmware}\n`)
        .join(
          '',
        )}${String(detail.components.length)} components, ${String(detail.dependencies.length)} dependency edges\n`;
      return (
        head +
        table([
          ['NAME', 'VERSION', 'PURL', 'CPE', 'END OF SUPPORT', 'LEVEL OF SUPPORT'],
          ...detail.components.map((c) => [
            c.name,
            c.version ?? '',
            c.purl ?? '',
            c.cpe ?? '',
            c.endOfSupport ?? '',
            c.levelOfSupport ?? '',
          ]),
        ])
      );
    });
  });
}
