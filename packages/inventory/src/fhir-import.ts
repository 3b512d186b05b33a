/**
 * @module fhir-import
 * FHIR R4 `Device` and `DeviceDefinition` resources (JSON or XML, alone or in a Bundle) into
 * observations. Every Device and DeviceDefinition is validated against R4 first; a problem is
 * reported with the FHIR path of the element at fault. A DeviceDefinition describes a model, not a
 * device: it fills manufacturer, model and type of the Devices that reference it (`definition`).
 * Other resources (Patient, Observation…) are counted and never stored. Patient references and
 * narrative are never read.
 */
import { parseUdi } from '@ward/core';
import type { IdentifierKey } from '@ward/store';
import { InventoryError } from './errors.js';
import type { FieldName, Json } from './fields.js';
import { fhirXmlToJson } from './fhir-xml.js';
import { validateR4 } from './fhir-r4.js';
import { fillSerialFromUdi } from './csv-import.js';
import { guessType, isUnicastMac, normaliseMac } from './normalise.js';
import { recordProblem, type DeviceObservation, type RecordProblem } from './observation.js';

export interface FhirReadResult {
  readonly observations: readonly DeviceObservation[];
  readonly problems: readonly RecordProblem[];
  /** Device resources read. */
  readonly devices: number;
  readonly definitions: number;
  /** Other resources, by type: read past, never stored. */
  readonly skipped: Readonly<Record<string, number>>;
}

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

const MAC_SYSTEMS = new Set([
  'http://hl7.org/fhir/sid/eui-48',
  'http://hl7.org/fhir/sid/eui-48/ethernet',
  'urn:ietf:rfc:7042',
]);

/** `Device/x` from a relative, absolute or versioned reference. */
function referenceKey(ref: unknown, type: string): string | undefined {
  const r = isObj(ref) ? str(ref.reference) : undefined;
  if (r === undefined) return undefined;
  const m = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$`).exec(r);
  return m?.[1] === undefined ? undefined : `${type}/${m[1]}`;
}

function codeableText(cc: unknown): string | undefined {
  if (!isObj(cc)) return undefined;
  return (
    str(cc.text) ??
    list(cc.coding)
      .map((c) => str(c.display) ?? str(c.code))
      .find((x) => x !== undefined)
  );
}

function typeOf(cc: unknown): string | undefined {
  if (!isObj(cc)) return undefined;
  const words = [str(cc.text), ...list(cc.coding).map((c) => str(c.display))].filter(
    (x): x is string => x !== undefined,
  );
  for (const w of words) {
    const t = guessType(w.replace(/^MDC_DEV_/, '').replace(/_/g, ' '));
    if (t !== undefined) return t;
  }
  return undefined;
}

function deviceName(names: Obj[], wanted: readonly string[]): string | undefined {
  for (const type of wanted) {
    const n = names.find((x) => x.type === type);
    if (n !== undefined && str(n.name) !== undefined) return str(n.name);
  }
  return undefined;
}

function firmwareOf(versions: Obj[]): string | undefined {
  for (const v of versions) {
    const label = isObj(v.type)
      ? [str(v.type.text), ...list(v.type.coding).map((c) => `${str(c.display) ?? ''} ${str(c.code) ?? ''}`)].join(' ')
      : '';
    if (/firmware|software|\bfw\b|\bsw\b|_FW|_SW/i.test(label)) return str(v.value);
  }
  const untyped = versions.find((v) => v.type === undefined);
  return untyped === undefined ? undefined : str(untyped.value);
}

interface Definition {
  readonly manufacturer?: string;
  readonly model?: string;
  readonly type?: string;
}

function definitionOf(r: Obj): Definition {
  const names = list(r.deviceName);
  const manufacturer =
    str(r.manufacturerString) ?? (isObj(r.manufacturerReference) ? str(r.manufacturerReference.display) : undefined);
  const model = str(r.modelNumber) ?? deviceName(names, ['model-name', 'user-friendly-name', 'manufacturer-name']);
  const type = typeOf(r.type);
  return {
    ...(manufacturer === undefined ? {} : { manufacturer }),
    ...(model === undefined ? {} : { model }),
    ...(type === undefined ? {} : { type }),
  };
}

function observationOf(
  r: Obj,
  path: string,
  definitions: ReadonlyMap<string, Definition>,
  problems: RecordProblem[],
  file: string,
): DeviceObservation | undefined {
  const fields: Partial<Record<FieldName, Json>> = {};
  const nativeKeys: IdentifierKey[] = [];
  const id = str(r.id);
  if (id !== undefined) nativeKeys.push({ kind: 'fhir', value: `Device/${id}` });
  const macs: string[] = [];
  for (const ident of list(r.identifier)) {
    const system = str(ident.system);
    const value = str(ident.value);
    if (system === undefined || value === undefined) continue;
    if (MAC_SYSTEMS.has(system)) {
      const mac = normaliseMac(value);
      if (mac !== undefined && isUnicastMac(mac)) macs.push(mac);
    }
    nativeKeys.push({ kind: 'fhir-identifier', value: `${system}|${value}` });
  }
  if (macs.length > 0) fields.macs = macs;
  const carriers = list(r.udiCarrier);
  for (const [i, carrier] of carriers.entries()) {
    const hrf = str(carrier.carrierHRF);
    if (hrf === undefined) continue;
    const udi = parseUdi(hrf);
    if (!udi.ok) {
      problems.push(
        recordProblem('INVENTORY_FHIR_INVALID', `not a GS1 or HIBCC UDI: ${udi.problems[0]?.message ?? ''}`, {
          file,
          record: path,
          field: `${path}.udiCarrier[${String(i)}].carrierHRF`,
        }),
      );
      return undefined;
    }
    fields.udi ??= udi.value as unknown as Json;
  }
  const names = list(r.deviceName);
  const definition = definitions.get(referenceKey(r.definition, 'DeviceDefinition') ?? '');
  const manufacturer = str(r.manufacturer) ?? definition?.manufacturer;
  const model = str(r.modelNumber) ?? deviceName(names, ['model-name']) ?? definition?.model;
  const name = deviceName(names, [
    'user-friendly-name',
    'udi-label-name',
    'manufacturer-name',
    'model-name',
    'other',
    'patient-reported-name',
  ]);
  const type = typeOf(r.type) ?? definition?.type;
  const firmware = firmwareOf(list(r.version));
  const serial = str(r.serialNumber);
  const owner = isObj(r.owner) ? str(r.owner.display) : undefined;
  const location = isObj(r.location) ? str(r.location.display) : undefined;
  if (manufacturer !== undefined) fields.manufacturer = manufacturer;
  if (model !== undefined) fields.model = model;
  // A name people can tell apart: the Device's own, else maker and model, else its type, else an identifier.
  const firstIdentifier = list(r.identifier)
    .map((x) => str(x.value))
    .find((x) => x !== undefined);
  const madeBy = [manufacturer, model].filter((x) => x !== undefined).join(' ');
  const fallback =
    (model === undefined ? undefined : madeBy) ??
    codeableText(r.type) ??
    (firstIdentifier === undefined ? undefined : `Device ${firstIdentifier}`);
  const shown = name ?? fallback ?? (id === undefined ? undefined : `Device ${id}`);
  if (shown !== undefined) fields.name = shown;
  if (type !== undefined) fields.type = type;
  if (firmware !== undefined) fields.firmwareVersion = firmware;
  if (serial !== undefined) fields.serialNumber = serial;
  if (owner !== undefined) fields.owner = owner;
  if (location !== undefined) fields['location.unit'] = location;
  if (r.status === 'inactive') fields.lifecycle = 'retired';
  fillSerialFromUdi(fields);
  if (nativeKeys.length === 0 && fields.serialNumber === undefined && fields.udi === undefined && macs.length === 0) {
    problems.push(
      recordProblem(
        'INVENTORY_FHIR_INVALID',
        'a Device with no id, identifier, serial number or UDI cannot be found again on re-import',
        { file, record: path, field: path },
      ),
    );
    return undefined;
  }
  const parent = referenceKey(r.parent, 'Device');
  return {
    fields,
    nativeKeys,
    ...(parent === undefined ? {} : { parentKey: { kind: 'fhir', value: parent } }),
    ref: path,
  };
}

/** Reads FHIR JSON or XML. @throws InventoryError INVENTORY_FHIR_INVALID when the text is not FHIR at all. */
export function readFhir(text: string, file: string): FhirReadResult {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  let root: unknown;
  if (trimmed.startsWith('<')) {
    root = fhirXmlToJson(trimmed, file);
  } else {
    try {
      root = JSON.parse(trimmed);
    } catch (error) {
      throw new InventoryError('INVENTORY_FHIR_INVALID', `${file}: not JSON`, { cause: error, details: { file } });
    }
  }
  if (!isObj(root) || typeof root.resourceType !== 'string') {
    throw new InventoryError('INVENTORY_FHIR_INVALID', `${file}: not a FHIR resource (no resourceType)`, {
      details: { file, field: 'resourceType' },
    });
  }
  const entries: { resource: Obj; path: string }[] = [];
  const problems: RecordProblem[] = [];
  if (root.resourceType === 'Bundle') {
    const entry = root.entry;
    if (entry !== undefined && !Array.isArray(entry)) {
      throw new InventoryError('INVENTORY_FHIR_INVALID', `${file}: Bundle.entry must be a list`, {
        details: { file, field: 'Bundle.entry' },
      });
    }
    for (const [i, e] of (entry ?? []).entries()) {
      const path = `Bundle.entry[${String(i)}].resource`;
      const resource: unknown = isObj(e) ? e.resource : undefined;
      if (!isObj(resource) || typeof resource.resourceType !== 'string') {
        problems.push(
          recordProblem('INVENTORY_FHIR_INVALID', 'an entry without a resource', {
            file,
            record: `Bundle.entry[${String(i)}]`,
            field: path,
          }),
        );
      } else {
        entries.push({ resource, path });
      }
    }
  } else {
    entries.push({ resource: root, path: root.resourceType });
  }
  const skipped: Record<string, number> = {};
  const devices: { resource: Obj; path: string }[] = [];
  const definitions = new Map<string, Definition>();
  let definitionCount = 0;
  for (const { resource, path } of entries) {
    const type = resource.resourceType as string;
    if (type !== 'Device' && type !== 'DeviceDefinition') {
      skipped[type] = (skipped[type] ?? 0) + 1;
      continue;
    }
    const invalid = validateR4(resource, path);
    if (invalid.length > 0) {
      for (const p of invalid) {
        problems.push(recordProblem(p.code, p.message, { file, record: path, field: p.field }, p.severity));
      }
      continue;
    }
    if (type === 'DeviceDefinition') {
      definitionCount++;
      const id = str(resource.id);
      if (id !== undefined) definitions.set(`DeviceDefinition/${id}`, definitionOf(resource));
    } else {
      devices.push({ resource, path });
    }
  }
  const observations: DeviceObservation[] = [];
  for (const { resource, path } of devices) {
    const o = observationOf(resource, path, definitions, problems, file);
    if (o !== undefined) observations.push(o);
  }
  return {
    observations: parentsFirst(observations),
    problems,
    devices: devices.length,
    definitions: definitionCount,
    skipped,
  };
}

/** Orders a device tree so that each parent comes before its parts (a cycle keeps input order). */
function parentsFirst(observations: readonly DeviceObservation[]): DeviceObservation[] {
  const byKey = new Map<string, DeviceObservation>();
  for (const o of observations) for (const k of o.nativeKeys ?? []) if (k.kind === 'fhir') byKey.set(k.value, o);
  const depth = (o: DeviceObservation): number => {
    let d = 0;
    let at: DeviceObservation | undefined = o;
    const seen = new Set<DeviceObservation>();
    while (at.parentKey !== undefined && !seen.has(at) && d < 64) {
      seen.add(at);
      at = byKey.get(at.parentKey.value);
      if (at === undefined) break;
      d++;
    }
    return d;
  };
  return observations
    .map((o, i) => ({ o, i, d: depth(o) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.o);
}
