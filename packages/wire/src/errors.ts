/**
 * @module errors
 * The codes of `@ward/wire`'s capture, link, network and flow layers. Decoding problems are not
 * thrown: they travel as `decode-error` events carrying one of these codes (and an offset). Only a
 * programming error on the caller's side (bad limits) throws a {@link WireError}.
 *
 * `wire` depends on nothing of ours, so `WireError` is a plain `Error` with a `code`; the sensor wraps
 * it into a `WardError` at its boundary if it has to.
 */

export const WIRE_ERROR_CODES = [
  'WIRE_CAPTURE_FORMAT',
  'WIRE_PCAP_TRUNCATED',
  'WIRE_CAPTURE_RECORD_INVALID',
  'WIRE_PACKET_MALFORMED',
  'WIRE_TCP_BUFFER_LIMIT',
  'WIRE_FLOW_LIMIT',
  'WIRE_FRAGMENT_LIMIT',
  'WIRE_DECODER_FAILED',
  'WIRE_LIMITS_INVALID',
] as const;
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

/** Thrown only for caller mistakes (invalid limits); hostile bytes never throw. */
export class WireError extends Error {
  readonly code: WireErrorCode;
  constructor(code: WireErrorCode, message: string) {
    super(message);
    this.name = 'WireError';
    this.code = code;
  }
}
