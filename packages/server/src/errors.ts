/**
 * @module errors
 * The one place where any Ward error becomes an HTTP status. Every
 * error leaves the API as `application/problem+json` (RFC 9457) with a stable `code`.
 */
/** HTTP status for each code that can reach a client. Codes not listed answer 500. */
const STATUS: Readonly<Record<string, number>> = {
  SERVER_VALIDATION: 400,
  SERVER_MALFORMED_BODY: 400,
  SERVER_UNSUPPORTED_MEDIA_TYPE: 415,
  SERVER_PAYLOAD_TOO_LARGE: 413,
  SERVER_REQUEST_TIMEOUT: 408,
  SERVER_ROUTE_NOT_FOUND: 404,
  SERVER_RESOURCE_NOT_FOUND: 404,
  SERVER_NOT_READY: 503,
  SERVER_INTERNAL: 500,
  AUTH_UNAUTHENTICATED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_ACCESS_UNDECLARED: 403,
  AUTH_CSRF_FAILED: 403,
  AUTH_THROTTLED: 429,
  AUTH_WEAK_PASSWORD: 400,
  AUTH_LAST_ADMIN: 409,
  STORE_CONFLICT: 409,
  STORE_NOT_FOUND: 404,
  STORE_INVALID_CURSOR: 400,
  STORE_UNAVAILABLE: 503,
  CORE_INVALID_ARGUMENT: 400,
  SERVER_LEDGER_CORRUPT: 500,
  SERVER_WITNESS_FORK: 409,
  SERVER_WITNESS_UNREACHABLE: 502,
  LEDGER_INPUT_INVALID: 400,
  LEDGER_PROOF_INVALID: 400,
  LEDGER_CHECKPOINT_INVALID: 400,
  LEDGER_NOTE_INVALID: 400,
  LEDGER_SIGNATURE_INVALID: 400,
  LEDGER_ENTRY_INVALID: 400,
  LEDGER_KEY_INVALID: 500,
  LEDGER_NODES_INVALID: 500,
  WIRE_CAPTURE_FORMAT: 400,
  WIRE_PCAP_TRUNCATED: 400,
  WIRE_CAPTURE_RECORD_INVALID: 400,
  WIRE_PACKET_MALFORMED: 400,
  WIRE_TCP_BUFFER_LIMIT: 400,
  WIRE_FLOW_LIMIT: 400,
  WIRE_FRAGMENT_LIMIT: 400,
  WIRE_DECODER_FAILED: 500,
  WIRE_LIMITS_INVALID: 500,
  SENSOR_RULES_INVALID: 500,
  SENSOR_CAPTURE_UNREADABLE: 400,
  SENSOR_CAPTURE_FAILED: 500,
  WIRE_APP_LIMIT: 400,
  WIRE_DHCP_MALFORMED: 400,
  WIRE_DNS_MALFORMED: 400,
  WIRE_TLS_MALFORMED: 400,
  WIRE_HTTP_MALFORMED: 400,
  WIRE_HL7_MALFORMED: 400,
  WIRE_DICOM_MALFORMED: 400,
  WIRE_SMB2_MALFORMED: 400,
  WIRE_SSH_MALFORMED: 400,
  WIRE_RDP_MALFORMED: 400,
  INVENTORY_FORMAT_UNKNOWN: 415,
  INVENTORY_CSV_INVALID: 400,
  INVENTORY_FHIR_INVALID: 400,
  INVENTORY_IMPORT_REJECTED: 422,
  INVENTORY_MAPPING_INVALID: 400,
  INVENTORY_MAPPING_NOT_FOUND: 404,
  INVENTORY_DEVICE_NOT_FOUND: 404,
  INVENTORY_EDIT_INVALID: 400,
  INVENTORY_IDENTITY_AMBIGUOUS: 422,
  INVENTORY_PARENT_PENDING: 422,
  LAB_SCENARIO_INVALID: 400,
  LAB_SCENARIO_NOT_FOUND: 404,
  // intel: feeds, version and CPE syntax, matcher inputs
  INTEL_FEED_UNRECOGNISED: 415,
  INTEL_FEED_MALFORMED: 400,
  INTEL_FEED_RECORD_INVALID: 422,
  INTEL_FEED_RANGE_UNSUPPORTED: 422,
  INTEL_CSAF_INVALID: 422,
  INTEL_VERS_INVALID: 400,
  INTEL_INVENTORY_INVALID: 422,
  INTEL_SYNC_HTTP: 502,
  INTEL_SYNC_HASH_MISMATCH: 502,
  INTEL_SYNC_SOURCE_INVALID: 400,
  INTEL_SBOM_INVALID: 400,
  INTEL_SBOM_FORMAT: 415,
  INTEL_SBOM_SCHEMA: 400,
  INTEL_PURL_INVALID: 400,
  INTEL_CPE_INVALID: 400,
  INTEL_VEX_INVALID: 400,
  INTEL_VEX_FORMAT: 415,
  INTEL_VEX_JUSTIFICATION_MISSING: 400,
  INTEL_VEX_SCHEMA: 500,
  INTEL_VEX_EMPTY: 404,
  // the job runner
  JOBS_NOT_FOUND: 404,
  JOBS_ALREADY_RUNNING: 409,
  JOBS_STOPPED: 503,
  JOBS_DEFINITION_INVALID: 500,
  JOBS_RUN_FAILED: 500,
  JOBS_LEASE_LOST: 500,
};

export function statusOf(code: string): number {
  return STATUS[code] ?? 500;
}

/** One field-level problem in a request. `field` is a dotted path such as `body.username`. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The body of every error response. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly FieldProblem[];
  readonly retryAfterSeconds?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  502: 'Bad Gateway',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemOf(
  code: string,
  detail: string,
  extra: { instance?: string; errors?: readonly FieldProblem[]; retryAfterSeconds?: number } = {},
): Problem {
  const status = statusOf(code);
  return {
    type: `urn:ward:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extra,
  };
}
