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
    const throttle = new LoginThrottle();
    for (let i = 0; i < 10; i += 1) throttle.recordFailure(['a', 'b'], 0);
    expect(throttle.retryAfterMs(['a'], ACCOUNT_THROTTLE.forgetAfterMs + 1)).toBe(0);
    throttle.recordSuccess(['b']);
    expect(throttle.retryAfterMs(['b'], 1)).toBe(0);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const throttle = new LoginThrottle({ ...ACCOUNT_THROTTLE, maxKeys: 100 });
    for (let i = 0; i < 10_000; i += 1) throttle.recordFailure([`k${String(i)}`], 0);
    // The newest keys are still counted; the map never grew past its bound (checked via behaviour).
    for (let i = 0; i < 5; i += 1) throttle.recordFailure(['k9999'], 0);
    expect(throttle.retryAfterMs(['k9999'], 0)).toBeGreaterThan(0);
  });
});
