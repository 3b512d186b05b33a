/**
 * @module commands/witness
 * `ward witness init|add|alerts`: vouch for another hospital's log. `add` reads the log's latest
 * checkpoint (from its Ward over HTTP, or from a local log directory), verifies it against what this
 * witness cosigned before, and cosigns it — or refuses a fork, records an alert and exits 1.
 */
import type { Command } from 'commander';
import {
  LedgerService,
  Witness,
  httpLogSource,
  initWitness,
  loadLedgerKeys,
  defaultLedgerKeyFile,
  type LogSource,
} from '@ward/services';
import { openStore } from '@ward/store';
import { emit } from '../context.js';
import type { CliIo } from '../io.js';

interface WitnessFlags {
  readonly witnessDir: string;
  readonly json?: boolean;
}

async function withSource<T>(
  flags: { readonly log: string; readonly token?: string },
  fn: (source: LogSource) => Promise<T>,
): Promise<T> {
  if (/^https?:\/\//.test(flags.log)) return fn(httpLogSource(flags.log, flags.token));
  // A local log directory: read it through its own store and key.
  const store = await openStore({ dataDir: flags.log });
  try {
    const ledger = new LedgerService(store, loadLedgerKeys(defaultLedgerKeyFile(flags.log)));
    return await fn({
      checkpointNote: async () => (await ledger.checkpoint()).note,
      consistency: (first, second) => ledger.consistency(first, second),
    });
  } finally {
    await store.close();
  }
}

export function witnessCommand(program: Command, io: CliIo): void {
  const witness = program
    .command('witness')
    .description('cosign other logs’ checkpoints after checking their consistency');

  witness
    .command('init')
    .description('create a witness folder with its cosigner key')
    .requiredOption('--witness-dir <dir>', 'the witness’s folder')
    .requiredOption('--name <name>', 'the witness name, a schema-less URL, e.g. ward.st-elsewhere.org/witness')
    .option('--json', 'print machine-readable JSON')
    .action((flags: WitnessFlags & { readonly name: string }) => {
      const { verifierKey } = initWitness(flags.witnessDir, flags.name);
      emit(io, flags, { verifierKey }, () => `Created the witness ${flags.name}; its verifier key:\n${verifierKey}\n`);
      return Promise.resolve();
    });

  witness
    .command('add')
    .description('check the log’s latest checkpoint and cosign it, or refuse a fork (exit 1)')
    .requiredOption('--witness-dir <dir>', 'the witness’s folder')
    .requiredOption('--log <url|dir>', 'the log: a Ward URL (https://…) or a local log directory')
    .requiredOption('--log-key <verifierKey>', 'the log’s verifier key')
    .option('--token <token>', 'bearer token for the log’s API (env WARD_WITNESS_TOKEN)')
    .option('--json', 'print machine-readable JSON')
    .action(
      async (flags: WitnessFlags & { readonly log: string; readonly logKey: string; readonly token?: string }) => {
        const token = flags.token ?? io.env.WARD_WITNESS_TOKEN;
        const result = await withSource({ log: flags.log, ...(token === undefined ? {} : { token }) }, (source) =>
          new Witness(flags.witnessDir).witness(source, flags.logKey),
        );
        emit(io, flags, result, () => result.cosigned);
      },
    );

  witness
    .command('alerts')
    .description('list the forks this witness refused')
    .requiredOption('--witness-dir <dir>', 'the witness’s folder')
    .option('--json', 'print machine-readable JSON')
    .action((flags: WitnessFlags) => {
      const alerts = new Witness(flags.witnessDir).alerts();
      emit(io, flags, { items: alerts }, () =>
        alerts.length === 0
          ? 'No forks seen\n'
          : alerts
              .map(
                (a) =>
                  `${a.at} ${a.origin}: offered ${String(a.offeredSize)} ${a.reason} cosigned ${String(a.cosignedSize)}`,
              )
              .join('\n') + '\n',
      );
      return Promise.resolve();
    });
}
