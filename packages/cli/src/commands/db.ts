/**
 * @module commands/db
 * `ward db migrate`: brings the database schema up to date.
 */
import type { Command } from 'commander';
import { emit, storeOptions, withStore, type StoreFlags } from '../context.js';
import type { CliIo } from '../io.js';

export function dbCommand(program: Command, io: CliIo): void {
  const db = program.command('db').description('database maintenance');
  storeOptions(db.command('migrate').description('apply pending migrations (all in one transaction)')).action(
    async (flags: StoreFlags) => {
      await withStore(
        io,
        flags,
        async (store) => {
          const report = await store.migrate();
          emit(io, flags, { store: store.kind, location: store.location, ...report }, () =>
            report.applied.length === 0
              ? `Up to date (${String(report.current.length)} migrations) at ${store.location}\n`
              : `Applied ${report.applied.join(', ')} at ${store.location}\n`,
          );
        },
        { migrate: false },
      );
    },
  );
}
