/**
 * @module import-file
 * One import of one file: format detection (FHIR JSON or XML, CSV, TSV), reading into
 * observations and problems, and the atomic rule — with `atomic` (the default) a file with any bad
 * record commits nothing; without it, the good records commit and the bad ones are reported. Either
 * way everything committed is written in one transaction.
 */
import type { ProvenanceSource } from '@ward/core';
import { readCsv } from './csv-import.js';
import { InventoryError } from './errors.js';
import { readFhir } from './fhir-import.js';
import { parseMapping, type ColumnMapping } from './mapping.js';
import type { DeviceObservation, RecordProblem } from './observation.js';
import type { ApplyReport, InventoryService } from './service.js';

export const IMPORT_FORMATS = ['csv', 'tsv', 'fhir'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportOptions {
  /** The file's name: shown in reports, kept in provenance. */
  readonly file: string;
  /** Default: detected from the content. */
  readonly format?: ImportFormat;
  /** A mapping, or the name of a saved one (CSV/TSV only). */
  readonly mapping?: ColumnMapping | string;
  readonly dryRun?: boolean;
  /** Default true: any bad record and nothing is committed. */
  readonly atomic?: boolean;
}

export interface ImportReport extends ApplyReport {
  readonly file: string;
  readonly format: ImportFormat;
  readonly mapping: string | null;
  /** Rows (CSV) or Device resources (FHIR) read. */
  readonly records: number;
  readonly problems: readonly RecordProblem[];
  readonly dryRun: boolean;
  readonly atomic: boolean;
  /** FHIR: DeviceDefinitions read (they enrich Devices) and other resources read past. */
  readonly definitions?: number;
  readonly skipped?: Readonly<Record<string, number>>;
}

/** `fhir` for JSON or XML, `tsv` when the header line has more tabs than commas, else `csv`. */
export function detectFormat(text: string): ImportFormat {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('<')) return 'fhir';
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  return (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? 'tsv' : 'csv';
}

const MAPPING_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkMappingName(name: string): string {
  if (!MAPPING_NAME.test(name)) {
    throw new InventoryError(
      'INVENTORY_MAPPING_INVALID',
      'a mapping name is letters, digits, ".", "_", "-" (at most 64)',
      {
        details: { field: 'name' },
      },
    );
  }
  return name;
}

async function resolveMapping(
  service: InventoryService,
  mapping: ColumnMapping | string | undefined,
): Promise<{ mapping: ColumnMapping | undefined; name: string | null }> {
  if (mapping === undefined) return { mapping: undefined, name: null };
  if (typeof mapping !== 'string') return { mapping, name: null };
  const row = await service.store.inventory.getMapping(checkMappingName(mapping));
  if (row === undefined) {
    throw new InventoryError('INVENTORY_MAPPING_NOT_FOUND', `no saved mapping ${mapping}`, {
      details: { field: 'mapping', name: mapping },
    });
  }
  return { mapping: parseMapping(row.mapping), name: row.name };
}

/** Imports one file's text through the service. Bad records are values in the report. */
export async function importFile(
  service: InventoryService,
  text: string,
  options: ImportOptions,
): Promise<ImportReport> {
  // eslint-disable-next-line no-control-regex
  if (/\u0000/.test(text.slice(0, 4096))) {
    throw new InventoryError('INVENTORY_FORMAT_UNKNOWN', `${options.file}: binary content, neither CSV nor FHIR`, {
      details: { file: options.file },
    });
  }
  const format = options.format ?? detectFormat(text);
  const atomic = options.atomic !== false;
  const dryRun = options.dryRun === true;
  let observations: readonly DeviceObservation[];
  let problems: readonly RecordProblem[];
  let records: number;
  let source: ProvenanceSource;
  let mappingName: string | null = null;
  let extra: Pick<ImportReport, 'definitions' | 'skipped'> = {};
  if (format === 'fhir') {
    const read = readFhir(text, options.file);
    ({ observations, problems } = read);
    records = read.devices + read.definitions;
    extra = { definitions: read.definitions, skipped: read.skipped };
    source = { kind: 'fhir', file: options.file };
  } else {
    const resolved = await resolveMapping(service, options.mapping);
    mappingName = resolved.name;
    const read = readCsv(text, {
      file: options.file,
      sourceLabel: mappingName ?? options.file,
      ...(resolved.mapping === undefined ? {} : { mapping: resolved.mapping }),
      ...(format === 'tsv' ? { delimiter: '\t' as const } : {}),
    });
    ({ observations, problems } = read);
    records = read.rows;
    source = { kind: 'csv', file: options.file, mapping: mappingName };
  }
  const rejected = atomic && problems.length > 0;
  const report = await service.applyObservations(observations, source, { dryRun: dryRun || rejected });
  return { ...report, ...extra, file: options.file, format, mapping: mappingName, records, problems, dryRun, atomic };
}
