/**
 * @module services/accounts
 * The one service layer for people and machines: users, API tokens, sessions and sign-in. The HTTP
 * routes and the CLI both call it, so rules (password policy, last administrator, token hashing,
 * throttling) hold whichever face is used, and a later audit ledger can hook every change here.
 */
import { randomUUID } from 'node:crypto';
import { hasErrorCode, type ApiToken, type Role, type Session, type User } from '@ward/core';
import type { Store } from '@ward/store';
import { AuthError, ServerError } from './errors.js';
import { checkPasswordPolicy, decoyHash, hashPassword, needsRehash, verifyPassword } from './auth/password.js';
import { csrfTokenOf, digest, displayPrefix, newApiTokenSecret, randomPassword, randomSecret } from './auth/secrets.js';
import { CLIENT_THROTTLE, LoginThrottle } from './auth/throttle.js';
import { systemClock, type Clock } from './clock.js';

/** Who is acting, and how they proved it. */
export interface Principal {
  readonly user: User;
  readonly via: 'session' | 'token';
  readonly sessionId?: string;
  readonly tokenId?: string;
}

export interface SessionPolicy {
  readonly idleMinutes: number;
  readonly maxHours: number;
}

export interface AccountServiceOptions {
  readonly clock?: Clock;
  readonly session?: SessionPolicy;
  readonly accountThrottle?: LoginThrottle;
  readonly clientThrottle?: LoginThrottle;
}

export interface NewUserInput {
  readonly username: string;
  readonly role: Role;
  readonly displayName?: string | null;
  /** Omit to have a random password generated and returned once. */
  readonly password?: string;
}

export interface LoginResult {
  readonly principal: Principal;
  readonly session: Session;
  /** The cookie value; only its digest is stored. */
  readonly sessionSecret: string;
  /** Sent back in `X-CSRF-Token` on state-changing requests; only its digest is stored. */
  readonly csrfToken: string;
}

export interface SessionLookup {
  readonly principal: Principal;
  readonly session: Session;
  readonly csrfHash: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
/** Do not write `last_used_at` / `last_seen_at` more often than this. */
const TOUCH_EVERY_MS = 60_000;

export function normaliseUsername(username: string): string {
  const name = username.trim().toLowerCase();
  if (!USERNAME.test(name)) {
    throw new ServerError(
      'SERVER_VALIDATION',
      'usernames are 2–64 characters: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
      { details: { field: 'username' } },
    );
  }
  return name;
}

export class AccountService {
  readonly #clock: Clock;
  readonly #session: SessionPolicy;
  readonly #accountThrottle: LoginThrottle;
  readonly #clientThrottle: LoginThrottle;

  constructor(
    private readonly store: Store,
    options: AccountServiceOptions = {},
  ) {
    this.#clock = options.clock ?? systemClock;
    this.#session = options.session ?? { idleMinutes: 30, maxHours: 12 };
    this.#accountThrottle = options.accountThrottle ?? new LoginThrottle();
    this.#clientThrottle = options.clientThrottle ?? new LoginThrottle(CLIENT_THROTTLE);
  }

  #now(): string {
    return this.#clock.now().toISOString();
  }

  async addUser(input: NewUserInput): Promise<{ user: User; generatedPassword?: string }> {
    const username = normaliseUsername(input.username);
    const generated = input.password === undefined ? randomPassword() : undefined;
    const password = input.password ?? generated ?? '';
    checkPasswordPolicy(password, username);
    const user = await this.store.users.create({
      id: randomUUID(),
      username,
      displayName: input.displayName ?? null,
      role: input.role,
      passwordHash: await hashPassword(password),
      createdAt: this.#now(),
    });
    return generated === undefined ? { user } : { user, generatedPassword: generated };
  }

  listUsers(): Promise<readonly User[]> {
    return this.store.users.list();
  }

  /** Finds a user by id or username. @throws SERVER_RESOURCE_NOT_FOUND */
  async findUser(idOrUsername: string): Promise<User> {
    const user =
      (await this.store.users.get(idOrUsername)) ??
      (await this.store.users.getByUsername(idOrUsername.trim().toLowerCase()));
    if (user === undefined) {
      throw new ServerError('SERVER_RESOURCE_NOT_FOUND', `no user ${JSON.stringify(idOrUsername)}`, {
        details: { field: 'user' },
      });
    }
    return user;
  }

  /**
   * Changes an account's role and/or disabled state in one step. Disabling ends the account's
   * sessions (its tokens stop working too). Refuses, with AUTH_LAST_ADMIN, a change that would leave
   * no active administrator; the store checks that inside the same transaction.
   */
  async updateUser(idOrUsername: string, change: { readonly role?: Role; readonly disabled?: boolean }): Promise<User> {
    const user = await this.findUser(idOrUsername);
    const now = this.#now();
    const disabledAt =
      change.disabled === undefined || change.disabled === (user.disabledAt !== null)
        ? undefined
        : change.disabled
          ? now
          : null;
    const role = change.role === undefined || change.role === user.role ? undefined : change.role;
    if (disabledAt === undefined && role === undefined) return user;
    let updated: User;
    try {
      updated = await this.store.users.updateKeepingAnAdmin(user.id, {
        updatedAt: now,
        ...(role === undefined ? {} : { role }),
        ...(disabledAt === undefined ? {} : { disabledAt }),
      });
    } catch (error) {
      if (hasErrorCode(error, ['STORE_CONFLICT']) && error.details?.reason === 'last-admin') {
        throw new AuthError('AUTH_LAST_ADMIN', `${user.username} is the last active administrator`, {
          cause: error,
          details: { field: 'user' },
        });
      }
      throw error;
    }
    if (disabledAt !== undefined && disabledAt !== null) await this.store.sessions.deleteForUser(user.id);
    return updated;
  }

  /** Disables (or re-enables) a user; disabling ends their sessions and stops their tokens. */
  setDisabled(idOrUsername: string, disabled: boolean): Promise<User> {
    return this.updateUser(idOrUsername, { disabled });
  }

  setRole(idOrUsername: string, role: Role): Promise<User> {
    return this.updateUser(idOrUsername, { role });
  }

  /** Sets a new password, checking the current one; ends the user's other sessions. */
  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    // Throttled like sign-in, so a stolen session or token is no oracle for the password.
    const username = principal.user.username;
    const nowMs = this.#clock.now().getTime();
    const wait = this.#accountThrottle.retryAfterMs([username], nowMs);
    if (wait > 0) {
      throw new AuthError('AUTH_THROTTLED', 'too many wrong passwords; wait before trying again', {
        details: { retryAfterSeconds: Math.ceil(wait / 1000) },
      });
    }
    this.#accountThrottle.recordFailure([username], nowMs);
    const creds = await this.store.users.credentials(username);
    if (creds?.passwordHash == null || !(await verifyPassword(creds.passwordHash, current))) {
      throw new AuthError('AUTH_INVALID_CREDENTIALS', 'the current password is not correct', {
        details: { field: 'currentPassword' },
      });
    }
    this.#accountThrottle.recordSuccess([username]);
    checkPasswordPolicy(next, username, 'newPassword');
    const now = this.#now();
    await this.store.users.update(principal.user.id, { passwordHash: await hashPassword(next), updatedAt: now });
    await this.store.sessions.deleteForUser(principal.user.id);
  }

  /** Sets a password without the current one (an administrator's reset). */
  async resetPassword(idOrUsername: string, next?: string): Promise<{ user: User; generatedPassword?: string }> {
    const user = await this.findUser(idOrUsername);
    const generated = next === undefined ? randomPassword() : undefined;
    const password = next ?? generated ?? '';
    checkPasswordPolicy(password, user.username);
    const updated = await this.store.users.update(user.id, {
      passwordHash: await hashPassword(password),
      updatedAt: this.#now(),
    });
    await this.store.sessions.deleteForUser(user.id);
    return generated === undefined ? { user: updated } : { user: updated, generatedPassword: generated };
  }

  /**
   * Creates the first administrator when the store has no user at all. Returns the password when
   * it was generated (the caller prints it once); returns undefined when users already exist.
   */
  async ensureFirstAdmin(password?: string): Promise<{ user: User; generatedPassword?: string } | undefined> {
    if ((await this.store.users.count()) > 0) return undefined;
    try {
      return await this.addUser({
        username: 'admin',
        role: 'admin',
        displayName: 'Administrator',
        ...(password === undefined ? {} : { password }),
      });
    } catch (error) {
      // Another server sharing the database created it first.
      if (hasErrorCode(error, ['STORE_CONFLICT'])) return undefined;
      throw error;
    }
  }

  async createToken(input: {
    readonly user: string;
    readonly name: string;
    readonly expiresAt?: string | null;
  }): Promise<{ token: ApiToken; secret: string }> {
    const user = await this.findUser(input.user);
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) {
      throw new ServerError('SERVER_VALIDATION', 'a token needs a name of 1–200 characters', {
        details: { field: 'name' },
      });
    }
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && !(Date.parse(expiresAt) > this.#clock.now().getTime())) {
      throw new ServerError('SERVER_VALIDATION', 'a token must expire in the future', {
        details: { field: 'expiresAt' },
      });
    }
    const secret = newApiTokenSecret();
    const token = await this.store.tokens.create({
      id: randomUUID(),
      userId: user.id,
      name,
      prefix: displayPrefix(secret),
      tokenHash: digest(secret),
      createdAt: this.#now(),
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    });
    return { token, secret };
  }

  listTokens(userId?: string): Promise<readonly ApiToken[]> {
    return this.store.tokens.list(userId === undefined ? {} : { userId });
  }

  async revokeToken(id: string): Promise<ApiToken> {
    const token = await this.store.tokens.get(id);
    if (token === undefined) {
      throw new ServerError('SERVER_RESOURCE_NOT_FOUND', `no token ${JSON.stringify(id)}`, {
        details: { field: 'id' },
      });
    }
    return this.store.tokens.revoke(id, this.#now());
  }

  /** The principal behind a bearer token, or undefined for an unknown, revoked or expired one. */
  async authenticateToken(secret: string): Promise<Principal | undefined> {
    const token = await this.store.tokens.getByHash(digest(secret));
    if (token === undefined || token.revokedAt !== null) return undefined;
    const now = this.#clock.now();
    if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) return undefined;
    const user = await this.store.users.get(token.userId);
    if (user === undefined || user.disabledAt !== null) return undefined;
    if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) > TOUCH_EVERY_MS) {
      await this.store.tokens.touch(token.id, now.toISOString());
    }
    return { user, via: 'token', tokenId: token.id };
  }

  /**
   * Checks a username and password. Failures are throttled per account and per client; an
   * unknown user, a disabled one and a wrong password all answer AUTH_INVALID_CREDENTIALS.
   */
  async login(usernameInput: string, password: string, client: string): Promise<LoginResult> {
    const username = usernameInput.trim().toLowerCase();
    const nowMs = this.#clock.now().getTime();
    const wait = Math.max(
      this.#accountThrottle.retryAfterMs([username], nowMs),
      this.#clientThrottle.retryAfterMs([client], nowMs),
    );
    if (wait > 0) {
      throw new AuthError('AUTH_THROTTLED', 'too many failed sign-ins; wait before trying again', {
        details: { retryAfterSeconds: Math.ceil(wait / 1000) },
      });
    }
    // Count the attempt as a failure before the first await, so that parallel attempts cannot all
    // pass the check above while the slow hash runs; a right password takes it back.
    this.#accountThrottle.recordFailure([username], nowMs);
    this.#clientThrottle.recordFailure([client], nowMs);
    const creds = await this.store.users.credentials(username);
    const hash = creds?.passwordHash ?? (await decoyHash());
    const ok = (await verifyPassword(hash, password)) && creds !== undefined && creds.passwordHash !== null;
    if (!ok || creds.user.disabledAt !== null) {
      throw new AuthError('AUTH_INVALID_CREDENTIALS', 'the username or password is not correct', {
        details: { field: 'password' },
      });
    }
    this.#accountThrottle.recordSuccess([username]);
    this.#clientThrottle.forgiveOne([client]);
    const now = this.#now();
    const user = await this.store.users.update(creds.user.id, {
      lastLoginAt: now,
      updatedAt: now,
      ...(needsRehash(hash) ? { passwordHash: await hashPassword(password) } : {}),
    });
    const sessionSecret = randomSecret();
    const csrfToken = csrfTokenOf(sessionSecret);
    const session = await this.store.sessions.create({
      id: randomUUID(),
      userId: user.id,
      secretHash: digest(sessionSecret),
      csrfHash: digest(csrfToken),
      createdAt: now,
      expiresAt: this.#expiry(nowMs, nowMs),
    });
    return { principal: { user, via: 'session', sessionId: session.id }, session, sessionSecret, csrfToken };
  }

  #expiry(createdMs: number, nowMs: number): string {
    const idle = nowMs + this.#session.idleMinutes * 60_000;
    const absolute = createdMs + this.#session.maxHours * 3_600_000;
    return new Date(Math.min(idle, absolute)).toISOString();
  }

  /** The principal behind a session cookie; extends the idle timeout (never the absolute one). */
  async authenticateSession(secret: string): Promise<SessionLookup | undefined> {
    const found = await this.store.sessions.getBySecretHash(digest(secret));
    if (found === undefined) return undefined;
    const { session } = found;
    const nowMs = this.#clock.now().getTime();
    if (Date.parse(session.expiresAt) <= nowMs) {
      await this.store.sessions.delete(session.id);
      return undefined;
    }
    const user = await this.store.users.get(session.userId);
    if (user === undefined || user.disabledAt !== null) return undefined;
    let current = session;
    if (nowMs - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS) {
      const expiresAt = this.#expiry(Date.parse(session.createdAt), nowMs);
      const lastSeenAt = new Date(nowMs).toISOString();
      await this.store.sessions.touch(session.id, lastSeenAt, expiresAt);
      current = { ...session, lastSeenAt, expiresAt };
    }
    return { principal: { user, via: 'session', sessionId: session.id }, session: current, csrfHash: found.csrfHash };
  }

  async logout(sessionId: string): Promise<void> {
    await this.store.sessions.delete(sessionId);
  }

  /** Removes expired sessions; returns how many. */
  pruneSessions(): Promise<number> {
    return this.store.sessions.deleteExpired(this.#now());
  }
}
