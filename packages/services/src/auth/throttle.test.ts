import { describe, expect, it } from 'vitest';
import { ACCOUNT_THROTTLE, LoginThrottle } from './throttle.js';

describe('LoginThrottle', () => {
  it('allows the free attempts, then doubles the wait up to the cap', () => {
    const throttle = new LoginThrottle();
    let now = 0;
    for (let i = 0; i < ACCOUNT_THROTTLE.freeAttempts - 1; i += 1) throttle.recordFailure(['a'], now);
    expect(throttle.retryAfterMs(['a'], now)).toBe(0);
    throttle.recordFailure(['a'], now);
    expect(throttle.retryAfterMs(['a'], now)).toBe(1_000);
    throttle.recordFailure(['a'], now);
    expect(throttle.retryAfterMs(['a'], now)).toBe(2_000);
    for (let i = 0; i < 40; i += 1) throttle.recordFailure(['a'], now);
    expect(throttle.retryAfterMs(['a'], now)).toBe(ACCOUNT_THROTTLE.maxDelayMs);
    now += ACCOUNT_THROTTLE.maxDelayMs;
    expect(throttle.retryAfterMs(['a'], now)).toBe(0);
    expect(throttle.retryAfterMs(['b'], now)).toBe(0);
  });

  it('forgets a key after a quiet period and clears it on success', () => {
    // Delays longer than the quiet period, so only forgetting can explain a zero wait.
    const options = {
      ...ACCOUNT_THROTTLE,
      baseDelayMs: 2 * ACCOUNT_THROTTLE.forgetAfterMs,
      maxDelayMs: 10 * ACCOUNT_THROTTLE.forgetAfterMs,
    };
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 10; i += 1) throttle.recordFailure(['a', 'b'], 0);
    expect(throttle.retryAfterMs(['a'], options.forgetAfterMs)).toBeGreaterThan(0);
    expect(throttle.retryAfterMs(['a'], options.forgetAfterMs + 1)).toBe(0);
    expect(throttle.retryAfterMs(['b'], 1)).toBeGreaterThan(0);
    throttle.recordSuccess(['b']);
    expect(throttle.retryAfterMs(['b'], 1)).toBe(0);
  });

  it('takes back one failure recorded in advance', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < ACCOUNT_THROTTLE.freeAttempts; i += 1) throttle.recordFailure(['a'], 0);
    expect(throttle.retryAfterMs(['a'], 0)).toBeGreaterThan(0);
    throttle.forgiveOne(['a']);
    expect(throttle.retryAfterMs(['a'], 0)).toBe(0);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const throttle = new LoginThrottle({ ...ACCOUNT_THROTTLE, maxKeys: 100 });
    for (let i = 0; i < 10_000; i += 1) {
      throttle.recordFailure([`k${String(i)}`], 0);
      expect(throttle.size).toBeLessThanOrEqual(100);
    }
    // The newest keys are still counted.
    for (let i = 0; i < 5; i += 1) throttle.recordFailure(['k9999'], 0);
    expect(throttle.retryAfterMs(['k9999'], 0)).toBeGreaterThan(0);
  });
});
