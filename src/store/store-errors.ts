import { AppError } from '../common/app-error.ts';

/** DynamoDB kept throttling after the SDK's own retries; the caller should back off and retry. */
export class StoreThrottledError extends AppError {
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super('CAPACITY_EXCEEDED', 'The catalogue is receiving more traffic than it can serve right now; retry shortly', undefined, {
      cause,
    });
  }
}
