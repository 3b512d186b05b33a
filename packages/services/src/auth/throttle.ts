/**
 * @module auth/throttle
 * Login throttling. Failures are counted per account and per client address; after a few, each
 * further attempt must wait an exponentially growing delay (capped), whether or not the password
 * would have been right. A success clears the account's count.
 *
 * The counts live in the server's memory: a restart forgets them, and API servers behind a load
 * balancer count separately (see docs/adr/0002-access-control.md).
 */

export interface ThrottleOptions {
  /** Failures allowed before delays start. */
  readonly freeAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A key forgets its failures after this long without one. */
  readonly forgetAfterMs: number;
  readonly maxKeys: number;
}

/** Per account: a person mistyping gets five tries before waits begin. */
export const ACCOUNT_THROTTLE: ThrottleOptions = {
  freeAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 100_000,
};

/**
 * Per client address: more generous, since a ward's shared workstations or a NAT put many people
 * behind one address, but it still stops one client guessing across many accounts.
 */
export const CLIENT_THROTTLE: ThrottleOptions = { ...ACCOUNT_THROTTLE, freeAttempts: 20 };

interface Entry {
  failures: number;
  lastFailure: number;
}

export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly options: ThrottleOptions = ACCOUNT_THROTTLE) {}

  /** How many keys are counted now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Milliseconds until `keys` may try again; 0 when they may now. */
  retryAfterMs(keys: readonly string[], now: number): number {
    let wait = 0;
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry === undefined) continue;
      if (now - entry.lastFailure > this.options.forgetAfterMs) {
        this.#entries.delete(key);
        continue;
      }
      const over = entry.failures - this.options.freeAttempts;
      if (over < 0) continue;
      const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(over, 30));
      wait = Math.max(wait, entry.lastFailure + delay - now);
    }
    return Math.max(0, wait);
  }

  recordFailure(keys: readonly string[], now: number): void {
    if (this.#entries.size >= this.options.maxKeys) this.#evict(now);
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry === undefined) this.#entries.set(key, { failures: 1, lastFailure: now });
      else {
        entry.failures += 1;
        entry.lastFailure = now;
      }
    }
  }

  /** Takes back one failure recorded in advance for an attempt that turned out right. */
  forgiveOne(keys: readonly string[]): void {
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry === undefined) continue;
      entry.failures -= 1;
      if (entry.failures <= 0) this.#entries.delete(key);
    }
  }

  recordSuccess(keys: readonly string[]): void {
    for (const key of keys) this.#entries.delete(key);
  }

  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now - entry.lastFailure > this.options.forgetAfterMs) this.#entries.delete(key);
    }
    // Still full under a flood of distinct keys: drop the oldest half (Map keeps insertion order).
    if (this.#entries.size >= this.options.maxKeys) {
      let drop = Math.floor(this.#entries.size / 2);
      for (const key of this.#entries.keys()) {
        if (drop-- <= 0) break;
        this.#entries.delete(key);
      }
    }
  }
}
