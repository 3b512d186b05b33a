/**
 * @module commands/ledger
 * `ward ledger init|append|checkpoint|prove|verify|rotate-key`: the integrity ledger on a local log
 * directory (`--dir`, a data folder holding only the ledger) or on Ward's own store, with no server.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  fromHex,
  parseCheckpoint,
  parseEntry,
  verifierFromKey,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
  type LedgerEntry,
} from '@ward/ledger';
import {
  LedgerService,
  createEntryHasher,
  defaultLedgerKeyFile,
  loadLedgerKeys,
  loadOrCreateLedgerKeys,
  publicKeyFileOf,
  rotateLedgerKey,
  type WardConfig,
} from '@ward/services';
import { configFrom, emit, storeOptions, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

interface LedgerFlags extends StoreFlags {
  readonly dir?: string;
}

/** Adds --dir (a log directory) beside the store options. */
function ledgerOptions(command: Command): Command {
  return storeOptions(command.option('--dir <dir>', 'local log directory (the same as --data-dir)'));
}

function storeFlagsOf(flags: LedgerFlags): StoreFlags {
  return flags.dir === undefined ? flags : { ...flags, dataDir: flags.dir };
}

function keyFileOf(config: WardConfig): string {
  return config.ledgerKeyFile ?? defaultLedgerKeyFile(config.dataDir);
}

/** Runs `fn` with a LedgerService over the configured store and the existing key. */
async function withLedger<T>(io: CliIo, flags: LedgerFlags, fn: (ledger: LedgerService) => Promise<T>): Promise<T> {
  const storeFlags = storeFlagsOf(flags);
  const config = configFrom(io, storeFlags);
  const keyFile = keyFileOf(config);
  if (!existsSync(keyFile)) {
    throw new CliError('CLI_USAGE', `no ledger key at ${keyFile}: run ward ledger init first`, {
      details: { file: keyFile },
    });
  }
  const keys = loadLedgerKeys(keyFile);
  return withStore(io, storeFlags, async (store) => {
    const ledger = new LedgerService(store, keys, { batchDelayMs: 0, hasher: createEntryHasher() });
    try {
      return await fn(ledger);
    } finally {
      await ledger.close();
    }
  });
}

function wholeNumber(value: string, flag: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw new CliError('CLI_USAGE', `${flag} ${JSON.stringify(value)}: expected a whole number`, {
      details: { field: flag },
    });
  }
  return Number(value);
}

function readJsonFile(file: string, flag: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new CliError('CLI_INPUT', `${flag} ${file}: cannot read it as JSON`, { cause: error, details: { file } });
  }
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('CLI_INPUT', `${flag} ${file}: cannot read it`, { cause: error, details: { file } });
  }
}

/** Parses JSON lines into entries; every bad line is reported (line number, field), none appended. */
export function parseEntryLines(text: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      entries.push(parseEntry(JSON.parse(line)));
    } catch (error) {
      const field =
        typeof error === 'object' && error !== null && 'details' in error
          ? (error as { details?: { field?: unknown } }).details?.field
          : undefined;
      problems.push(
        `line ${String(i + 1)}${typeof field === 'string' ? ` (${field})` : ''}: ${error instanceof Error ? error.message : 'invalid'}`,
      );
    }
  });
  if (problems.length > 0) {
    throw new CliError(
      'CLI_INPUT',
      `standard input has ${String(problems.length)} bad entries; nothing was appended:\n  ${problems.slice(0, 20).join('\n  ')}`,
      {
        details: { problems },
      },
    );
  }
  return entries;
}

export function ledgerCommand(program: Command, io: CliIo): void {
  const ledger = program.command('ledger').description('the integrity ledger (RFC 9162 Merkle log)');

  ledgerOptions(
    ledger
      .command('init')
      .description('create a log: its store and its Ed25519 signing key')
      .option('--origin <origin>', 'the log name, a schema-less URL (env WARD_LEDGER_ORIGIN)'),
  ).action(async (flags: LedgerFlags & { readonly origin?: string }) => {
    const storeFlags = storeFlagsOf(flags);
    const config = configFrom(io, storeFlags, { ledgerOrigin: flags.origin });
    const keyFile = keyFileOf(config);
    if (existsSync(keyFile)) {
      throw new CliError('CLI_USAGE', `a ledger key already exists at ${keyFile}`, { details: { file: keyFile } });
    }
    const size = await withStore(io, storeFlags, (store) => store.ledger.size());
    const keys = loadOrCreateLedgerKeys(keyFile, config.ledgerOrigin);
    emit(
      io,
      flags,
      { origin: keys.signer.name, keyFile, verifierKey: keys.verifierKeys[0], size },
      () => `Created the log ${keys.signer.name} (key ${keyFile}; publish ${publicKeyFileOf(keyFile)})\n`,
    );
  });

  ledgerOptions(
    ledger.command('append').description('append entries: one JSON entry per line of standard input'),
  ).action(async (flags: LedgerFlags) => {
    const entries = parseEntryLines(await io.readAll());
    const result = await withLedger(io, flags, async (service) => {
      // Queued together, one chunk is hashed on the worker while the one before is stored.
      const chunks: LedgerEntry[][] = [];
      for (let i = 0; i < entries.length; i += 20_000) chunks.push(entries.slice(i, i + 20_000));
      const indices = (await Promise.all(chunks.map((chunk) => service.append(chunk)))).flat();
      return { first: indices[0] ?? null, count: indices.length, size: (await service.checkpoint()).size };
    });
    emit(io, flags, result, () => `Appended ${String(result.count)} entries; the log has ${String(result.size)}\n`);
  });

  ledgerOptions(ledger.command('checkpoint').description('print the latest signed checkpoint')).action(
    async (flags: LedgerFlags) => {
      const checkpoint = await withLedger(io, flags, (service) => service.checkpoint());
      emit(io, flags, checkpoint, () => checkpoint.note);
    },
  );

  const prove = ledger.command('prove').description('print a proof');
  ledgerOptions(
    prove
      .command('inclusion')
      .description('inclusion proof of a leaf in the tree of a given size')
      .requiredOption('--index <i>', 'leaf index')
      .requiredOption('--size <n>', 'tree size'),
  ).action(async (flags: LedgerFlags & { readonly index: string; readonly size: string }) => {
    const index = wholeNumber(flags.index, '--index');
    const size = wholeNumber(flags.size, '--size');
    const proof = await withLedger(io, flags, (service) => service.inclusion(index, size));
    emit(io, flags, proof, () => `${JSON.stringify(proof, null, 2)}\n`);
  });
  ledgerOptions(
    prove
      .command('consistency')
      .description('consistency proof between two tree sizes')
      .requiredOption('--first <m>', 'the smaller tree size')
      .requiredOption('--second <n>', 'the larger tree size'),
  ).action(async (flags: LedgerFlags & { readonly first: string; readonly second: string }) => {
    const first = wholeNumber(flags.first, '--first');
    const second = wholeNumber(flags.second, '--second');
    const proof = await withLedger(io, flags, (service) => service.consistency(first, second));
    emit(io, flags, proof, () => `${JSON.stringify(proof, null, 2)}\n`);
  });

  ledgerOptions(
    ledger
      .command('verify')
      .description(
        'verify offline: with --dir (or a store), the whole log; with --checkpoint and --key, a signature; with --inclusion or --consistency, a proof from `ward ledger prove --json`',
      )
      .option(
        '--checkpoint <file>',
        'a signed checkpoint (the note text); proofs are checked against its size and root',
      )
      .option('--old-checkpoint <file>', 'an earlier signed checkpoint: the consistency proof must start from it')
      .option('--key <verifierKey...>', 'the log’s verifier key(s)')
      .option('--inclusion <file>', 'an inclusion proof (JSON)')
      .option('--consistency <file>', 'a consistency proof (JSON)'),
  ).action(
    async (
      flags: LedgerFlags & {
        readonly checkpoint?: string;
        readonly oldCheckpoint?: string;
        readonly key?: string[];
        readonly inclusion?: string;
        readonly consistency?: string;
      },
    ) => {
      const offline =
        flags.checkpoint !== undefined || flags.inclusion !== undefined || flags.consistency !== undefined;
      if (!offline) {
        const report = await withLedger(io, flags, (service) => service.verify());
        emit(io, flags, report, () =>
          report.ok
            ? `OK: ${String(report.size)} entries, every node and ${String(report.checkpoints)} checkpoints verified\n`
            : `FAILED: ${String(report.problems.length)} problems\n${report.problems.map((p) => `  ${p.where}: ${p.message}`).join('\n')}\n`,
        );
        if (!report.ok) {
          throw new CliError(
            'CLI_INPUT',
            `the log does not verify: ${report.problems[0]?.where ?? ''}: ${report.problems[0]?.message ?? ''}`,
            {
              details: { problems: report.problems.length },
            },
          );
        }
        return;
      }
      const checks: string[] = [];
      const notes: string[] = [];
      const signed = (file: string, flag: string): { size: number; rootHash: Uint8Array } => {
        if (flags.key === undefined || flags.key.length === 0) {
          throw new CliError('CLI_USAGE', `${flag} needs --key (the log’s verifier key)`, {
            details: { field: '--key' },
          });
        }
        const { body } = verifyNote(
          readText(file, flag),
          flags.key.map((k) => verifierFromKey(k)),
        );
        const parsed = parseCheckpoint(body);
        checks.push(`${flag.slice(2)} ${parsed.origin} size ${String(parsed.size)}: signature verified`);
        return parsed;
      };
      const checkpoint = flags.checkpoint === undefined ? undefined : signed(flags.checkpoint, '--checkpoint');
      const old = flags.oldCheckpoint === undefined ? undefined : signed(flags.oldCheckpoint, '--old-checkpoint');
      const root = checkpoint?.rootHash;
      const mismatch = (what: string, claimed: number, actual: number): never => {
        throw new CliError(
          'CLI_INPUT',
          `the proof is for ${what} ${String(claimed)}, the checkpoint for ${String(actual)}`,
          {
            details: { field: what },
          },
        );
      };
      if (flags.inclusion !== undefined) {
        const p = readJsonFile(flags.inclusion, '--inclusion') as {
          leafIndex: number;
          treeSize: number;
          leafHash: string;
          hashes: string[];
          rootHash: string;
        };
        if (checkpoint !== undefined && p.treeSize !== checkpoint.size)
          mismatch('tree size', p.treeSize, checkpoint.size);
        const expectedRoot = root ?? fromHex(p.rootHash);
        const ok = verifyInclusion(
          fromHex(p.leafHash),
          p.leafIndex,
          p.treeSize,
          p.hashes.map((h) => fromHex(h)),
          expectedRoot,
        );
        if (!ok)
          throw new CliError('CLI_INPUT', `inclusion proof of leaf ${String(p.leafIndex)} does not verify`, {
            details: { file: flags.inclusion },
          });
        checks.push(`inclusion of leaf ${String(p.leafIndex)} in size ${String(p.treeSize)}: verified`);
      }
      if (flags.consistency !== undefined) {
        const p = readJsonFile(flags.consistency, '--consistency') as {
          first: number;
          second: number;
          hashes: string[];
          firstRoot: string;
          secondRoot: string;
        };
        if (checkpoint !== undefined && p.second !== checkpoint.size)
          mismatch('second size', p.second, checkpoint.size);
        if (old !== undefined && p.first !== old.size) mismatch('first size', p.first, old.size);
        const secondRoot = root ?? fromHex(p.secondRoot);
        const firstRoot = old?.rootHash ?? fromHex(p.firstRoot);
        const ok = verifyConsistency(
          p.first,
          p.second,
          p.hashes.map((h) => fromHex(h)),
          firstRoot,
          secondRoot,
        );
        if (!ok) {
          throw new CliError(
            'CLI_INPUT',
            `consistency proof ${String(p.first)} → ${String(p.second)} does not verify`,
            {
              details: { file: flags.consistency },
            },
          );
        }
        checks.push(`consistency ${String(p.first)} → ${String(p.second)}: verified`);
      }
      if (checkpoint === undefined && (flags.inclusion !== undefined || flags.consistency !== undefined)) {
        notes.push('no --checkpoint: the proof was checked against the roots written in it, which prove nothing alone');
      }
      emit(
        io,
        flags,
        { ok: true, checks, notes },
        () => [...checks.map((c) => `OK: ${c}`), ...notes.map((n) => `NOTE: ${n}`)].join('\n') + '\n',
      );
    },
  );

  ledgerOptions(
    ledger.command('rotate-key').description('replace the signing key; the old verifier key stays published'),
  ).action((flags: LedgerFlags) => {
    const config = configFrom(io, storeFlagsOf(flags));
    const keys = rotateLedgerKey(keyFileOf(config));
    emit(
      io,
      flags,
      { origin: keys.signer.name, verifierKeys: keys.verifierKeys },
      () => `New signing key for ${keys.signer.name}; publish:\n${keys.verifierKeys.join('\n')}\n`,
    );
    return Promise.resolve();
  });
}
