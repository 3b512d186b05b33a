/**
 * @module migrations/0003-inventory
 * The inventory: the `devices` table of 0001 grows the columns lists filter and sort on (the full
 * merged record with per-field provenance is the JSON text in `device_records`), plus the identifier index
 * that joins records from different sources, the per-device change history, saved import mappings
 * and full-text search (SQLite FTS5 over `devices.search`; PostgreSQL a GIN index on its tsvector).
 */
import { SqliteAdapter, sql, type Kysely } from 'kysely';

/** @public Run by the migrator through the module namespace (migrations/index.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const columns: [string, string, boolean, string | number | null][] = [
    // name, type, not null, default
    ['firmware_version', 'text', false, null],
    ['serial_number', 'text', false, null],
    ['asset_tag', 'text', false, null],
    ['department', 'text', true, ''],
    ['vendor_key', 'text', true, ''],
    ['criticality', 'text', false, null],
    ['criticality_rank', 'integer', true, 9],
    ['lifecycle', 'text', true, 'in-service'],
    ['last_seen', 'text', true, ''],
    ['findings_count', 'integer', true, 0],
    ['version', 'integer', true, 1],
    ['search', 'text', true, ''],
  ];
  for (const [name, type, notNull, def] of columns) {
    await db.schema
      .alterTable('devices')
      .addColumn(name, type as 'text', (c) => {
        let col = notNull ? c.notNull() : c;
        if (def !== null) col = col.defaultTo(def);
        return col;
      })
      .execute();
  }
  // Devices stored before this migration: their sort and search keys.
  await sql`update devices set vendor_key = lower(coalesce(manufacturer, '')),
    search = lower(name || ' ' || coalesce(manufacturer, '') || ' ' || coalesce(model, ''))`.execute(db);

  // Every index a filtered, sorted page needs: the equality filter, then the sort key and the id
  // (the page order), then a second common filter, which is then tested inside the index before
  // any row is read (criticality within a department sorted by name). A vendor prefix is resolved
  // to the exact vendor keys it covers first (usually one), so `vendor_key = ?` leads an index.
  // The list rows stay narrow: the merged record is in `device_records`.
  const indexes: [string, string[]][] = [
    ['devices_name_id', ['name', 'id']],
    ['devices_type_name_id', ['type', 'name', 'id']],
    ['devices_criticality_name_id', ['criticality_rank', 'name', 'id']],
    ['devices_department_name_id', ['department', 'name', 'id', 'criticality_rank']],
    ['devices_department_criticality_id', ['department', 'criticality_rank', 'id']],
    ['devices_vendor_name_id', ['vendor_key', 'name', 'id']],
    ['devices_vendor_last_seen_id', ['vendor_key', 'last_seen', 'id']],
    ['devices_last_seen_id', ['last_seen', 'id']],
    ['devices_updated_at_id', ['updated_at', 'id']],
  ];
  for (const [name, cols] of indexes) await db.schema.createIndex(name).on('devices').columns(cols).execute();

  // The merged record with per-field provenance (JSON, ~2 KB), apart from the list columns so that
  // a list walks narrow rows and reads records for its one page only.
  await db.schema
    .createTable('device_records')
    .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('device_identifiers')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('device_identifiers_pk', ['kind', 'value', 'device_id'])
    .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
    .execute();
  await db.schema.createIndex('device_identifiers_device').on('device_identifiers').column('device_id').execute();

  await db.schema
    .createTable('device_history')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_history_pk', ['device_id', 'version'])
    .execute();

  await db.schema
    .createTable('import_mappings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  if (sqlite) {
    // External-content FTS5 over devices.search, kept in step by triggers. The devices table has
    // no INTEGER PRIMARY KEY, so a VACUUM may renumber rowids: run `rebuild` after one.
    await sql`create virtual table device_fts using fts5(search, content='devices', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(
      db,
    );
    await sql`create trigger devices_fts_insert after insert on devices begin
      insert into device_fts(rowid, search) values (new.rowid, new.search); end`.execute(db);
    await sql`create trigger devices_fts_delete after delete on devices begin
      insert into device_fts(device_fts, rowid, search) values ('delete', old.rowid, old.search); end`.execute(db);
    await sql`create trigger devices_fts_update after update of search on devices begin
      insert into device_fts(device_fts, rowid, search) values ('delete', old.rowid, old.search);
      insert into device_fts(rowid, search) values (new.rowid, new.search); end`.execute(db);
    await sql`insert into device_fts(device_fts) values ('rebuild')`.execute(db);
  } else {
    await sql`create index devices_search on devices using gin (to_tsvector('simple', search))`.execute(db);
  }
}
