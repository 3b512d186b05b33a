/**
 * @module commands/token
 * `ward token create|list|revoke`: API tokens for machines. The secret is printed once.
 */
import type { Command } from 'commander';
import type { ApiToken } from '@ward/core';
import { AccountService } from '@ward/services';
import { emit, storeOptions, withServices, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90d`, `12h`, `30m` → an ISO time that far from now. */
export function expiryFrom(expiresIn: string | undefined, now: Date): string | null {
  if (expiresIn === undefined) return null;
  const match = /^(\d{1,6})([mhd])$/.exec(expiresIn.trim());
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  if (match === null || unit === undefined || Number(match[1]) === 0) {
    throw new CliError(
      'CLI_USAGE',
      `--expires-in ${JSON.stringify(expiresIn)}: expected a count and a unit, e.g. 90d, 12h, 30m`,
      {
        details: { field: 'expiresIn' },
      },
    );
  }
  return new Date(now.getTime() + Number(match[1]) * unit).toISOString();
}

function state(token: ApiToken, now: number): string {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

export function tokenCommand(program: Command, io: CliIo): void {
  const token = program.command('token').description('API tokens for machines');

  storeOptions(
    token
      .command('create')
      .description('create a token; its secret is printed only now')
      .requiredOption('--user <user>', 'the account the token acts as (username or id)')
      .requiredOption('--name <name>', 'what the token is for, e.g. "sensor ward 4"')
      .option('--expires-in <duration>', 'lifetime such as 90d, 12h or 30m (default: no expiry)'),
  ).action(
    async (flags: StoreFlags & { readonly user: string; readonly name: string; readonly expiresIn?: string }) => {
      const expiresAt = expiryFrom(flags.expiresIn, new Date());
      const created = await withServices(io, flags, (services, actor) =>
        services.accountAdmin(actor).createToken({ user: flags.user, name: flags.name, expiresAt }),
      );
      emit(io, flags, created, () =>
        [
          `Created token ${created.token.id} (${created.token.name}) for ${flags.user}${expiresAt === null ? '' : `, expires ${expiresAt}`}.`,
          'Secret (shown only now; send it as "Authorization: Bearer <secret>"):',
          created.secret,
          '',
        ].join('\n'),
      );
    },
  );

  storeOptions(
    token
      .command('list')
      .description('list tokens (never their secrets)')
      .option('--user <user>', 'only this account’s'),
  ).action(async (flags: StoreFlags & { readonly user?: string }) => {
    const tokens = await withStore(io, flags, async (store) => {
      const accounts = new AccountService(store);
      const userId = flags.user === undefined ? undefined : (await accounts.findUser(flags.user)).id;
      return accounts.listTokens(userId);
    });
    const now = Date.now();
    emit(io, flags, { items: tokens }, () =>
      table([
        ['ID', 'NAME', 'PREFIX', 'STATE', 'LAST USED', 'USER ID'],
        ...tokens.map((t) => [t.id, t.name, t.prefix, state(t, now), t.lastUsedAt ?? '-', t.userId]),
      ]),
    );
  });

  storeOptions(token.command('revoke').description('revoke a token at once').argument('<id>', 'token id')).action(
    async (id: string, flags: StoreFlags) => {
      const revoked = await withServices(io, flags, (services, actor) => services.accountAdmin(actor).revokeToken(id));
      emit(io, flags, revoked, () => `Revoked token ${revoked.id} (${revoked.name}) at ${revoked.revokedAt ?? ''}\n`);
    },
  );
}
