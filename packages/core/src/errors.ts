/**
 * @module errors
 * The one base error of Ward. Every package defines a closed union of codes with its own prefix
 * (`STORE_`, `SERVER_`, `AUTH_`, `CLI_`, …) and throws `WardError`s carrying one of them. Callers
 * branch on `code`, never on message text; `docs/errors.md` lists every code.
 */

/** Structured context that helps a person find the problem: file, record, field, offset. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export interface WardErrorOptions {
  readonly cause?: unknown;
  readonly details?: ErrorDetails;
}

export class WardError<C extends string = string> extends Error {
  readonly code: C;
  readonly details: ErrorDetails | undefined;

  constructor(code: C, message: string, options: WardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardError';
    this.code = code;
    this.details = options.details;
  }
}

/** Codes raised by `core` itself. */
export const CORE_ERROR_CODES = ['CORE_INVALID_ARGUMENT'] as const;
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

export function isWardError(value: unknown): value is WardError {
  return value instanceof WardError;
}

/** True when `value` is a WardError whose code is one of `codes`. */
export function hasErrorCode<C extends string>(value: unknown, codes: readonly C[]): value is WardError<C> {
  if (!(value instanceof WardError)) return false;
  const code: string = (value as WardError).code;
  return (codes as readonly string[]).includes(code);
}
