/**
 * @module main
 * The `ward` command line: builds the command tree and runs it, turning every outcome into an exit
 * code (0 ok, 1 failure, 2 usage) and every error into one line naming its code (or a JSON
 * document with --json).
 */
import { Command, CommanderError } from 'commander';
import { WardApiError } from '@ward/client';
import { isWardError } from '@ward/core';
import { WARD_VERSION } from '@ward/services';
import { dbCommand } from './commands/db.js';
import { devicesCommand } from './commands/devices.js';
import { serveCommand } from './commands/serve.js';
import { tokenCommand } from './commands/token.js';
import { userCommand } from './commands/user.js';
import { ledgerCommand } from './commands/ledger.js';
import { witnessCommand } from './commands/witness.js';
import { scanCommand } from './commands/scan.js';
import { sensorCommand } from './commands/sensor.js';
import { labCommand } from './commands/lab.js';
import { matchCommand } from './commands/match.js';
import { feedsCommand } from './commands/feeds.js';
import { sbomCommand } from './commands/sbom.js';
import { vexCommand } from './commands/vex.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exitCodeOf } from './errors.js';
import { processIo, type CliIo } from './io.js';

export interface RunHooks {
  /** Called when `ward serve` is up, with the function that stops it. */
  readonly onServing?: (close: () => Promise<void>) => void;
}

export function createProgram(io: CliIo, hooks: RunHooks = {}): Command {
  const program = new Command('ward')
    .description("Ward keeps a hospital's connected medical devices, and the patient data flowing through them, safe.")
    .version(WARD_VERSION, '-V, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true);
  serveCommand(program, io, hooks.onServing ?? (() => undefined));
  dbCommand(program, io);
  userCommand(program, io);
  tokenCommand(program, io);
  ledgerCommand(program, io);
  witnessCommand(program, io);
  scanCommand(program, io);
  sensorCommand(program, io);
  devicesCommand(program, io);
  labCommand(program, io);
  matchCommand(program, io);
  feedsCommand(program, io);
  sbomCommand(program, io);
  vexCommand(program, io);
  return program;
}

function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}

export async function run(argv: readonly string[], io: CliIo = processIo, hooks: RunHooks = {}): Promise<number> {
  const program = createProgram(io, hooks);
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for, or the version: done. Help shown because a subcommand is missing: usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof WardApiError) {
      // A coded problem from a Ward server (remote mode): reported like a local one.
      const status = { status: error.status };
      io.stderr(
        wantsJson(argv)
          ? `${JSON.stringify({ error: { code: error.code, message: error.message, details: status } })}\n`
          : `ward: ${error.code}: ${error.message} (HTTP ${String(error.status)})\n`,
      );
      return exitCodeOf(error.code);
    }
    if (isWardError(error)) {
      if (wantsJson(argv)) {
        io.stderr(
          `${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details ?? {} } })}\n`,
        );
      } else {
        io.stderr(`ward: ${error.code}: ${error.message}\n`);
      }
      return exitCodeOf(error.code);
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`ward: unexpected error: ${message}\n`);
    return EXIT_FAILURE;
  }
}
