/**
 * @module test-helpers
 * Runs `ward` in-process with captured output.
 */
import { run } from './main.js';
import type { CliIo } from './io.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Standard output parsed as JSON, typed as the test expects it. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view for tests
  json<T = Record<string, unknown>>(): T;
}

export async function ward(
  argv: readonly string[],
  options: { readonly env?: Record<string, string | undefined>; readonly stdin?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readLine: () => Promise.resolve((options.stdin ?? '').split(/\r?\n/)[0] ?? ''),
    readAll: () => Promise.resolve(options.stdin ?? ''),
    env: options.env ?? {},
  };
  const code = await run(argv, io);
  return {
    code,
    stdout,
    stderr,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view for tests
    json: <T>() => JSON.parse(stdout) as T,
  };
}
