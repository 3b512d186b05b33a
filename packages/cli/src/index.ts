/**
 * @module @ward/cli
 * The `ward` command, runnable in-process for tests and embedding.
 */
export { run, createProgram } from './main.js';
export type { RunHooks } from './main.js';
export type { CliIo } from './io.js';
export { CLI_ERROR_CODES, CliError, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from './errors.js';
export type { CliErrorCode } from './errors.js';
