/**
 * @module inventory-repo
 * Storage of the device inventory: device rows (the columns lists filter, sort and search on; the
 * merged record as JSON text in its own table, read for a page's rows only), the identifier index that joins records from different
 * sources, the per-device change history and saved import mappings. It stores what the inventory
 * package computes and does no merging of its own. Writes happen inside `transaction`, so an
 * import commits all of its rows or none.
 */
import { CRITICALITIES, isWardError } from '@ward/core';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { guard, StoreError, toStoreError } from './errors.js';
import { chunks } from './batches.js';
import type { Database, DevicesTable } from './schema.js';
import type { Page, StoreKind } from './store.js';

/** One device row. `record` is the inventory's merged record (JSON text); the rest index it. */
export interface InventoryRow {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly firmwareVersion: string | null;
  readonly serialNumber: string | null;
  readonly assetTag: string | null;
  readonly department: string | null;
  readonly criticality: string | null;
  readonly lifecycle: string;
  /** ISO 8601, null when never seen on the network. */
  readonly lastSeen: string | null;
  readonly findingsCount: number;
  /** Starts at 1; each committed change adds one. */
  readonly version: number;
  readonly record: string;
  /** Lower-case words the full-text search finds the device by, separated by spaces. */
  readonly search: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface IdentifierKey {
  /** `mac`, `serial`, `udi`, `asset`, `ae-ip`, `fhir`, `csv`, `sensor`… */
  readonly kind: string;
  readonly value: string;
}

export interface IdentifierRow extends IdentifierKey {
  readonly deviceId: string;
}

export interface DeviceHistoryRow {
  readonly deviceId: string;
  readonly version: number;
  readonly at: string;
  /** JSON text: the provenance source of the change. */
  readonly source: string;
  /** JSON text: what changed. */
  readonly changes: string;
}

export interface ImportMappingRow {
  readonly name: string;
  /** JSON text of the mapping. */
  readonly mapping: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One transaction's writes. An update names the version it read: if another writer moved the row, nothing is written. */
export interface InventoryWrite {
  readonly inserts: readonly InventoryRow[];
  readonly updates: readonly { readonly row: InventoryRow; readonly expectedVersion: number }[];
  readonly identifiers: readonly IdentifierRow[];
  readonly history: readonly DeviceHistoryRow[];
}

export const INVENTORY_SORTS = ['name', 'type', 'criticality', 'vendor', 'lastSeen', 'updatedAt', 'createdAt'] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];

export interface InventoryListQuery {
  readonly type?: string | undefined;
  readonly criticality?: string | undefined;
  readonly department?: string | undefined;
  /** Manufacturer prefix, case-insensitive (`philips` finds `Philips Medical Systems`). */
  readonly vendor?: string | undefined;
  readonly lifecycle?: string | undefined;
  /** Last seen on the network at or after this ISO 8601 time. */
  readonly seenSince?: string | undefined;
  /** Devices with (true) or without (false) open findings, by `findingsCount`. */
  readonly hasFindings?: boolean | undefined;
  /** Full-text search: every word must match the start of a word of the device. */
  readonly q?: string | undefined;
  readonly sort?: InventorySort | undefined;
  readonly order?: 'asc' | 'desc' | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface InventoryReader {
  getMany(ids: readonly string[]): Promise<InventoryRow[]>;
  /** Every stored identifier row matching one of `keys`. */
  findByIdentifiers(keys: readonly IdentifierKey[]): Promise<IdentifierRow[]>;
}

export interface InventoryTransaction extends InventoryReader {
  /** @throws StoreError STORE_CONFLICT (`details.reason: 'device-moved'`) when an update's row changed meanwhile. */
  write(batch: InventoryWrite): Promise<void>;
}

export interface InventoryRepository extends InventoryReader {
  /**
   * Runs `fn` in one transaction: everything it writes commits together or not at all. Inventory
   * writers are serialised (PostgreSQL: a transaction-scoped advisory lock; SQLite: one writer).
   */
  transaction<T>(fn: (tx: InventoryTransaction) => Promise<T>): Promise<T>;
  get(id: string): Promise<InventoryRow | undefined>;
  /** @throws StoreError STORE_INVALID_CURSOR for a cursor not issued for this sort and order. */
  list(query: InventoryListQuery): Promise<Page<InventoryRow>>;
  identifiersOf(deviceId: string): Promise<IdentifierRow[]>;
  /** Oldest first. */
  history(deviceId: string): Promise<DeviceHistoryRow[]>;
  /** For the findings capability: keeps `findingsCount` (the `hasFindings` filter) in step. */
  setFindingsCount(deviceId: string, count: number): Promise<void>;
  saveMapping(mapping: ImportMappingRow): Promise<void>;
  getMapping(name: string): Promise<ImportMappingRow | undefined>;
  listMappings(): Promise<ImportMappingRow[]>;
}

const SORT_COLUMNS = {
  name: 'name',
  type: 'type',
  criticality: 'criticality_rank',
  vendor: 'vendor_key',
  lastSeen: 'last_seen',
  updatedAt: 'updated_at',
  createdAt: 'created_at',
} as const;

/** Rows per multi-row INSERT: devices have 22 columns, well under SQLite's 32,766 variables. */
const CHUNK = 500;

type ColumnType = 'text' | 'integer';

/**
 * Inserts many rows with one statement and one parameter (a JSON array): no per-row binding and no
 * large statement to build, which is most of the cost of a multi-row INSERT at this size.
 * SQLite reads it with json_each, PostgreSQL with json_to_recordset.
 */
async function bulkInsert(
  db: Kysely<Database>,
  kind: StoreKind,
  table: string,
  columns: readonly (readonly [string, ColumnType])[],
  rows: readonly Record<string, unknown>[],
  onConflictDoNothing = false,
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([c]) => c);
  const json = JSON.stringify(rows.map((r) => names.map((c) => r[c] ?? null)));
  const target = sql.raw(`${table} (${names.join(', ')})`);
  const tail = sql.raw(onConflictDoNothing ? ' on conflict do nothing' : '');
  if (kind === 'sqlite') {
    const select = sql.raw(names.map((_, i) => `value ->> ${String(i)}`).join(', '));
    await sql`insert into ${target} select ${select} from json_each(${json}) where true${tail}`.execute(db);
  } else {
    const select = sql.raw(columns.map(([, t], i) => `(value ->> ${String(i)})::${t}`).join(', '));
    await sql`insert into ${target} select ${select} from json_array_elements(${json}::json)${tail}`.execute(db);
  }
}

const DEVICE_COLUMNS: readonly (readonly [string, ColumnType])[] = [
  ['id', 'text'],
  ['name', 'text'],
  ['type', 'text'],
  ['manufacturer', 'text'],
  ['model', 'text'],
  ['firmware_version', 'text'],
  ['serial_number', 'text'],
  ['asset_tag', 'text'],
  ['department', 'text'],
  ['vendor_key', 'text'],
  ['criticality', 'text'],
  ['criticality_rank', 'integer'],
  ['lifecycle', 'text'],
  ['last_seen', 'text'],
  ['findings_count', 'integer'],
  ['version', 'integer'],
  ['search', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
];

/** Updates device rows from one JSON parameter, each only if it still has its expected version; returns how many did. */
async function bulkUpdateDevices(
  db: Kysely<Database>,
  kind: StoreKind,
  rows: readonly Record<string, unknown>[],
): Promise<number> {
  const columns = DEVICE_COLUMNS.filter(([c]) => c !== 'id' && c !== 'created_at');
  const order = ['id', 'expected_version', ...columns.map(([c]) => c)];
  const json = JSON.stringify(rows.map((r) => order.map((c) => r[c] ?? null)));
  if (kind === 'sqlite') {
    const set = sql.raw(columns.map(([c], i) => `${c} = j.value ->> ${String(i + 2)}`).join(', '));
    const result = await sql`update devices set ${set} from json_each(${json}) as j
      where devices.id = j.value ->> 0 and devices.version = j.value ->> 1`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }
  const set = sql.raw(columns.map(([c, t], i) => `${c} = (j.value ->> ${String(i + 2)})::${t}`).join(', '));
  const result = await sql`update devices set ${set} from json_array_elements(${json}::json) as j
    where devices.id = j.value ->> 0 and devices.version = (j.value ->> 1)::integer`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

const RECORD_COLUMNS: readonly (readonly [string, ColumnType])[] = [
  ['device_id', 'text'],
  ['record', 'text'],
];

/** Replaces the records of devices whose rows were just updated, in one upsert (a device stored without one gets one). */
async function bulkReplaceRecords(
  db: Kysely<Database>,
  kind: StoreKind,
  rows: readonly { readonly id: string; readonly record: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((r) => [r.id, r.record]));
  const from = kind === 'sqlite' ? sql`json_each(${json}) where true` : sql`json_array_elements(${json}::json)`;
  await sql`insert into device_records (device_id, record) select value ->> 0, value ->> 1 from ${from}
    on conflict (device_id) do update set record = excluded.record`.execute(db);
}

function rankOf(criticality: string | null): number {
  const i = criticality === null ? -1 : (CRITICALITIES as readonly string[]).indexOf(criticality);
  return i < 0 ? 9 : i;
}

function toColumns(row: InventoryRow) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    manufacturer: row.manufacturer,
    model: row.model,
    firmware_version: row.firmwareVersion,
    serial_number: row.serialNumber,
    asset_tag: row.assetTag,
    department: row.department ?? '',
    vendor_key: (row.manufacturer ?? '').trim().toLowerCase(),
    criticality: row.criticality,
    criticality_rank: rankOf(row.criticality),
    lifecycle: row.lifecycle,
    last_seen: row.lastSeen ?? '',
    findings_count: row.findingsCount,
    version: row.version,
    search: row.search,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

function toRow(r: Selectable<DevicesTable>, record: string | null | undefined): InventoryRow {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    manufacturer: r.manufacturer,
    model: r.model,
    firmwareVersion: r.firmware_version,
    serialNumber: r.serial_number,
    assetTag: r.asset_tag,
    department: r.department === '' ? null : r.department,
    criticality: r.criticality,
    lifecycle: r.lifecycle,
    lastSeen: r.last_seen === '' ? null : r.last_seen,
    findingsCount: r.findings_count,
    version: r.version,
    record: record ?? '{}',
    search: r.search,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

type CursorValue = string | number;

/** A vendor prefix covering more distinct vendors than this is filtered as a range. */
const MAX_VENDOR_KEYS = 16;
/** From this many full-text matches on, SQLite walks the sort index rather than sorting the matches. */
const FTS_WALK_FROM = 2000;

function encodeCursor(sort: InventorySort, order: string, value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([sort, order, value, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, sort: InventorySort, order: string): readonly [CursorValue, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 4 &&
      v[0] === sort &&
      v[1] === order &&
      (typeof v[2] === 'string' || typeof v[2] === 'number') &&
      typeof v[3] === 'string'
    ) {
      return [v[2], v[3]];
    }
  } catch {
    // fall through
  }
  throw new StoreError('STORE_INVALID_CURSOR', 'the pagination cursor is not one this store issued for this sort', {
    details: { field: 'cursor' },
  });
}

/** Lower-case letter/digit words of a search, at most 8. */
export function searchWords(q: string): string[][] {
  return q
    .normalize('NFKC')
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((tokens) => tokens.length > 0)
    .slice(0, 8);
}

class Reader implements InventoryReader {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly kind: StoreKind,
  ) {}

  getMany(ids: readonly string[]): Promise<InventoryRow[]> {
    return guard('read devices', async () => {
      const out: InventoryRow[] = [];
      for (const part of chunks([...new Set(ids)], CHUNK)) {
        const rows = await this.db
          .selectFrom('devices')
          .leftJoin('device_records', 'device_records.device_id', 'devices.id')
          .selectAll('devices')
          .select('device_records.record')
          .where('devices.id', 'in', part)
          .execute();
        out.push(...rows.map((r) => toRow(r, r.record)));
      }
      return out;
    });
  }

  findByIdentifiers(keys: readonly IdentifierKey[]): Promise<IdentifierRow[]> {
    return guard('find devices by identifier', async () => {
      const out: IdentifierRow[] = [];
      const unique = [...new Map(keys.map((k) => [`${k.kind}\u0000${k.value}`, k])).values()];
      for (const part of chunks(unique, 5000)) {
        const pairs = JSON.stringify(part.map((k) => [k.kind, k.value]));
        const wanted =
          this.kind === 'sqlite'
            ? sql`select value ->> 0, value ->> 1 from json_each(${pairs})`
            : sql`select value ->> 0, value ->> 1 from json_array_elements(${pairs}::json)`;
        const { rows } = await sql<{ kind: string; value: string; device_id: string }>`
          select kind, value, device_id from device_identifiers where (kind, value) in (${wanted})`.execute(this.db);
        out.push(...rows.map((r) => ({ kind: r.kind, value: r.value, deviceId: r.device_id })));
      }
      return out;
    });
  }
}

class Tx extends Reader implements InventoryTransaction {
  async write(batch: InventoryWrite): Promise<void> {
    for (const part of chunks(batch.inserts, 5000)) {
      await bulkInsert(this.db, this.kind, 'devices', DEVICE_COLUMNS, part.map(toColumns));
      await bulkInsert(
        this.db,
        this.kind,
        'device_records',
        RECORD_COLUMNS,
        part.map((r) => ({ device_id: r.id, record: r.record })),
      );
    }
    for (const part of chunks(batch.updates, 5000)) {
      const rows = part.map(({ row, expectedVersion }) => ({ ...toColumns(row), expected_version: expectedVersion }));
      const updated = await bulkUpdateDevices(this.db, this.kind, rows);
      if (updated !== rows.length) {
        throw new StoreError('STORE_CONFLICT', 'a device changed while this change was being made', {
          details: { reason: 'device-moved', ids: part.map((u) => u.row.id).slice(0, 20) },
        });
      }
      await bulkReplaceRecords(
        this.db,
        this.kind,
        part.map(({ row }) => ({ id: row.id, record: row.record })),
      );
    }
    for (const part of chunks(batch.identifiers, 20_000)) {
      await bulkInsert(
        this.db,
        this.kind,
        'device_identifiers',
        [
          ['kind', 'text'],
          ['value', 'text'],
          ['device_id', 'text'],
        ],
        part.map((i) => ({ kind: i.kind, value: i.value, device_id: i.deviceId })),
        true,
      );
    }
    for (const part of chunks(batch.history, 5000)) {
      await bulkInsert(
        this.db,
        this.kind,
        'device_history',
        [
          ['device_id', 'text'],
          ['version', 'integer'],
          ['at', 'text'],
          ['source', 'text'],
          ['changes', 'text'],
        ],
        part.map((h) => ({
          device_id: h.deviceId,
          version: h.version,
          at: h.at,
          source: h.source,
          changes: h.changes,
        })),
      );
    }
  }
}

export class KyselyInventory extends Reader implements InventoryRepository {
  async transaction<T>(fn: (tx: InventoryTransaction) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(async (trx: Transaction<Database>) => {
        // One inventory writer at a time, so two imports never both create the same device. The
        // lock is per schema: another Ward in another schema of the database does not wait for it.
        if (this.kind === 'postgres') {
          await sql`select pg_advisory_xact_lock(7405, hashtext(current_schema()))`.execute(trx);
        }
        return fn(new Tx(trx, this.kind));
      });
    } catch (error) {
      // The caller's own coded errors pass through (rolled back); driver errors are wrapped.
      if (isWardError(error)) throw error;
      throw toStoreError(error, 'inventory transaction');
    }
  }

  get(id: string): Promise<InventoryRow | undefined> {
    return guard('get device', async () => {
      const row = await this.db
        .selectFrom('devices')
        .leftJoin('device_records', 'device_records.device_id', 'devices.id')
        .selectAll('devices')
        .select('device_records.record')
        .where('devices.id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : toRow(row, row.record);
    });
  }

  list(query: InventoryListQuery): Promise<Page<InventoryRow>> {
    const sort = query.sort ?? 'name';
    const order = query.order ?? 'asc';
    return guard('list devices', async () => {
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order);
      const column = SORT_COLUMNS[sort];
      let q = this.db.selectFrom('devices').selectAll();
      if (query.type !== undefined) q = q.where('type', '=', query.type);
      if (query.criticality !== undefined) {
        // By rank, which the criticality index holds; a word outside the vocabulary matches nothing.
        q = q.where('criticality_rank', '=', (CRITICALITIES as readonly string[]).indexOf(query.criticality));
      }
      if (query.department !== undefined) q = q.where('department', '=', query.department);
      if (query.lifecycle !== undefined) q = q.where('lifecycle', '=', query.lifecycle);
      if (query.vendor !== undefined && query.vendor.trim() !== '') {
        const v = query.vendor.trim().toLowerCase();
        const keys = await this.#vendorKeys(v);
        if (keys === undefined) q = q.where('vendor_key', '>=', v).where('vendor_key', '<', `${v}\uffff`);
        else if (keys.length === 0) return { items: [], nextCursor: null };
        else if (keys.length === 1) q = q.where('vendor_key', '=', keys[0] ?? v);
        else q = q.where('vendor_key', 'in', keys);
      }
      if (query.seenSince !== undefined) q = q.where('last_seen', '>=', query.seenSince);
      if (query.hasFindings === true) q = q.where('findings_count', '>', 0);
      if (query.hasFindings === false) q = q.where('findings_count', '=', 0);
      const words = query.q === undefined ? [] : searchWords(query.q);
      if (words.length > 0) {
        if (this.kind === 'sqlite') {
          const match = words.map((tokens) => `"${tokens.join(' ')}"*`).join(' ');
          // Few matches: read them by rowid and sort them. Many: walk the sort key's index and
          // test each entry against the match set (the unary + keeps SQLite off the rowid lookup),
          // which stops after one page instead of sorting every match.
          const { rows: counted } = await sql<{ n: number }>`select count(*) as n from
            (select rowid from device_fts where device_fts match ${match} limit ${FTS_WALK_FROM})`.execute(this.db);
          q =
            (counted[0]?.n ?? 0) < FTS_WALK_FROM
              ? q.where(sql<boolean>`devices.rowid in (select rowid from device_fts where device_fts match ${match})`)
              : q.where(sql<boolean>`+devices.rowid in (select rowid from device_fts where device_fts match ${match})`);
        } else {
          const tsq = words
            .map((tokens) => tokens.map((t, i) => (i === tokens.length - 1 ? `${t}:*` : t)).join(' <-> '))
            .join(' & ');
          // The match as a fenced subquery (offset 0): found through the GIN index, never by
          // computing each row's tsvector while walking a sort index.
          q = q.where(
            sql<boolean>`devices.id in (select d.id from devices d
              where to_tsvector('simple', d.search) @@ to_tsquery('simple', ${tsq}) offset 0)`,
          );
        }
      }
      if (after !== undefined) {
        const [value, id] = after;
        q = q.where((eb) => eb(eb.refTuple(column, 'id'), order === 'asc' ? '>' : '<', eb.tuple(value as never, id)));
      }
      const rows = await q
        .orderBy(column, order)
        .orderBy('id', order)
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const nextCursor =
        rows.length > query.limit && last !== undefined ? encodeCursor(sort, order, last[column], last.id) : null;
      // The records of this page only, by primary key.
      const records = new Map<string, string>();
      if (page.length > 0) {
        const found = await this.db
          .selectFrom('device_records')
          .select(['device_id', 'record'])
          .where(
            'device_id',
            'in',
            page.map((r) => r.id),
          )
          .execute();
        for (const r of found) records.set(r.device_id, r.record);
      }
      return { items: page.map((r) => toRow(r, records.get(r.id))), nextCursor };
    });
  }

  /**
   * The distinct vendor keys in the prefix's range, one index probe each (a skip scan); undefined
   * when there are more than MAX_VENDOR_KEYS, and the list filters on the prefix range instead.
   */
  async #vendorKeys(prefix: string): Promise<string[] | undefined> {
    const keys: string[] = [];
    for (;;) {
      const last = keys.at(-1);
      const next = await this.db
        .selectFrom('devices')
        .select('vendor_key')
        .where('vendor_key', last === undefined ? '>=' : '>', last ?? prefix)
        .where('vendor_key', '<', `${prefix}\uffff`)
        .orderBy('vendor_key')
        .limit(1)
        .executeTakeFirst();
      if (next === undefined) return keys;
      keys.push(next.vendor_key);
      if (keys.length > MAX_VENDOR_KEYS) return undefined;
    }
  }

  identifiersOf(deviceId: string): Promise<IdentifierRow[]> {
    return guard('read identifiers', async () => {
      const rows = await this.db
        .selectFrom('device_identifiers')
        .selectAll()
        .where('device_id', '=', deviceId)
        .orderBy('kind')
        .orderBy('value')
        .execute();
      return rows.map((r) => ({ kind: r.kind, value: r.value, deviceId: r.device_id }));
    });
  }

  history(deviceId: string): Promise<DeviceHistoryRow[]> {
    return guard('read device history', async () => {
      const rows = await this.db
        .selectFrom('device_history')
        .selectAll()
        .where('device_id', '=', deviceId)
        .orderBy('version')
        .execute();
      return rows.map((h) => ({
        deviceId: h.device_id,
        version: h.version,
        at: h.at,
        source: h.source,
        changes: h.changes,
      }));
    });
  }

  setFindingsCount(deviceId: string, count: number): Promise<void> {
    return guard('set findings count', async () => {
      const r = await this.db
        .updateTable('devices')
        .set({ findings_count: count })
        .where('id', '=', deviceId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new StoreError('STORE_NOT_FOUND', `no device with id ${deviceId}`, { details: { id: deviceId } });
      }
    });
  }

  saveMapping(mapping: ImportMappingRow): Promise<void> {
    return guard('save import mapping', async () => {
      await this.db
        .insertInto('import_mappings')
        .values({
          name: mapping.name,
          mapping: mapping.mapping,
          created_at: mapping.createdAt,
          updated_at: mapping.updatedAt,
        })
        .onConflict((oc) => oc.column('name').doUpdateSet({ mapping: mapping.mapping, updated_at: mapping.updatedAt }))
        .execute();
    });
  }

  getMapping(name: string): Promise<ImportMappingRow | undefined> {
    return guard('get import mapping', async () => {
      const r = await this.db.selectFrom('import_mappings').selectAll().where('name', '=', name).executeTakeFirst();
      return r === undefined
        ? undefined
        : { name: r.name, mapping: r.mapping, createdAt: r.created_at, updatedAt: r.updated_at };
    });
  }

  listMappings(): Promise<ImportMappingRow[]> {
    return guard('list import mappings', async () => {
      const rows = await this.db.selectFrom('import_mappings').selectAll().orderBy('name').execute();
      return rows.map((r) => ({ name: r.name, mapping: r.mapping, createdAt: r.created_at, updatedAt: r.updated_at }));
    });
  }
}
