/**
 * @module csv-import
 * CSV and TSV from a CMMS or a spreadsheet into observations: headers resolved through a mapping
 * or recognised, every cell read by its field's reader, and every problem reported with its line
 * number and column. A row with any problem yields no observation.
 */
import { parse } from 'csv-parse/sync';
import { InventoryError } from './errors.js';
import type { FieldName, Json } from './fields.js';
import { isScalarField, isSetField } from './fields.js';
import { readFieldInput } from './field-input.js';
import { recogniseHeader, type ColumnMapping, type ColumnTarget } from './mapping.js';
import { recordProblem, type DeviceObservation, type RecordProblem } from './observation.js';

export interface CsvReadOptions {
  /** The file's name, for reports and provenance. */
  readonly file: string;
  /** Names the source: the mapping's name, else the file name. */
  readonly sourceLabel: string;
  readonly mapping?: ColumnMapping;
  readonly delimiter?: ',' | '\t' | ';';
}

export interface CsvColumn {
  readonly header: string;
  readonly target: ColumnTarget | null;
}

export interface CsvReadResult {
  readonly observations: readonly DeviceObservation[];
  readonly problems: readonly RecordProblem[];
  /** Data rows read (header excluded). */
  readonly rows: number;
  readonly columns: readonly CsvColumn[];
}

/** The delimiter the first line uses most, outside quotes: tab, semicolon or comma. */
export function detectDelimiter(text: string): ',' | '\t' | ';' {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of text.slice(0, 65536)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === '\t' || ch === ';')) counts[ch]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

const LOCATION_PARTS: readonly (readonly FieldName[])[] = [
  [],
  ['location.unit'],
  ['location.unit', 'location.room'],
  ['location.building', 'location.unit', 'location.room'],
  ['location.site', 'location.building', 'location.unit', 'location.room'],
];

function targetOf(header: string, mapping: ColumnMapping | undefined): ColumnTarget | null {
  if (mapping !== undefined) {
    const exact = mapping.columns[header];
    if (exact !== undefined) return exact;
    const folded = header.trim().toLowerCase();
    for (const [name, target] of Object.entries(mapping.columns))
      if (name.trim().toLowerCase() === folded) return target;
    if (mapping.recogniseCommonHeaders === false) return null;
  }
  return recogniseHeader(header) ?? null;
}

function translate(mapping: ColumnMapping | undefined, field: FieldName, raw: string): string {
  const table = mapping?.values?.[field];
  if (table === undefined) return raw;
  const folded = raw.trim().toLowerCase();
  for (const [from, to] of Object.entries(table)) if (from.trim().toLowerCase() === folded) return to;
  return raw;
}

/** @throws InventoryError INVENTORY_CSV_INVALID when the file cannot be read as CSV at all. */
export function readCsv(text: string, options: CsvReadOptions): CsvReadResult {
  const delimiter = options.delimiter ?? options.mapping?.delimiter ?? detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 1 << 20,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'lines' in error ? Number(error.lines) : null;
    throw new InventoryError(
      'INVENTORY_CSV_INVALID',
      `${options.file}: not readable as CSV${line === null ? '' : ` (line ${String(line)})`}`,
      {
        cause: error,
        details: { file: options.file, line },
      },
    );
  }
  const header = records[0]?.record;
  if (header === undefined) {
    throw new InventoryError('INVENTORY_CSV_INVALID', `${options.file}: no header line`, {
      details: { file: options.file, line: 1 },
    });
  }
  const columns: CsvColumn[] = header.map((hd) => ({ header: hd, target: targetOf(hd, options.mapping) }));
  const scalarTargets = new Map<string, string>();
  for (const c of columns) {
    if (c.target === null || c.target === 'ignore') continue;
    if (isSetField(c.target)) continue;
    const first = scalarTargets.get(c.target);
    if (first !== undefined) {
      throw new InventoryError(
        'INVENTORY_MAPPING_INVALID',
        `${options.file}: columns "${first}" and "${c.header}" both map to ${c.target}`,
        {
          details: { file: options.file, field: c.header },
        },
      );
    }
    scalarTargets.set(c.target, c.header);
  }
  if (columns.every((c) => c.target === null || c.target === 'ignore')) {
    throw new InventoryError(
      'INVENTORY_CSV_INVALID',
      `${options.file}: no column is one Ward recognises; give a mapping`,
      {
        details: { file: options.file, line: 1, headers: header.slice(0, 50) },
      },
    );
  }

  const observations: DeviceObservation[] = [];
  const problems: RecordProblem[] = [];
  for (const { record, info } of records.slice(1)) {
    const row = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const ref = `row ${String(row)}`;
    const at = (column: string | null, reason: string): RecordProblem =>
      recordProblem('INVENTORY_CSV_INVALID', reason, { file: options.file, record: ref, row, field: column });
    if (record.length !== header.length) {
      problems.push(at(null, `has ${String(record.length)} cells; the header has ${String(header.length)}`));
      continue;
    }
    const fields: Partial<Record<FieldName, Json>> = {};
    const sets: Partial<Record<FieldName, Json[]>> = {};
    let id: string | undefined;
    const before = problems.length;
    for (const [i, column] of columns.entries()) {
      // A leading ' before a formula character is how exports defuse spreadsheet formulas.
      const raw = record[i] ?? '';
      const cell = /^'[=+\-@]/.test(raw) ? raw.slice(1) : raw;
      const target = column.target;
      if (target === null || target === 'ignore') continue;
      if (target === 'id') {
        const v = cell.trim();
        if (v.length > 200) problems.push(at(column.header, 'an id longer than 200 characters'));
        else if (v !== '') id = v;
        continue;
      }
      if (target === 'location') {
        const parts = cell
          .split(/\s*[/>|]\s*/)
          .map((p) => p.trim())
          .filter((p) => p !== '');
        const names = LOCATION_PARTS[Math.min(parts.length, 4)] ?? [];
        const offset = parts.length > 4 ? parts.length - 4 : 0;
        for (const [j, name] of names.entries()) {
          const input = readFieldInput(name, parts.slice(offset)[j] ?? '');
          if (input.kind === 'problem') problems.push(at(column.header, input.reason));
          else if (!(name in fields)) fields[name] = input.value;
        }
        continue;
      }
      const input = readFieldInput(target, translate(options.mapping, target, cell));
      if (input.kind === 'problem') {
        problems.push(at(column.header, input.reason));
      } else if (isSetField(target)) {
        const list = sets[target] ?? [];
        if (Array.isArray(input.value)) list.push(...(input.value as Json[]));
        sets[target] = list;
      } else if (isScalarField(target) || !(target in fields)) {
        fields[target] = input.value;
      }
    }
    for (const [field, list] of Object.entries(sets)) fields[field as FieldName] = list.length === 0 ? null : list;
    fillSerialFromUdi(fields);
    if (problems.length > before) continue;
    const nativeKeys = id === undefined ? [] : [{ kind: 'csv', value: `${options.sourceLabel}:${id}` }];
    const identifying = ['serialNumber', 'assetTag', 'udi', 'macs'].some((f) => fields[f as FieldName] != null);
    if (nativeKeys.length === 0 && !identifying) {
      problems.push(
        at(null, 'no id, asset tag, serial number, UDI or MAC: a re-import could not find this device again'),
      );
      continue;
    }
    observations.push({ fields, nativeKeys, ref });
  }
  return { observations, problems, rows: records.length - 1, columns };
}

/** A UDI's serial is the device's serial number when none is given. */
export function fillSerialFromUdi(fields: Partial<Record<FieldName, Json>>): void {
  const udi = fields.udi;
  if (fields.serialNumber != null || udi === null || udi === undefined || typeof udi !== 'object' || Array.isArray(udi))
    return;
  const serial = (udi as Readonly<Record<string, Json>>).serial;
  if (typeof serial === 'string' && serial !== '') fields.serialNumber = serial;
}
