import { AppError, type ErrorDetail } from '../common/app-error.ts';

/** Input failed validation; one detail per offending field. */
export class ValidationError extends AppError {
  constructor(message: string, details: readonly ErrorDetail[]) {
    super('VALIDATION_FAILED', message, details);
  }
}

/** No product has this id. */
export class ProductNotFoundError extends AppError {
  constructor(readonly productId: string) {
    super('PRODUCT_NOT_FOUND', `Product ${productId} does not exist`);
  }
}

/** The client's expected version is not the stored one: someone else changed the product first. */
export class VersionConflictError extends AppError {
  constructor(productId: string, expectedVersion: number, currentVersion: number | undefined) {
    super(
      'VERSION_CONFLICT',
      `Product ${productId} is at version ${currentVersion ?? 'unknown'}, not ${expectedVersion}; read it again and retry`,
      [{ field: 'version', message: `expected ${expectedVersion}, current ${currentVersion ?? 'unknown'}` }],
    );
  }
}

/** An Idempotency-Key was used before with a different request body. */
export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body; use a new key for a new product');
  }
}
