#!/usr/bin/env node
/**
 * @module bin
 * Entry point of the `ward` executable.
 */
import { run } from './main.js';

let stop: (() => Promise<void>) | undefined;

const code = await run(process.argv.slice(2), undefined, {
  onServing: (close) => {
    stop = close;
  },
});

if (stop === undefined) {
  process.exitCode = code;
} else {
  const shutdown = (signal: string): void => {
    process.stderr.write(`ward: ${signal} received, shutting down\n`);
    const close = stop;
    stop = undefined;
    if (close === undefined) return;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`ward: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
