/**
 * @module commands/devices
 * `ward devices list|show|import|export|edit|mapping`: the inventory from the command line, through
 * the same InventoryService as the API. Imports report every bad row (line and column) or FHIR
 * path; with --atomic (the default) a file with any bad record changes nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import {
  CRITICALITIES,
  DEVICE_TYPES,
  LIFECYCLE_STATES,
  type FieldConflict,
  type InventoryDevice,
  type ProvenanceSource,
} from '@ward/core';
import {
  IMPORT_FORMATS,
  InventoryError,
  InventoryService,
  parseMapping,
  type ColumnMapping,
  type ImportFormat,
  type ImportReport,
} from '@ward/inventory';
import { INVENTORY_SORTS, type InventoryListQuery, type InventorySort, type Store } from '@ward/store';
import { emit, storeOptions, withServices, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';

interface FilterFlags extends StoreFlags {
  readonly type?: string;
  readonly criticality?: string;
  readonly department?: string;
  readonly vendor?: string;
  readonly lifecycle?: string;
  readonly seenSince?: string;
  readonly findings?: boolean;
  readonly search?: string;
  readonly sort: InventorySort;
  readonly order: 'asc' | 'desc';
}

function filterOptions(command: Command): Command {
  return command
    .addOption(new Option('--type <type>', 'device type').choices(DEVICE_TYPES))
    .addOption(new Option('--criticality <level>', 'clinical criticality').choices(CRITICALITIES))
    .option('--department <name>', 'department, exactly')
    .option('--vendor <prefix>', 'manufacturer starting with this, any case')
    .addOption(new Option('--lifecycle <state>', 'lifecycle state').choices(LIFECYCLE_STATES))
    .option('--seen-since <time>', 'last seen on the network at or after this ISO 8601 time')
    .option('--findings', 'only devices with open findings')
    .option('--no-findings', 'only devices without open findings')
    .option('-q, --search <words>', 'full-text search (every word must start a word of the device)')
    .addOption(new Option('--sort <key>', 'sort key').choices(INVENTORY_SORTS).default('name'))
    .addOption(new Option('--order <order>', 'sort order').choices(['asc', 'desc']).default('asc'));
}

function filtersOf(flags: FilterFlags): Omit<InventoryListQuery, 'limit' | 'cursor'> {
  let seenSince: string | undefined;
  if (flags.seenSince !== undefined) {
    const ms = Date.parse(flags.seenSince);
    if (Number.isNaN(ms)) {
      throw new CliError('CLI_USAGE', '--seen-since needs an ISO 8601 time', { details: { field: 'seen-since' } });
    }
    seenSince = new Date(ms).toISOString();
  }
  return {
    type: flags.type,
    criticality: flags.criticality,
    department: flags.department,
    vendor: flags.vendor,
    lifecycle: flags.lifecycle,
    seenSince,
    hasFindings: flags.findings,
    q: flags.search,
    sort: flags.sort,
    order: flags.order,
  };
}

function sourceText(source: ProvenanceSource): string {
  switch (source.kind) {
    case 'person':
      return `person ${source.userId}`;
    case 'csv':
      return `csv ${source.file}${source.mapping === null ? '' : ` (mapping ${source.mapping})`}`;
    case 'fhir':
      return `fhir ${source.file}`;
    case 'sensor':
      return `sensor ${source.sensor}`;
  }
}

const show = (v: unknown): string =>
  v === null || v === undefined
    ? '-'
    : typeof v === 'string'
      ? v
      : Array.isArray(v) && v.length === 0
        ? '-'
        : JSON.stringify(v);

function deviceText(d: InventoryDevice, identifiers: readonly { kind: string; value: string }[]): string {
  const from = (field: string): string => {
    const p = d.provenance[field];
    return p === undefined ? '' : `${sourceText(p.source)}, ${p.at}`;
  };
  const l = d.location;
  const rows: [string, unknown, string][] = [
    ['name', d.name, 'name'],
    ['type', d.type, 'type'],
    ['manufacturer', d.manufacturer, 'manufacturer'],
    ['model', d.model, 'model'],
    ['firmware', d.firmwareVersion, 'firmwareVersion'],
    ['os', d.osVersion, 'osVersion'],
    ['serial number', d.serialNumber, 'serialNumber'],
    ['asset tag', d.assetTag, 'assetTag'],
    ['udi', d.udi === null ? null : `${d.udi.carrier} (DI ${d.udi.deviceIdentifier})`, 'udi'],
    ['macs', d.macs.join(', '), 'macs'],
    ['ips', d.ips.join(', '), 'ips'],
    ['hostnames', d.hostnames.join(', '), 'hostnames'],
    ['dicom ae titles', d.dicomAeTitles.join(', '), 'dicomAeTitles'],
    ['site', l.site, 'location.site'],
    ['building', l.building, 'location.building'],
    ['unit', l.unit, 'location.unit'],
    ['room', l.room, 'location.room'],
    ['department', d.department, 'department'],
    ['owner', d.owner, 'owner'],
    ['criticality', d.criticality, 'criticality'],
    ['phi', d.phi === null ? null : d.phi ? 'yes' : 'no', 'phi'],
    ['vlan', d.network.vlan, 'network.vlan'],
    ['subnet', d.network.subnet, 'network.subnet'],
    ['first seen', d.network.firstSeen, 'network.firstSeen'],
    ['last seen', d.network.lastSeen, 'network.lastSeen'],
    ['support', d.supportStatus, 'supportStatus'],
    ['end of support', d.endOfSupport, 'endOfSupport'],
    ['lifecycle', d.lifecycle, 'lifecycle'],
    ['parent', d.parentId, 'parentId'],
    ['sboms', d.sbomIds.join(', '), 'sbomIds'],
  ];
  let out = `${d.id} (version ${String(d.version)}, updated ${d.updatedAt}, open findings ${String(d.findingsCount)})\n`;
  out += table([['FIELD', 'VALUE', 'SOURCE'], ...rows.map(([label, v, field]) => [label, show(v), from(field)])]);
  if (d.conflicts.length > 0) {
    out += '\nConflicts (the value shown comes from the most trusted source):\n';
    out += table([
      ['FIELD', 'VALUE', 'SOURCE', ''],
      ...d.conflicts.flatMap((c: FieldConflict) => [
        [c.field, show(c.kept.value), sourceText(c.kept.source), 'kept'],
        ...c.others.map((o) => ['', show(o.value), sourceText(o.source), 'not shown']),
      ]),
    ]);
  }
  if (identifiers.length > 0) {
    out += `\nIdentifiers: ${identifiers.map((i) => `${i.kind}=${i.value}`).join(', ')}\n`;
  }
  return out;
}

function reportText(r: ImportReport): string {
  let out = `${r.file} (${r.format}${r.mapping === null ? '' : `, mapping ${r.mapping}`}): ${String(r.records)} records; `;
  out += `${String(r.created)} created, ${String(r.updated)} updated, ${String(r.unchanged)} unchanged; `;
  out += r.dryRun
    ? 'dry run, nothing written\n'
    : r.committed
      ? 'committed\n'
      : 'NOTHING committed (bad records, --atomic)\n';
  if (r.skipped !== undefined && Object.keys(r.skipped).length > 0) {
    out += `  read past (not devices, never stored): ${Object.entries(r.skipped)
      .map(([k, n]) => `${k} ${String(n)}`)
      .join(', ')}\n`;
  }
  for (const p of r.problems) out += `  ${p.ref}${p.field === null ? '' : `, ${p.field}`}: ${p.reason}\n`;
  for (const w of r.warnings) out += `  warning: ${w.ref}: ${w.reason}\n`;
  if (r.dryRun) {
    for (const o of r.outcomes.filter((x) => x.outcome !== 'unchanged')) {
      out += `  ${o.outcome} ${o.deviceId} (${o.ref ?? ''}): ${o.changes.map((c) => c.field).join(', ')}\n`;
    }
  }
  return out;
}

function readInput(io: CliIo, file: string): Promise<string> {
  if (file === '-') return io.readAll();
  try {
    return Promise.resolve(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError('CLI_INPUT', `cannot read ${file}`, { cause: error, details: { file } });
  }
}

/** A mapping file (JSON), else the name of a saved mapping. */
function mappingOf(value: string | undefined): ColumnMapping | string | undefined {
  if (value === undefined) return undefined;
  if (!existsSync(value)) return value;
  return parseMapping(readFileSync(value, 'utf8'));
}

async function personOf(store: Store, username: string | undefined): Promise<string> {
  if (username === undefined) return `local:${userInfo().username}`;
  const user = await store.users.getByUsername(username);
  if (user === undefined) throw new CliError('CLI_INPUT', `no Ward user ${username}`, { details: { field: 'user' } });
  return user.id;
}

export function devicesCommand(program: Command, io: CliIo): void {
  const devices = program.command('devices').description('the device inventory: list, show, import, export, edit');

  storeOptions(
    filterOptions(
      devices
        .command('list')
        .description('list devices with filters, search and sort, one page at a time')
        .option('--limit <n>', 'devices per page (1-500)', '50')
        .option('--cursor <cursor>', 'the nextCursor of the previous page'),
    ),
  ).action(async (flags: FilterFlags & { limit: string; cursor?: string }) => {
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new CliError('CLI_USAGE', '--limit must be 1 to 500', { details: { field: 'limit' } });
    }
    const page = await withStore(io, flags, (store) =>
      new InventoryService(store).list({ ...filtersOf(flags), limit, cursor: flags.cursor }),
    );
    emit(
      io,
      flags,
      page,
      () =>
        table([
          ['ID', 'NAME', 'TYPE', 'CRITICALITY', 'MANUFACTURER', 'MODEL', 'DEPARTMENT', 'LAST SEEN'],
          ...page.items.map((d) => [
            d.id,
            d.name,
            d.type,
            d.criticality ?? '-',
            d.manufacturer ?? '-',
            d.model ?? '-',
            d.department ?? '-',
            d.network.lastSeen ?? '-',
          ]),
        ]) + (page.nextCursor === null ? '' : `next page: --cursor ${page.nextCursor}\n`),
    );
  });

  storeOptions(
    devices
      .command('show')
      .description('one device: every value with its source and time, conflicts, identifiers')
      .argument('<id>', 'device id')
      .option('--history', 'also list every change'),
  ).action(async (id: string, flags: StoreFlags & { history?: boolean }) => {
    const result = await withStore(io, flags, async (store) => {
      const service = new InventoryService(store);
      const detail = await service.detail(id);
      if (detail === undefined)
        throw new InventoryError('INVENTORY_DEVICE_NOT_FOUND', `no device ${id}`, { details: { id } });
      return { ...detail, ...(flags.history === true ? { history: await service.history(id) } : {}) };
    });
    emit(
      io,
      flags,
      {
        ...result.device,
        identifiers: result.identifiers,
        ...('history' in result ? { history: result.history } : {}),
      },
      () => {
        let out = deviceText(result.device, result.identifiers);
        if ('history' in result) {
          out += '\nHistory:\n';
          out += table([
            ['VERSION', 'AT', 'SOURCE', 'CHANGED'],
            ...result.history.map((h) => [
              String(h.version),
              h.at,
              sourceText(h.source),
              h.changes.map((c) => c.field).join(', '),
            ]),
          ]);
        }
        return out;
      },
    );
  });

  storeOptions(
    devices
      .command('import')
      .description('import CSV/TSV (a CMMS export) or FHIR R4 Device/DeviceDefinition (JSON or XML, Bundles too)')
      .argument('<files...>', 'files to import, each in its own transaction ("-" reads standard input)')
      .addOption(new Option('--format <format>', 'default: detected from the content').choices(IMPORT_FORMATS))
      .option('--mapping <file-or-name>', 'a column mapping: a JSON file, or the name of a saved one')
      .option('--save-mapping <name>', 'save the --mapping file under this name first')
      .option('--dry-run', 'report what would change; write nothing')
      .option('--atomic', 'commit nothing from a file with any bad record (default)', true)
      .option('--no-atomic', 'commit the good records and report the bad ones'),
  ).action(
    async (
      files: string[],
      flags: StoreFlags & {
        format?: ImportFormat;
        mapping?: string;
        saveMapping?: string;
        dryRun?: boolean;
        atomic: boolean;
      },
    ) => {
      let mapping = mappingOf(flags.mapping);
      if (flags.saveMapping !== undefined && (mapping === undefined || typeof mapping === 'string')) {
        throw new CliError('CLI_USAGE', '--save-mapping needs --mapping to name a mapping file', {
          details: { field: 'save-mapping' },
        });
      }
      const reports = await withServices(io, flags, async (services, actor) => {
        const service = services.inventory(actor);
        if (flags.saveMapping !== undefined && mapping !== undefined) {
          await service.saveMapping(flags.saveMapping, mapping);
          mapping = flags.saveMapping;
        }
        const out: ImportReport[] = [];
        for (const file of files) {
          out.push(
            await service.import(await readInput(io, file), {
              file: file === '-' ? 'stdin' : basename(file),
              ...(flags.format === undefined ? {} : { format: flags.format }),
              ...(mapping === undefined ? {} : { mapping }),
              dryRun: flags.dryRun === true,
              atomic: flags.atomic,
            }),
          );
        }
        return out;
      });
      emit(io, flags, { reports }, () => reports.map(reportText).join(''));
      const rejected = reports.filter((r) => r.atomic && r.problems.length > 0);
      if (rejected.length > 0) {
        throw new InventoryError(
          'INVENTORY_IMPORT_REJECTED',
          `${rejected.map((r) => r.file).join(', ')}: bad records, nothing imported`,
          {
            details: {
              files: rejected.map((r) => r.file),
              problems: rejected.reduce((n, r) => n + r.problems.length, 0),
            },
          },
        );
      }
    },
  );

  storeOptions(
    filterOptions(
      devices
        .command('export')
        .description('export devices as a FHIR R4 Bundle of Device resources, or CSV')
        .addOption(new Option('--format <format>', 'output format').choices(['fhir', 'csv']).default('fhir'))
        .option('--out <file>', 'write to this file instead of standard output'),
    ),
  ).action(async (flags: FilterFlags & { format: 'fhir' | 'csv'; out?: string }) => {
    const text = await withStore(io, flags, async (store) => {
      const service = new InventoryService(store);
      if (flags.format === 'fhir') return `${JSON.stringify(await service.exportFhir(filtersOf(flags)), null, 2)}\n`;
      let csv = '';
      for await (const line of service.exportCsv(filtersOf(flags))) csv += line;
      return csv;
    });
    if (flags.out === undefined) {
      io.stdout(text);
      return;
    }
    writeFileSync(flags.out, text);
    emit(io, flags, { file: flags.out, bytes: Buffer.byteLength(text) }, () => `Wrote ${flags.out ?? ''}\n`);
  });

  storeOptions(
    devices
      .command('edit')
      .description("a person's change to a device: it outranks imports and the sensor")
      .argument('<id>', 'device id')
      .option('--set <field=value...>', 'set a field (lists separated by ","; e.g. location.room=ICU-4, phi=yes)')
      .option('--clear <field...>', 'hand a field back to the other sources')
      .option('--user <username>', 'the Ward user making the change (default: local:<login name>)'),
  ).action(async (id: string, flags: StoreFlags & { set?: string[]; clear?: string[]; user?: string }) => {
    const patch: Record<string, unknown> = {};
    for (const pair of flags.set ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0)
        throw new CliError('CLI_USAGE', `--set ${pair}: expected field=value`, { details: { field: 'set' } });
      patch[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    for (const field of flags.clear ?? []) patch[field] = null;
    if (Object.keys(patch).length === 0) {
      throw new CliError('CLI_USAGE', 'nothing to change: give --set or --clear', { details: { field: 'set' } });
    }
    const result = await withServices(io, flags, async (services, actor) => {
      const service = services.inventory(actor);
      const device = await service.edit(id, patch, await personOf(services.store, flags.user));
      return { device, identifiers: (await service.detail(id))?.identifiers ?? [] };
    });
    emit(io, flags, result.device, () => deviceText(result.device, result.identifiers));
  });

  const mapping = devices.command('mapping').description('saved CSV column mappings');
  storeOptions(
    mapping
      .command('save')
      .description('save a column mapping (JSON file) under a name')
      .argument('<name>', 'letters, digits, ".", "_", "-"')
      .argument('<file>', 'the mapping, JSON: {"columns": {"Header": "field"}, "values": {…}}'),
  ).action(async (name: string, file: string, flags: StoreFlags) => {
    const text = await readInput(io, file);
    const saved = await withServices(io, flags, (services, actor) => services.inventory(actor).saveMapping(name, text));
    emit(io, flags, { name, mapping: saved }, () => `Saved mapping ${name}\n`);
  });
  storeOptions(mapping.command('list').description('list saved mappings')).action(async (flags: StoreFlags) => {
    const items = await withStore(io, flags, (store) => new InventoryService(store).listMappings());
    emit(io, flags, { items }, () =>
      table([
        ['NAME', 'COLUMNS', 'UPDATED'],
        ...items.map((m) => [m.name, String(Object.keys(m.mapping.columns).length), m.updatedAt]),
      ]),
    );
  });
}
