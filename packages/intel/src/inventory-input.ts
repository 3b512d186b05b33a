/**
 * @module inventory-input
 * The device list `ward match --inventory` reads: a FHIR R4 Bundle of Device resources (or one
 * Device), or a CSV whose header has at least `id,manufacturer,model,firmware`. FHIR mapping:
 * `id` → id, `manufacturer` → manufacturer, `modelNumber` or the `deviceName` of type model-name
 * (else the first deviceName) → model, the `version` entry typed firmware (else the first) →
 * firmware. Bad rows are reported with file, record and field; the rest are read.
 */
import type { MatchableDevice } from '@ward/core';
import { feedProblem, type FeedProblem } from './match-errors.js';
import { asArray, asObject, asString, parseJson, type JsonObject } from './json-access.js';

/** RFC 4180 CSV rows (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsvRows(content: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const text = content.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (text.charAt(i + 1) === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text.charAt(i + 1) === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]?.trim() === ''));
}

function codingText(type: JsonObject | undefined): string {
  const coding = (asArray(type?.['coding']) ?? []).map(asObject);
  return [asString(type?.['text']), ...coding.flatMap((c) => [asString(c?.['code']), asString(c?.['display'])])]
    .filter((x): x is string => x !== undefined)
    .join(' ')
    .toLowerCase();
}

/** One FHIR R4 Device → an inventory device, or the field that is missing. */
export function deviceFromFhir(resource: JsonObject): MatchableDevice | { readonly missing: string } {
  const id = asString(resource['id']);
  if (id === undefined || id === '') return { missing: 'id' };
  const manufacturer = asString(resource['manufacturer'])?.trim();
  if (manufacturer === undefined || manufacturer === '') return { missing: 'manufacturer' };
  const names = (asArray(resource['deviceName']) ?? []).map(asObject).filter((n): n is JsonObject => n !== undefined);
  const modelName =
    names.find((n) => n['type'] === 'model-name') ?? names.find((n) => n['type'] !== 'manufacturer-name') ?? names[0];
  const model = asString(resource['modelNumber'])?.trim() || asString(modelName?.['name'])?.trim();
  if (model === undefined || model === '') return { missing: 'modelNumber' };
  const versions = (asArray(resource['version']) ?? []).map(asObject).filter((v): v is JsonObject => v !== undefined);
  const firmware = versions.find((v) => /firmware|fw/.test(codingText(asObject(v['type'])))) ?? versions[0];
  const value = asString(firmware?.['value'])?.trim();
  return { id, manufacturer, model, firmware: value === undefined || value === '' ? null : value };
}

export function parseInventory(content: string, file: string): { devices: MatchableDevice[]; problems: FeedProblem[] } {
  const problems: FeedProblem[] = [];
  const devices: MatchableDevice[] = [];
  const trimmed = content.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) {
    const json = parseJson(trimmed);
    const doc = json.ok ? asObject(json.value) : undefined;
    if (doc === undefined) {
      problems.push(
        feedProblem(
          'INTEL_INVENTORY_INVALID',
          file,
          null,
          null,
          json.ok ? 'expected a FHIR resource' : `not JSON: ${json.reason}`,
        ),
      );
      return { devices, problems };
    }
    const resources =
      doc['resourceType'] === 'Bundle'
        ? (asArray(doc['entry']) ?? []).map((e) => asObject(asObject(e)?.['resource']))
        : [doc];
    resources.forEach((r, i) => {
      if (r === undefined || r['resourceType'] !== 'Device') return;
      const d = deviceFromFhir(r);
      if ('missing' in d) {
        problems.push(
          feedProblem(
            'INTEL_INVENTORY_INVALID',
            file,
            asString(r['id']) ?? `entry[${String(i)}]`,
            d.missing,
            `a Device needs ${d.missing}; skipped`,
          ),
        );
      } else devices.push(d);
    });
    if (doc['resourceType'] !== 'Bundle' && doc['resourceType'] !== 'Device') {
      problems.push(
        feedProblem(
          'INTEL_INVENTORY_INVALID',
          file,
          null,
          'resourceType',
          'expected a FHIR R4 Bundle of Devices or a Device',
        ),
      );
    }
    return { devices, problems };
  }
  const rows = parseCsvRows(content);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = ['id', 'manufacturer', 'model', 'firmware'].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    problems.push(
      feedProblem(
        'INTEL_INVENTORY_INVALID',
        file,
        null,
        missing.join(','),
        'the CSV header needs at least id,manufacturer,model,firmware',
      ),
    );
    return { devices, problems };
  }
  const col = (row: readonly string[], name: string): string => (row[header.indexOf(name)] ?? '').trim();
  const seen = new Set<string>();
  rows.slice(1).forEach((row, i) => {
    const record = `line ${String(i + 2)}`;
    for (const field of ['id', 'manufacturer', 'model']) {
      if (col(row, field) === '') {
        problems.push(feedProblem('INTEL_INVENTORY_INVALID', file, record, field, `${field} is empty; row skipped`));
        return;
      }
    }
    const id = col(row, 'id');
    if (seen.has(id)) {
      problems.push(feedProblem('INTEL_INVENTORY_INVALID', file, record, 'id', `duplicate id ${id}; row skipped`));
      return;
    }
    seen.add(id);
    const firmware = col(row, 'firmware');
    devices.push({
      id,
      manufacturer: col(row, 'manufacturer'),
      model: col(row, 'model'),
      firmware: firmware === '' ? null : firmware,
    });
  });
  return { devices, problems };
}
