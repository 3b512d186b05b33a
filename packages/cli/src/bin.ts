#!/usr/bin/env node
/**
 * @module bin
 * Entry point of the `ward` executable. For `ward serve`, SIGINT and SIGTERM stop the server
 * cleanly; the handlers are in place before it starts, so a signal during start-up is not lost.
 */
import { run } from './main.js';

const serving = process.argv[2] === 'serve';
const state: { stop: (() => Promise<void>) | undefined; stopRequested: boolean } = {
  stop: undefined,
  stopRequested: false,
};

function shutdown(): void {
  const close = state.stop;
  state.stop = undefined;
  if (close === undefined) return;
  close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`ward: shutdown failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

if (serving) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`ward: ${signal} received, shutting down\n`);
      state.stopRequested = true;
      shutdown();
    });
  }
}

const code = await run(process.argv.slice(2), undefined, {
  onServing: (close) => {
    state.stop = close;
    if (state.stopRequested) shutdown();
  },
});

// Not serving (another command, or a server that failed to start): exit with the command's code.
if (state.stop === undefined && !state.stopRequested) process.exitCode = code;
