/**
 * @module commands/user
 * `ward user add|list|disable|enable|reset-password`: local accounts, through the same service
 * layer as the API.
 */
import { Option, type Command } from 'commander';
import { ROLES, type Role, type User } from '@ward/core';
import { AccountService } from '@ward/services';
import { emit, storeOptions, withServices, withStore, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';

interface AddFlags extends StoreFlags {
  readonly role: Role;
  readonly displayName?: string;
  readonly passwordStdin?: boolean;
}

async function passwordFrom(io: CliIo, fromStdin: boolean | undefined): Promise<string | undefined> {
  if (fromStdin !== true) return undefined;
  const line = await io.readLine();
  if (line === '') throw new CliError('CLI_INPUT', 'no password on standard input', { details: { field: 'password' } });
  return line;
}

function userLine(user: User): string {
  return `${user.username} (${user.role})${user.disabledAt === null ? '' : ', disabled'}`;
}

export function userCommand(program: Command, io: CliIo): void {
  const user = program.command('user').description('local accounts');

  storeOptions(
    user
      .command('add')
      .description('create an account; without --password-stdin a password is generated and printed once')
      .argument('<username>', 'lower-case letters, digits, ".", "_", "-"')
      .addOption(new Option('--role <role>', 'what the account may do').choices(ROLES).makeOptionMandatory())
      .option('--display-name <name>', 'name shown to people')
      .option('--password-stdin', 'read the password from the first line of standard input'),
  ).action(async (username: string, flags: AddFlags) => {
    const password = await passwordFrom(io, flags.passwordStdin);
    const result = await withServices(io, flags, (services, actor) =>
      services.accountAdmin(actor).addUser({
        username,
        role: flags.role,
        ...(flags.displayName === undefined ? {} : { displayName: flags.displayName }),
        ...(password === undefined ? {} : { password }),
      }),
    );
    emit(io, flags, result, () =>
      result.generatedPassword === undefined
        ? `Created ${userLine(result.user)}\n`
        : `Created ${userLine(result.user)}\nPassword (shown only now): ${result.generatedPassword}\n`,
    );
  });

  storeOptions(user.command('list').description('list accounts')).action(async (flags: StoreFlags) => {
    const users = await withStore(io, flags, (store) => new AccountService(store).listUsers());
    emit(io, flags, { items: users }, () =>
      table([
        ['USERNAME', 'ROLE', 'STATUS', 'LAST SIGN-IN', 'ID'],
        ...users.map((u) => [
          u.username,
          u.role,
          u.disabledAt === null ? 'active' : 'disabled',
          u.lastLoginAt ?? '-',
          u.id,
        ]),
      ]),
    );
  });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    storeOptions(
      user
        .command(name)
        .description(
          disabled ? 'disable an account: its sessions end and its tokens stop working' : 'enable a disabled account',
        )
        .argument('<user>', 'username or id'),
    ).action(async (who: string, flags: StoreFlags) => {
      const updated = await withServices(io, flags, (services, actor) =>
        services.accountAdmin(actor).setDisabled(who, disabled),
      );
      emit(io, flags, updated, () => `${disabled ? 'Disabled' : 'Enabled'} ${userLine(updated)}\n`);
    });
  }

  storeOptions(
    user
      .command('reset-password')
      .description('set a new password (generated and printed once unless --password-stdin); ends the sessions')
      .argument('<user>', 'username or id')
      .option('--password-stdin', 'read the password from the first line of standard input'),
  ).action(async (who: string, flags: StoreFlags & { readonly passwordStdin?: boolean }) => {
    const password = await passwordFrom(io, flags.passwordStdin);
    const result = await withServices(io, flags, (services, actor) =>
      services.accountAdmin(actor).resetPassword(who, password),
    );
    emit(io, flags, result, () =>
      result.generatedPassword === undefined
        ? `New password set for ${result.user.username}\n`
        : `New password for ${result.user.username} (shown only now): ${result.generatedPassword}\n`,
    );
  });
}
