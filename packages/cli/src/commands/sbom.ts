/**
 * @module commands/sbom
 * `ward sbom import|list|show`: SBOMs attached to a device model and firmware version, through the
 * software service (`@ward/services`): each file is parsed (format detected by content), validated
 * against its schema where one is available, and stored with its components, dependency graph and
 * embedded VEX statements (the manufacturer's decisions) in one transaction. Problems are listed per file with record and field; a file that cannot
 * be read at all fails the command (exit 1) after the others are imported.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { IntelError, type IntelErrorCode } from '@ward/intel';
import { unreadSbom, type SbomImportOutcome } from '@ward/services';
import { StoreError } from '@ward/store';
import { WardApiError, type DocumentProblem, type WardClient } from '@ward/client';
import { emit, remoteOf, remoteOption, storeOptions, withServices, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';

interface ImportFlags extends StoreFlags {
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CliError('CLI_INPUT', `${file}: cannot read it`, { cause: error, details: { file } });
  }
}

/** What `ward sbom import` reports per file, locally or from a server. */
type FileOutcome = Omit<SbomImportOutcome, 'sbom' | 'problems'> & {
  readonly sbom: { readonly id: string } | null;
  readonly problems: readonly DocumentProblem[];
};

/** `ward sbom import --server`: each file uploaded; a document the server cannot read is reported like a local one. */
async function importRemotely(
  client: WardClient,
  files: readonly string[],
  attachment: { readonly manufacturer: string; readonly model: string; readonly firmware: string },
): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  for (const file of files) {
    try {
      const answer = await client.importSbom(readBytes(file), { ...attachment, file });
      out.push({ ...answer, file });
    } catch (error) {
      if (!(error instanceof WardApiError) || error.status !== 422) throw error;
      const problems = (error.body as { problems?: DocumentProblem[] }).problems ?? [];
      out.push(unreadSbom(file, problems));
    }
  }
  return out;
}

function problemLine(p: DocumentProblem): string {
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
  );
  remoteOption(sbom.commands.find((c) => c.name() === 'import') ?? sbom).action(
    async (files: string[], flags: ImportFlags) => {
      requireText(flags.manufacturer, '--manufacturer');
      requireText(flags.model, '--model');
      requireText(flags.firmware, '--firmware');
      const attachment = { manufacturer: flags.manufacturer, model: flags.model, firmware: flags.firmware };
      const remote = remoteOf(io, flags);
      const outcomes =
        remote === undefined
          ? await withServices(io, flags, async (services, actor) => {
              const software = services.software(actor);
              const out: FileOutcome[] = [];
              for (const file of files)
                out.push(await software.importSbom({ bytes: readBytes(file), file, attachment }));
              return out;
            })
          : await importRemotely(remote, files, attachment);
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
        throw new IntelError(
          // A server names the same INTEL_SBOM_* codes as a local import.
          (first?.code ?? 'INTEL_SBOM_INVALID') as IntelErrorCode,
          `${failed.file}: ${first?.message ?? 'not an SBOM'}`,
          {
            details: { file: failed.file, record: first?.record ?? null, field: first?.field ?? null },
          },
        );
      }
    },
  );

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
