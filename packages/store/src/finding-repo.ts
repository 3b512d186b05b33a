/**
 * @module finding-repo
 * Stored findings. A recompute hands over every finding of a scope (some SBOMs, some
 * vulnerabilities, or everything) and `reconcile` writes only the difference, in one transaction:
 * new ids are opened, ids whose content changed (a new CVSS, a KEV listing, a VEX decision) are
 * updated, ids no longer found are closed, closed ids found again are reopened; the rest is left
 * alone, so re-running with the same inputs writes nothing.
 */
import type { Finding } from '@ward/core';
import type { Kysely, Selectable } from 'kysely';
import { chunks } from './batches.js';
import { StoreError, guard } from './errors.js';
import type { Database, FindingTables } from './schema.js';
import { nameKey } from './software-repo.js';
import type { Page } from './store.js';

/** A finding as a recompute produced it, for one SBOM attachment. */
export interface NewFinding {
  readonly id: string;
  readonly sbomId: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
  /** What the stored row commits to; a different digest means the finding changed. */
  readonly digest: string;
  readonly finding: Finding;
}

export interface StoredFinding {
  readonly id: string;
  readonly sbomId: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly updatedAt: string;
  readonly digest: string;
  readonly finding: Finding;
}

/** Which stored findings a recompute covers: both filters apply; an absent one means all. */
export interface FindingScope {
  readonly sbomIds?: readonly string[];
  readonly vulnerabilities?: readonly string[];
}

export interface ReconcileResult {
  readonly opened: readonly StoredFinding[];
  readonly updated: readonly StoredFinding[];
  readonly closed: readonly StoredFinding[];
  readonly unchanged: number;
}

export interface FindingQuery {
  readonly manufacturer?: string;
  readonly model?: string;
  readonly firmware?: string;
  readonly vulnerability?: string;
  readonly sbomId?: string;
  /** Default 'open'. */
  readonly status?: 'open' | 'closed' | 'all';
  readonly kev?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

export interface FindingRepository {
  reconcile(scope: FindingScope, findings: readonly NewFinding[], at: string): Promise<ReconcileResult>;
  /** By id; `cursor` from the previous page. @throws StoreError STORE_INVALID_CURSOR */
  list(query: FindingQuery): Promise<Page<StoredFinding>>;
  get(id: string): Promise<StoredFinding | undefined>;
}

type Row = Selectable<FindingTables['findings']>;

function toStored(r: Row): StoredFinding {
  return {
    id: r.id,
    sbomId: r.sbom_id,
    manufacturer: r.manufacturer,
    model: r.model,
    firmware: r.firmware,
    status: r.closed_at === null ? 'open' : 'closed',
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    updatedAt: r.updated_at,
    digest: r.digest,
    finding: JSON.parse(r.record) as Finding,
  };
}

const CURSOR_PREFIX = 'f1:';

function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) {
    throw new StoreError('STORE_INVALID_CURSOR', 'the pagination cursor is not one this store issued for findings', {
      details: { field: 'cursor' },
    });
  }
  return text.slice(CURSOR_PREFIX.length);
}

function rowOf(f: NewFinding, at: string): Row {
  return {
    id: f.id,
    sbom_id: f.sbomId,
    manufacturer: f.manufacturer,
    model: f.model,
    manufacturer_key: nameKey(f.manufacturer),
    model_key: nameKey(f.model),
    firmware: f.firmware,
    vulnerability: f.finding.vulnerability,
    component: f.finding.component,
    kev: f.finding.kev ? 1 : 0,
    closed_at: null,
    opened_at: at,
    updated_at: at,
    digest: f.digest,
    record: JSON.stringify(f.finding),
  };
}

export class KyselyFindings implements FindingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  reconcile(scope: FindingScope, findings: readonly NewFinding[], at: string): Promise<ReconcileResult> {
    return guard('reconcile findings', () =>
      this.db.transaction().execute(async (trx) => {
        const existing = new Map<string, Row>();
        const collect = (rows: readonly Row[]) => {
          const wanted = scope.vulnerabilities === undefined ? undefined : new Set(scope.vulnerabilities);
          for (const r of rows) if (wanted === undefined || wanted.has(r.vulnerability)) existing.set(r.id, r);
        };
        if (scope.sbomIds === undefined) collect(await trx.selectFrom('findings').selectAll().execute());
        else {
          for (const batch of chunks(scope.sbomIds, 500)) {
            if (batch.length > 0)
              collect(await trx.selectFrom('findings').selectAll().where('sbom_id', 'in', batch).execute());
          }
        }
        // A finding outside the scope's filters is the scope's business only when it is in the input.
        const ids = [...new Set(findings.map((f) => f.id))].filter((id) => !existing.has(id));
        for (const batch of chunks(ids, 500)) {
          for (const r of await trx.selectFrom('findings').selectAll().where('id', 'in', batch).execute())
            existing.set(r.id, r);
        }
        const opened: StoredFinding[] = [];
        const updated: StoredFinding[] = [];
        const closed: StoredFinding[] = [];
        let unchanged = 0;
        const seen = new Set<string>();
        const inserts: Row[] = [];
        for (const f of findings) {
          if (seen.has(f.id)) continue;
          seen.add(f.id);
          const before = existing.get(f.id);
          if (before === undefined) {
            const row = rowOf(f, at);
            inserts.push(row);
            opened.push(toStored(row));
            continue;
          }
          if (before.digest === f.digest && before.closed_at === null) {
            unchanged++;
            continue;
          }
          const row: Row = { ...rowOf(f, at), opened_at: before.closed_at === null ? before.opened_at : at };
          await trx
            .updateTable('findings')
            .set({
              kev: row.kev,
              closed_at: null,
              opened_at: row.opened_at,
              updated_at: at,
              digest: row.digest,
              record: row.record,
            })
            .where('id', '=', f.id)
            .execute();
          (before.closed_at === null ? updated : opened).push(toStored(row));
        }
        for (const batch of chunks(inserts, 200)) await trx.insertInto('findings').values(batch).execute();
        const gone = [...existing.values()].filter((r) => !seen.has(r.id) && r.closed_at === null);
        for (const batch of chunks(gone, 500)) {
          await trx
            .updateTable('findings')
            .set({ closed_at: at, updated_at: at })
            .where(
              'id',
              'in',
              batch.map((r) => r.id),
            )
            .execute();
        }
        for (const r of gone) closed.push(toStored({ ...r, closed_at: at, updated_at: at }));
        return { opened, updated, closed, unchanged };
      }),
    );
  }

  list(query: FindingQuery): Promise<Page<StoredFinding>> {
    return guard('list findings', async () => {
      let q = this.db
        .selectFrom('findings')
        .selectAll()
        .orderBy('id')
        .limit(query.limit + 1);
      if (query.manufacturer !== undefined) q = q.where('manufacturer_key', '=', nameKey(query.manufacturer));
      if (query.model !== undefined) q = q.where('model_key', '=', nameKey(query.model));
      if (query.firmware !== undefined) q = q.where('firmware', '=', query.firmware);
      if (query.vulnerability !== undefined) q = q.where('vulnerability', '=', query.vulnerability);
      if (query.sbomId !== undefined) q = q.where('sbom_id', '=', query.sbomId);
      if (query.kev !== undefined) q = q.where('kev', '=', query.kev ? 1 : 0);
      const status = query.status ?? 'open';
      if (status === 'open') q = q.where('closed_at', 'is', null);
      if (status === 'closed') q = q.where('closed_at', 'is not', null);
      if (query.cursor !== undefined) q = q.where('id', '>', decodeCursor(query.cursor));
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toStored),
        nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last.id) : null,
      };
    });
  }

  get(id: string): Promise<StoredFinding | undefined> {
    return guard('get finding', async () => {
      const row = await this.db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toStored(row);
    });
  }
}
