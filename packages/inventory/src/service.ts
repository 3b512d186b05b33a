/**
 * @module service
 * `InventoryService`: the one way device records change. The CLI, the API, the importers and the
 * sensor all call it; every committed change is announced to `onChange` listeners (the audit
 * ledger subscribes there). A batch of observations is matched, merged and written in one store
 * transaction: all of it commits, or none.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SOURCE_RANKING,
  type DiscoveredDevice,
  type InventoryDevice,
  type ProvenanceSource,
  type SourceKind,
} from '@ward/core';
import type {
  DeviceHistoryRow,
  IdentifierKey,
  IdentifierRow,
  InventoryListQuery,
  InventoryRow,
  InventoryTransaction,
  Page,
  Store,
} from '@ward/store';
import { csvHeader, deviceToCsvLine } from './csv-export.js';
import { observationOfDiscovery } from './discovery.js';
import { devicesToFhirBundle } from './fhir-export.js';
import { checkMappingName, importFile, type ImportOptions, type ImportReport } from './import-file.js';
import { parseMapping, type ColumnMapping } from './mapping.js';
import { InventoryError } from './errors.js';
import { FIELD_NAMES, type FieldName, type Json } from './fields.js';
import { readFieldInput } from './field-input.js';
import { keyPriority, strongKeys } from './identity.js';
import { applyClaims, resolveClaims, type ClaimChange, type ClaimSet, type ObservedFields } from './merge.js';
import { manufacturerStem } from './normalise.js';
import { recordProblem, type DeviceObservation, type RecordProblem } from './observation.js';
import { claimsOfRow, deviceOf, rowOf } from './record.js';

export type DeviceOutcomeKind = 'created' | 'updated' | 'unchanged';

export interface DeviceOutcome {
  readonly ref: string | null;
  readonly deviceId: string;
  readonly outcome: DeviceOutcomeKind;
  readonly changes: readonly ClaimChange[];
}

export interface ApplyReport {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Per record, in input order; at most `MAX_OUTCOMES` are listed (the counts cover all). */
  readonly outcomes: readonly DeviceOutcome[];
  /** More records than `outcomes` lists. */
  readonly outcomesTruncated: boolean;
  /** Matches worth a look (identifiers that point at two devices, a parent not found). */
  readonly warnings: readonly RecordProblem[];
  /** False for a dry run. */
  readonly committed: boolean;
}

/** One committed change of one device: what the audit ledger records. */
export interface InventoryChangeEvent {
  readonly kind: 'created' | 'updated';
  readonly deviceId: string;
  readonly version: number;
  readonly at: string;
  readonly source: ProvenanceSource;
  readonly changes: readonly ClaimChange[];
}

export type InventoryListener = (event: InventoryChangeEvent) => void;

/** A column mapping saved (created or replaced): what the audit ledger records of it. */
export interface MappingSavedEvent {
  readonly name: string;
  readonly mapping: ColumnMapping;
  readonly at: string;
}

export interface InventoryServiceOptions {
  /** Source kinds, most trusted first. Default: person, csv, fhir, sensor. */
  readonly ranking?: readonly SourceKind[];
  readonly now?: () => string;
  readonly newId?: () => string;
}

export interface ApplyOptions {
  /** Work out and report the changes, write nothing. */
  readonly dryRun?: boolean;
}

/** A device as `show` presents it: the record, its identifiers and (on request) its history. */
export interface DeviceDetail {
  readonly device: InventoryDevice;
  readonly identifiers: readonly IdentifierKey[];
}

export interface DeviceHistoryEntry {
  readonly version: number;
  readonly at: string;
  readonly source: ProvenanceSource;
  readonly changes: readonly ClaimChange[];
}

interface Working {
  readonly id: string;
  claims: ClaimSet;
  version: number;
  /** The stored version, or null for a device this batch creates. */
  readonly storedVersion: number | null;
  readonly createdAt: string;
  updatedAt: string;
  readonly findingsCount: number;
  readonly newKeys: IdentifierRow[];
  readonly history: DeviceHistoryRow[];
}

/** Changed records listed in a report; the counts cover all. */
export const MAX_OUTCOMES = 1000;

const keyText = (k: IdentifierKey): string => `${k.kind}\u0000${k.value}`;
/** The key under which a part waits for its parent `k`. */
const pendingKey = (k: IdentifierKey): IdentifierKey => ({ kind: 'pending-parent', value: `${k.kind}:${k.value}` });

export class InventoryService {
  readonly ranking: readonly SourceKind[];
  readonly #now: () => string;
  readonly #newId: () => string;
  readonly #listeners = new Set<InventoryListener>();
  readonly #mappingListeners = new Set<(event: MappingSavedEvent) => void>();

  constructor(
    readonly store: Store,
    options: InventoryServiceOptions = {},
  ) {
    this.ranking = options.ranking ?? DEFAULT_SOURCE_RANKING;
    this.#now = options.now ?? (() => new Date().toISOString());
    this.#newId = options.newId ?? randomUUID;
  }

  /** Calls `listener` after each committed change of a device. Returns the function that unsubscribes. */
  onChange(listener: InventoryListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` after each saved column mapping. Returns the function that unsubscribes. */
  onMappingSaved(listener: (event: MappingSavedEvent) => void): () => void {
    this.#mappingListeners.add(listener);
    return () => this.#mappingListeners.delete(listener);
  }

  /** Merges observations from one source, in one transaction. */
  async applyObservations(
    observations: readonly DeviceObservation[],
    source: ProvenanceSource,
    options: ApplyOptions = {},
  ): Promise<ApplyReport> {
    const at = this.#now();
    const dryRun = options.dryRun === true;
    const { report, events } = await this.store.inventory.transaction((tx) =>
      this.#apply(tx, observations, source, at, dryRun),
    );
    if (!dryRun) this.#emit(events);
    return report;
  }

  /** Merges what passive discovery saw (`ward scan --json` devices) with sensor provenance. */
  applyDiscovery(
    devices: readonly DiscoveredDevice[],
    source: Extract<ProvenanceSource, { kind: 'sensor' }> = { kind: 'sensor', sensor: 'local' },
    options: ApplyOptions = {},
  ): Promise<ApplyReport> {
    return this.applyObservations(devices.map(observationOfDiscovery), source, options);
  }

  /**
   * A person's change to one device (`null` hands a field back to the other sources). Field values
   * are read as `readFieldInput` reads them.
   * @throws InventoryError INVENTORY_EDIT_INVALID naming the field, INVENTORY_DEVICE_NOT_FOUND.
   */
  async edit(id: string, patch: Readonly<Record<string, unknown>>, userId: string): Promise<InventoryDevice> {
    const fields = readPatch(patch);
    await this.applyObservations([{ fields, deviceId: id, ref: id }], { kind: 'person', userId });
    return this.#require(id);
  }

  /** A device recorded by a person; joins an existing record when a strong identifier matches. */
  async create(patch: Readonly<Record<string, unknown>>, userId: string): Promise<InventoryDevice> {
    const fields = readPatch(patch);
    if (fields.name === undefined || fields.name === null) {
      throw new InventoryError('INVENTORY_EDIT_INVALID', 'a new device needs a name', { details: { field: 'name' } });
    }
    const report = await this.applyObservations([{ fields, ref: 'new device' }], { kind: 'person', userId });
    const id = report.outcomes[0]?.deviceId;
    if (id === undefined) throw new InventoryError('INVENTORY_EDIT_INVALID', 'nothing to record', { details: {} });
    return this.#require(id);
  }

  /** Retires a device: its record and history stay. */
  retire(id: string, userId: string): Promise<InventoryDevice> {
    return this.edit(id, { lifecycle: 'retired' }, userId);
  }

  /** Imports one file (CSV, TSV, FHIR JSON/XML): see `importFile`. */
  import(text: string, options: ImportOptions): Promise<ImportReport> {
    return importFile(this, text, options);
  }

  /** Saves (or replaces) a named CSV column mapping. */
  async saveMapping(name: string, mapping: unknown): Promise<ColumnMapping> {
    const parsed = parseMapping(mapping);
    const at = this.#now();
    await this.store.inventory.saveMapping({
      name: checkMappingName(name),
      mapping: JSON.stringify(parsed),
      createdAt: at,
      updatedAt: at,
    });
    for (const listener of this.#mappingListeners) {
      try {
        listener({ name, mapping: parsed, at });
      } catch {
        // A listener's failure never undoes the save; the listener reports its own.
      }
    }
    return parsed;
  }

  async listMappings(): Promise<{ name: string; mapping: ColumnMapping; updatedAt: string }[]> {
    return (await this.store.inventory.listMappings()).map((m) => ({
      name: m.name,
      mapping: parseMapping(m.mapping),
      updatedAt: m.updatedAt,
    }));
  }

  /** The devices matching `query` as a FHIR R4 collection Bundle. */
  async exportFhir(query: Omit<InventoryListQuery, 'limit' | 'cursor'> = {}): Promise<Record<string, unknown>> {
    const devices: InventoryDevice[] = [];
    for await (const d of this.all(query)) devices.push(d);
    return devicesToFhirBundle(devices, this.#now());
  }

  /** The devices matching `query` as CSV, line by line (header first). */
  async *exportCsv(query: Omit<InventoryListQuery, 'limit' | 'cursor'> = {}): AsyncGenerator<string> {
    yield csvHeader();
    for await (const d of this.all(query)) yield deviceToCsvLine(d);
  }

  async get(id: string): Promise<InventoryDevice | undefined> {
    const row = await this.store.inventory.get(id);
    return row === undefined ? undefined : this.#deviceOfRow(row);
  }

  async detail(id: string): Promise<DeviceDetail | undefined> {
    const device = await this.get(id);
    if (device === undefined) return undefined;
    const identifiers = (await this.store.inventory.identifiersOf(id)).map((i) => ({ kind: i.kind, value: i.value }));
    return { device, identifiers };
  }

  async history(id: string): Promise<DeviceHistoryEntry[]> {
    await this.#require(id);
    return (await this.store.inventory.history(id)).map((h) => ({
      version: h.version,
      at: h.at,
      source: JSON.parse(h.source) as ProvenanceSource,
      changes: JSON.parse(h.changes) as ClaimChange[],
    }));
  }

  async list(query: InventoryListQuery): Promise<Page<InventoryDevice>> {
    const page = await this.store.inventory.list(query);
    return { items: page.items.map((r) => this.#deviceOfRow(r)), nextCursor: page.nextCursor };
  }

  /** Every device matching `query` (ignoring its limit and cursor), page by page. */
  async *all(query: Omit<InventoryListQuery, 'limit' | 'cursor'>): AsyncGenerator<InventoryDevice> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...query, limit: 500, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  #deviceOfRow(row: InventoryRow): InventoryDevice {
    return deviceOf(
      {
        id: row.id,
        version: row.version,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        findingsCount: row.findingsCount,
      },
      claimsOfRow(row),
      this.ranking,
    );
  }

  async #require(id: string): Promise<InventoryDevice> {
    const device = await this.get(id);
    if (device === undefined) {
      throw new InventoryError('INVENTORY_DEVICE_NOT_FOUND', `no device ${id}`, { details: { id } });
    }
    return device;
  }

  #emit(events: readonly InventoryChangeEvent[]): void {
    for (const event of events) {
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch {
          // A listener's failure never undoes a committed change; the listener reports its own.
        }
      }
    }
  }

  async #apply(
    tx: InventoryTransaction,
    observations: readonly DeviceObservation[],
    source: ProvenanceSource,
    at: string,
    dryRun: boolean,
  ): Promise<{ report: ApplyReport; events: InventoryChangeEvent[] }> {
    const keysOf = observations.map((o) =>
      [...strongKeys(o.fields), ...(o.nativeKeys ?? [])].sort((a, b) => keyPriority(a.kind) - keyPriority(b.kind)),
    );
    const lookup = keysOf.flat();
    for (const o of observations) if (o.parentKey !== undefined) lookup.push(o.parentKey);
    // Parts imported before their parent wait under a pending-parent key until the parent arrives.
    for (const k of keysOf.flat()) lookup.push(pendingKey(k));
    const keyMap = new Map<string, string[]>();
    for (const row of await tx.findByIdentifiers(lookup)) {
      const k = keyText(row);
      keyMap.set(k, [...(keyMap.get(k) ?? []), row.deviceId]);
    }
    const wanted = new Set<string>([...keyMap.values()].flat());
    for (const o of observations) if (o.deviceId !== undefined) wanted.add(o.deviceId);
    const working = new Map<string, Working>();
    for (const row of await tx.getMany([...wanted])) {
      working.set(row.id, {
        id: row.id,
        claims: claimsOfRow(row),
        version: row.version,
        storedVersion: row.version,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        findingsCount: row.findingsCount,
        newKeys: [],
        history: [],
      });
    }
    const outcomes: DeviceOutcome[] = [];
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const note = (outcome: DeviceOutcome): void => {
      counts[outcome.outcome] += 1;
      // The counts cover every record; a 100,000-row report lists the first MAX_OUTCOMES.
      if (outcomes.length < MAX_OUTCOMES) outcomes.push(outcome);
    };
    const warnings: RecordProblem[] = [];
    const sourceFile = source.kind === 'csv' || source.kind === 'fhir' ? source.file : null;
    const sourceText = JSON.stringify(source);
    const manufacturerOf = (w: Working): string | undefined => {
      const v = resolveClaims({ manufacturer: w.claims.manufacturer ?? [] }, this.ranking).values.manufacturer?.value;
      return typeof v === 'string' ? v : undefined;
    };

    const commit = (w: Working, claims: ClaimSet, changes: readonly ClaimChange[]): void => {
      w.claims = claims;
      w.version += 1;
      w.updatedAt = at;
      w.history.push({ deviceId: w.id, version: w.version, at, source: sourceText, changes: JSON.stringify(changes) });
    };

    for (const [i, o] of observations.entries()) {
      const ref = o.ref ?? null;
      const keys = keysOf[i] ?? [];
      let target: Working | undefined;
      if (o.deviceId !== undefined) {
        target = working.get(o.deviceId);
        if (target === undefined) {
          throw new InventoryError('INVENTORY_DEVICE_NOT_FOUND', `no device ${o.deviceId}`, {
            details: { id: o.deviceId },
          });
        }
      } else {
        const incoming = manufacturerStem(typeof o.fields.manufacturer === 'string' ? o.fields.manufacturer : null);
        let matchedBy: IdentifierKey | undefined;
        for (const key of keys) {
          for (const id of keyMap.get(keyText(key)) ?? []) {
            const w = working.get(id);
            if (w === undefined) continue;
            if (key.kind === 'serial') {
              const stored = manufacturerStem(manufacturerOf(w));
              if (incoming !== undefined && stored !== undefined && incoming !== stored) continue;
            }
            if (target === undefined) {
              target = w;
              matchedBy = key;
            } else if (w !== target) {
              warnings.push(
                recordProblem(
                  'INVENTORY_IDENTITY_AMBIGUOUS',
                  `its ${key.kind} also matches device ${w.id}; merged into ${target.id} (matched by ${matchedBy?.kind ?? '?'})`,
                  { file: sourceFile, record: ref ?? `#${String(i)}`, field: key.kind },
                  'warning',
                ),
              );
            }
          }
        }
      }
      let fields: ObservedFields = o.fields;
      const parent = o.parentKey === undefined ? undefined : keyMap.get(keyText(o.parentKey))?.[0];
      if (parent !== undefined) fields = { ...fields, parentId: parent };
      const isNew = target === undefined;
      const w: Working = target ?? {
        id: this.#newId(),
        claims: {},
        version: 0,
        storedVersion: null,
        createdAt: at,
        updatedAt: at,
        findingsCount: 0,
        newKeys: [],
        history: [],
      };
      const { claims, changes } = applyClaims(w.claims, fields, source, at);
      if (isNew && changes.length === 0) continue;
      if (isNew) working.set(w.id, w);
      const addKey = (key: IdentifierKey): void => {
        const k = keyText(key);
        const ids = keyMap.get(k) ?? [];
        if (!ids.includes(w.id)) {
          keyMap.set(k, [...ids, w.id]);
          w.newKeys.push({ ...key, deviceId: w.id });
        }
      };
      keys.forEach(addKey);
      if (o.parentKey !== undefined && parent === undefined) {
        addKey(pendingKey(o.parentKey));
        warnings.push(
          recordProblem(
            'INVENTORY_PARENT_PENDING',
            `parent ${o.parentKey.value} not known yet: linked when it is imported`,
            { file: sourceFile, record: ref ?? `#${String(i)}`, field: 'parent' },
            'warning',
          ),
        );
      }
      if (changes.length === 0) {
        note({ ref, deviceId: w.id, outcome: 'unchanged', changes });
      } else {
        commit(w, claims, changes);
        note({
          ref,
          deviceId: w.id,
          outcome: w.storedVersion === null && w.version === 1 ? 'created' : 'updated',
          changes,
        });
      }
      // Parts that were waiting for this device as their parent.
      for (const key of keys) {
        for (const childId of keyMap.get(keyText(pendingKey(key))) ?? []) {
          const child = working.get(childId);
          if (child === undefined || childId === w.id) continue;
          const linked = applyClaims(child.claims, { parentId: w.id }, source, at);
          if (linked.changes.length > 0) {
            commit(child, linked.claims, linked.changes);
            note({
              ref: `part ${childId} of ${ref ?? w.id}`,
              deviceId: childId,
              outcome: 'updated',
              changes: linked.changes,
            });
          }
        }
      }
    }

    const inserts: InventoryRow[] = [];
    const updates: { row: InventoryRow; expectedVersion: number }[] = [];
    const identifiers: IdentifierRow[] = [];
    const history: DeviceHistoryRow[] = [];
    const events: InventoryChangeEvent[] = [];
    for (const w of working.values()) {
      identifiers.push(...w.newKeys);
      if (w.history.length === 0) continue;
      const device = deviceOf(
        {
          id: w.id,
          version: w.version,
          createdAt: w.createdAt,
          updatedAt: w.updatedAt,
          findingsCount: w.findingsCount,
        },
        w.claims,
        this.ranking,
      );
      const row = rowOf(device, w.claims);
      if (w.storedVersion === null) inserts.push(row);
      else updates.push({ row, expectedVersion: w.storedVersion });
      history.push(...w.history);
      for (const h of this.#listeners.size === 0 ? [] : w.history) {
        events.push({
          kind: w.storedVersion === null && h.version === 1 ? 'created' : 'updated',
          deviceId: w.id,
          version: h.version,
          at,
          source,
          changes: JSON.parse(h.changes) as ClaimChange[],
        });
      }
    }
    if (!dryRun) await tx.write({ inserts, updates, identifiers, history });
    return {
      report: {
        ...counts,
        outcomes,
        outcomesTruncated: counts.created + counts.updated + counts.unchanged > outcomes.length,
        warnings,
        committed: !dryRun,
      },
      events,
    };
  }
}

/** Reads an edit: known field names only, each value as `readFieldInput` reads it. */
export function readPatch(patch: Readonly<Record<string, unknown>>): ObservedFields {
  const fields: Partial<Record<FieldName, Json>> = {};
  for (const [name, raw] of Object.entries(patch)) {
    if (!(FIELD_NAMES as readonly string[]).includes(name)) {
      throw new InventoryError('INVENTORY_EDIT_INVALID', `${name} is not a device field`, { details: { field: name } });
    }
    const input = readFieldInput(name as FieldName, raw);
    if (input.kind === 'problem') {
      throw new InventoryError('INVENTORY_EDIT_INVALID', `${name}: ${input.reason}`, { details: { field: name } });
    }
    fields[name as FieldName] = input.value;
  }
  return fields;
}
