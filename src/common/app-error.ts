/** A field-level problem reported with a 4xx error. */
export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

/**
 * Base of every error the project raises on purpose. `code` is stable (UPPER_SNAKE) and documented in
 * docs/errors.md; edges (HTTP mapper, CLI) translate it, nothing else catches it.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: readonly ErrorDetail[] | undefined;

  constructor(code: string, message: string, details?: readonly ErrorDetail[], options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}
