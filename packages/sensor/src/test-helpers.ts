/**
 * @module test-helpers
 * Builders of wire events for the sensor's unit tests (test-only; excluded from the build).
 */
import type { Direction, FlowInfo, Transport, WireEvent } from '@ward/wire';

export interface Side {
  readonly ip: string;
  readonly port: number;
  readonly mac?: string;
}

export function flow(client: Side, server: Side, transport: Transport = 'tcp'): FlowInfo {
  return {
    id: `${transport}:${client.ip}:${String(client.port)}>${server.ip}:${String(server.port)}`,
    transport,
    client,
    server,
  };
}

export const T0 = 1_700_000_000_000_000;

/** An app event on `f` travelling `direction`, at T0 + `n` seconds. */
export function on<E extends WireEvent>(
  f: FlowInfo,
  direction: Direction,
  n: number,
  body: Omit<E, 'flow' | 'direction' | 'ts'>,
): E {
  return { ...body, flow: f, direction, ts: T0 + n * 1e6 } as unknown as E;
}
