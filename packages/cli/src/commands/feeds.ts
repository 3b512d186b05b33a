/**
 * @module commands/feeds
 * `ward feeds import FILE|DIR...` stores vulnerability feeds for offline use (any supported format,
 * detected by content; one transaction per file, a file already imported is skipped), `ward feeds
 * list` shows what was imported, and `ward findings list` brings the stored findings up to date
 * (the findings service: the stored SBOMs, per device model and firmware they are attached to,
 * against the stored feeds, with the model's VEX decisions) and lists the open ones.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { findingView } from '@ward/services';
import type { WardClient } from '@ward/client';
import type { FindingView } from '@ward/core';
import { emit, remoteOf, remoteOption, storeOptions, withServices, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import { feedsSyncCommand } from './feeds-sync.js';
import { table, type CliIo } from '../io.js';
import { filesUnder } from './match.js';

async function listRemotely(
  client: WardClient,
  filter: { readonly manufacturer?: string; readonly model?: string },
): Promise<FindingView[]> {
  const out: FindingView[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listFindings({ ...filter, limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

export function feedsCommand(program: Command, io: CliIo): void {
  const feeds = program.command('feeds').description('vulnerability feeds stored for offline matching');

  storeOptions(
    feeds
      .command('import')
      .description('import feed files or folders (NVD API 2.0, CVE JSON 5, OSV, CSAF, KEV, EPSS)')
      .argument('<paths...>', 'files or folders'),
  ).action(async (paths: string[], flags: StoreFlags) => {
    const report = await withServices(io, flags, async (services, actor) => {
      const feedService = services.feeds(actor);
      const files: { file: string; format: string; created: boolean; records: number; problems: number }[] = [];
      const problems: unknown[] = [];
      const names = paths.flatMap((p) => filesUnder(p, 'feeds import'));
      const outcomes = await feedService.importDocuments(
        names.map((file) => ({
          fileName: file,
          bytes: () => {
            try {
              return readFileSync(file);
            } catch (error) {
              throw new CliError('CLI_INPUT', `${file}: cannot read it`, { cause: error, details: { file } });
            }
          },
        })),
      );
      outcomes.forEach((outcome, i) => {
        problems.push(...outcome.problems);
        if (outcome.kind === 'unrecognised' || outcome.format === null) return;
        files.push({
          file: names[i] ?? '',
          format: outcome.format,
          created: outcome.kind === 'imported',
          records: outcome.records,
          problems: outcome.problems.length,
        });
      });
      return { files, problems };
    });
    emit(io, flags, report, () =>
      table([
        ['FILE', 'FORMAT', 'IMPORTED', 'RECORDS', 'PROBLEMS'],
        ...report.files.map((f) => [
          f.file,
          f.format,
          f.created ? 'yes' : 'already',
          String(f.records),
          String(f.problems),
        ]),
      ]),
    );
  });

  feedsSyncCommand(feeds, io);

  storeOptions(feeds.command('list').description('list imported feed files')).action(async (flags: StoreFlags) => {
    const { imports, vulnerabilities: count } = await withStore(io, flags, async (store) => ({
      imports: await store.vulnerabilities.listImports(),
      vulnerabilities: await store.vulnerabilities.countVulnerabilities(),
    }));
    emit(io, flags, { items: imports, vulnerabilities: count }, () =>
      table([
        ['FILE', 'FORMAT', 'RECORDS', 'PROBLEMS', 'IMPORTED AT'],
        ...imports.map((i) => [i.fileName, i.format, String(i.recordCount), String(i.problemCount), i.importedAt]),
      ]),
    );
  });

  const findings = program.command('findings').description('findings from the stored SBOMs and feeds');
  remoteOption(
    storeOptions(
      findings
        .command('list')
        .description('match every stored SBOM (per device model and firmware) against the stored feeds')
        .option('--manufacturer <name>', 'only this manufacturer')
        .option('--model <name>', 'only this model'),
    ),
  ).action(async (flags: StoreFlags & { readonly manufacturer?: string; readonly model?: string }) => {
    const remote = remoteOf(io, flags);
    const filter = {
      ...(flags.manufacturer === undefined ? {} : { manufacturer: flags.manufacturer }),
      ...(flags.model === undefined ? {} : { model: flags.model }),
    };
    // Brings the stored findings up to date (writing only what changed), then lists the open ones;
    // a server keeps its own up to date.
    const items =
      remote !== undefined
        ? await listRemotely(remote, filter)
        : await withServices(io, flags, async (services, actor) => {
            const findings = services.findings(actor);
            await findings.refresh();
            const out: FindingView[] = [];
            let cursor: string | undefined;
            do {
              const page = await findings.list({ ...filter, limit: 500, ...(cursor === undefined ? {} : { cursor }) });
              out.push(...page.items.map(findingView));
              cursor = page.nextCursor ?? undefined;
            } while (cursor !== undefined);
            return out;
          });
    emit(io, flags, { findings: items }, () =>
      table([
        ['MODEL', 'FIRMWARE', 'COMPONENT', 'VULNERABILITY', 'RULE', 'CONFIDENCE', 'KEV', 'VEX'],
        ...items.map((f) => [
          `${f.manufacturer} ${f.model}`,
          f.firmware,
          f.component,
          f.vulnerability,
          f.matchedBy,
          f.confidence,
          f.kev ? 'yes' : '',
          f.vexStatus ?? '',
        ]),
      ]),
    );
  });
}
