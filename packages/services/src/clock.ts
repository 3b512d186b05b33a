/**
 * @module clock
 * The one source of "now" for the services, so tests can fix it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
