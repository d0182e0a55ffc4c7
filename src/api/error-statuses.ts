/**
 * The one table from error code to HTTP status. docs/errors.md lists the same codes; a test keeps them in step.
 * Codes absent here are internal and answer 500 INTERNAL_ERROR.
 */
export const errorStatuses = {
  MALFORMED_JSON: 400,
  VALIDATION_FAILED: 400,
  INVALID_PARAMETER: 400,
  INVALID_CURSOR: 400,
  PRODUCT_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  VERSION_CONFLICT: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  VERSION_REQUIRED: 428,
  INTERNAL_ERROR: 500,
  CAPACITY_EXCEEDED: 503,
} as const satisfies Record<string, number>;

/** An error code the API can answer with. */
export type ApiErrorCode = keyof typeof errorStatuses;

/** Whether `code` is one the API exposes. */
export function isApiErrorCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(errorStatuses, code);
}
