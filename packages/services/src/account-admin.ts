/**
 * @module account-admin
 * Changes to users and API tokens, acting for one actor: the same rules as `AccountService` (it
 * does the work), and each committed change announced as a domain event — `user.created`,
 * `user.updated`, `user.password_reset`, `user.password_changed`, `token.created`, `token.revoked`
 * — so the ledger records who changed whose access, from the API or the CLI. Events carry the
 * stored records, which hold no secret (no password, no token, no hash).
 */
import type { ApiToken, Role, User } from '@ward/core';
import type { AccountService, NewUserInput, Principal } from './accounts.js';
import type { Clock } from './clock.js';
import type { Actor, DomainEvents } from './events.js';

export class AccountAdmin {
  constructor(
    private readonly accounts: AccountService,
    private readonly events: DomainEvents,
    private readonly actor: Actor,
    private readonly clock: Clock,
  ) {}

  #announce(type: string, object: string, stored: User | ApiToken | { readonly userId: string }): void {
    this.events.publish({ type, at: this.clock.now().toISOString(), actor: this.actor, object, stored });
  }

  async addUser(input: NewUserInput): Promise<{ user: User; generatedPassword?: string }> {
    const result = await this.accounts.addUser(input);
    this.#announce('user.created', result.user.id, result.user);
    return result;
  }

  async updateUser(idOrUsername: string, change: { readonly role?: Role; readonly disabled?: boolean }): Promise<User> {
    const user = await this.accounts.updateUser(idOrUsername, change);
    this.#announce('user.updated', user.id, user);
    return user;
  }

  setDisabled(idOrUsername: string, disabled: boolean): Promise<User> {
    return this.updateUser(idOrUsername, { disabled });
  }

  async resetPassword(idOrUsername: string, next?: string): Promise<{ user: User; generatedPassword?: string }> {
    const result = await this.accounts.resetPassword(idOrUsername, next);
    this.#announce('user.password_reset', result.user.id, { userId: result.user.id });
    return result;
  }

  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    await this.accounts.changePassword(principal, current, next);
    this.#announce('user.password_changed', principal.user.id, { userId: principal.user.id });
  }

  async createToken(input: {
    readonly user: string;
    readonly name: string;
    readonly expiresAt?: string | null;
  }): Promise<{ token: ApiToken; secret: string }> {
    const result = await this.accounts.createToken(input);
    this.#announce('token.created', result.token.id, result.token);
    return result;
  }

  async revokeToken(id: string): Promise<ApiToken> {
    const token = await this.accounts.revokeToken(id);
    this.#announce('token.revoked', token.id, token);
    return token;
  }
}
