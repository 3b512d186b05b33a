/**
 * @module app/codes
 * The error codes the application decoders report through `AppContext.error` (they never throw).
 * Each is a value in a `decode-error` event with the offset in the flow's stream (per direction) or
 * in the datagram.
 */

export const WIRE_APP_ERROR_CODES = [
  'WIRE_APP_LIMIT',
  'WIRE_DHCP_MALFORMED',
  'WIRE_DNS_MALFORMED',
  'WIRE_TLS_MALFORMED',
  'WIRE_HTTP_MALFORMED',
  'WIRE_HL7_MALFORMED',
  'WIRE_DICOM_MALFORMED',
  'WIRE_SMB2_MALFORMED',
  'WIRE_SSH_MALFORMED',
  'WIRE_RDP_MALFORMED',
] as const;
export type WireAppErrorCode = (typeof WIRE_APP_ERROR_CODES)[number];
