import { AppError, type ErrorDetail } from '../common/app-error.ts';

/** The request body is not valid JSON. */
export class MalformedJsonError extends AppError {
  constructor(reason: string) {
    super('MALFORMED_JSON', `The request body is not valid JSON: ${reason}`);
  }
}

/** A body was sent with a content type other than JSON. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(contentType: string | undefined) {
    super('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, got ${contentType ? `"${contentType}"` : 'none'}`);
  }
}

/** The body exceeds the API's limit. */
export class PayloadTooLargeError extends AppError {
  constructor(sizeBytes: number, limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', `The request body is ${sizeBytes} bytes; the limit is ${limitBytes} bytes`);
  }
}

/** A path, query or header parameter is invalid. */
export class InvalidParameterError extends AppError {
  constructor(details: readonly ErrorDetail[]) {
    super('INVALID_PARAMETER', `Invalid request parameter: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
  }
}

/** A pagination cursor that this listing did not issue. */
export class InvalidCursorError extends AppError {
  constructor() {
    super('INVALID_CURSOR', 'The cursor is not one this listing issued; start again without a cursor');
  }
}

/** A replace or delete without a version to check against. */
export class VersionRequiredError extends AppError {
  constructor() {
    super('VERSION_REQUIRED', 'Send the version you read, as an If-Match header ("3") or as "version" in the body');
  }
}

/** No route matches the path. */
export class RouteNotFoundError extends AppError {
  constructor(method: string, path: string) {
    super('ROUTE_NOT_FOUND', `No route for ${method} ${path}`);
  }
}

/** The path exists but not with this method. */
export class MethodNotAllowedError extends AppError {
  constructor(
    method: string,
    path: string,
    readonly allowedMethods: readonly string[],
  ) {
    super('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; allowed: ${allowedMethods.join(', ')}`);
  }
}
