/**
 * @module observation-repo
 * Storage of the sensor's observations. Ids are content hashes computed by the sensor, so
 * `record` is idempotent: a known id only has its first/last-seen times widened, never a second
 * row. Runs unchanged on SQLite and PostgreSQL.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { toStoreError } from './errors.js';
import type { Database, ObservationsTable } from './schema.js';

export interface ObservationRow {
  /** SHA-256 hex of the observation's canonical content. */
  readonly id: string;
  /** The identifier the fact is about: `mac:…`, `ip:…`, `ble:…`. */
  readonly deviceKey: string;
  readonly kind: string;
  /** Canonical JSON of the fact. */
  readonly value: string;
  /** ISO 8601 capture times. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Where it was first learnt: `scan:<file>`, `sensor:<interface>`. */
  readonly source: string;
}

export interface RecordResult {
  /** Rows that were new. */
  readonly inserted: number;
  /** Rows already stored (their times widened where the new sighting lies outside them). */
  readonly known: number;
}

export interface ObservationFilter {
  readonly deviceKey?: string;
  readonly kind?: string;
}

export interface ObservationRepository {
  /** Stores a batch in one transaction. Duplicate ids inside the batch count once. */
  record(rows: readonly ObservationRow[]): Promise<RecordResult>;
  /** Observations by id order. */
  list(filter?: ObservationFilter): Promise<ObservationRow[]>;
  count(): Promise<number>;
}

const CHUNK = 500;

function toRow(row: Selectable<ObservationsTable>): ObservationRow {
  return {
    id: row.id,
    deviceKey: row.device_key,
    kind: row.kind,
    value: row.value,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    source: row.source,
  };
}

/** One row per id: the earliest first sighting and the latest last one. */
function dedupe(rows: readonly ObservationRow[]): ObservationRow[] {
  const byId = new Map<string, ObservationRow>();
  for (const row of rows) {
    const known = byId.get(row.id);
    if (known === undefined) byId.set(row.id, row);
    else
      byId.set(row.id, {
        ...known,
        firstSeen: row.firstSeen < known.firstSeen ? row.firstSeen : known.firstSeen,
        lastSeen: row.lastSeen > known.lastSeen ? row.lastSeen : known.lastSeen,
      });
  }
  return [...byId.values()];
}

export class KyselyObservations implements ObservationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(rows: readonly ObservationRow[]): Promise<RecordResult> {
    const unique = dedupe(rows);
    if (unique.length === 0) return { inserted: 0, known: 0 };
    try {
      return await this.db.transaction().execute(async (trx) => {
        let known = 0;
        for (let i = 0; i < unique.length; i += CHUNK) {
          const chunk = unique.slice(i, i + CHUNK);
          const existing = await trx
            .selectFrom('observations')
            .select('id')
            .where(
              'id',
              'in',
              chunk.map((r) => r.id),
            )
            .execute();
          known += existing.length;
          await trx
            .insertInto('observations')
            .values(
              chunk.map((r) => ({
                id: r.id,
                device_key: r.deviceKey,
                kind: r.kind,
                value: r.value,
                first_seen: r.firstSeen,
                last_seen: r.lastSeen,
                source: r.source,
              })),
            )
            .onConflict((oc) =>
              oc.column('id').doUpdateSet({
                first_seen: sql<string>`case when excluded.first_seen < observations.first_seen then excluded.first_seen else observations.first_seen end`,
                last_seen: sql<string>`case when excluded.last_seen > observations.last_seen then excluded.last_seen else observations.last_seen end`,
              }),
            )
            .execute();
        }
        return { inserted: unique.length - known, known };
      });
    } catch (error) {
      throw toStoreError(error, 'record observations');
    }
  }

  async list(filter: ObservationFilter = {}): Promise<ObservationRow[]> {
    try {
      let query = this.db.selectFrom('observations').selectAll();
      if (filter.deviceKey !== undefined) query = query.where('device_key', '=', filter.deviceKey);
      if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
      const rows = await query.orderBy('id').execute();
      return rows.map(toRow);
    } catch (error) {
      throw toStoreError(error, 'list observations');
    }
  }

  async count(): Promise<number> {
    try {
      const row = await this.db
        .selectFrom('observations')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    } catch (error) {
      throw toStoreError(error, 'count observations');
    }
  }
}
