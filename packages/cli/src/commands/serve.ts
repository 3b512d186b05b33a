/**
 * @module commands/serve
 * `ward serve`: the API and web app on one port, until interrupted.
 */
import { Option, type Command } from 'commander';
import { configFrom, storeOptions, type StoreFlags } from '../context.js';
import type { CliIo } from '../io.js';

interface ServeFlags extends StoreFlags {
  readonly port?: string;
  readonly host?: string;
  readonly logLevel?: string;
}

export function serveCommand(program: Command, io: CliIo, onStarted: (close: () => Promise<void>) => void): void {
  storeOptions(
    program
      .command('serve')
      .description('run the Ward server (API under /api/v1, docs at /api/docs, web app at /)')
      .option('--port <port>', 'TCP port; 0 picks a free one (env WARD_PORT, default 8080)')
      .option('--host <host>', 'address to listen on (env WARD_HOST, default 127.0.0.1)')
      .addOption(
        new Option('--log-level <level>', 'log level (env WARD_LOG_LEVEL)').choices([
          'fatal',
          'error',
          'warn',
          'info',
          'debug',
          'trace',
          'silent',
        ]),
      ),
  ).action(async (flags: ServeFlags) => {
    const config = configFrom(io, flags, { port: flags.port, host: flags.host, logLevel: flags.logLevel });
    let firstAdmin: { username: string; password: string } | undefined;
    // Loaded here, not at the top: no other command pays for Fastify and the web app.
    const { startServer } = await import('@ward/server');
    const server = await startServer(config, {
      onFirstAdmin: (username, password) => (firstAdmin = { username, password }),
    });
    if (flags.json === true) {
      io.stdout(
        `${JSON.stringify({ event: 'listening', url: server.url, store: server.store.kind, location: server.store.location, firstAdmin: firstAdmin ?? null })}\n`,
      );
    } else {
      io.stdout(`Ward is listening on ${server.url} (store: ${server.store.kind} at ${server.store.location})\n`);
      if (firstAdmin !== undefined) {
        io.stdout(
          [
            '',
            'Ward created the first administrator. This password is shown only now:',
            `  username: ${firstAdmin.username}`,
            `  password: ${firstAdmin.password}`,
            'Sign in and change it (POST /api/v1/auth/password), or set WARD_ADMIN_PASSWORD before the first start.',
            '',
            '',
          ].join('\n'),
        );
      }
    }
    onStarted(() => server.close());
  });
}
