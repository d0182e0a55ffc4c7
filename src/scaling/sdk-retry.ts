/**
 * The retry behaviour of the AWS SDK for JavaScript v3 DynamoDB client the handlers bundle (docs/aws-facts.md
 * B 8.4, 8.7, 8.7a): 4 attempts in all, full-jitter backoff on a 1,000 ms base for throttling errors, and a retry
 * quota of 500 tokens per client from which each throttling retry takes 5.
 */
export const sdkRetryDefaults = {
  maxAttempts: 4,
  throttlingBaseDelayMs: 1_000,
  maximumDelayMs: 20_000,
  quotaTokens: 500,
  throttlingRetryCost: 5,
  /** What a success without a retry gives back to the quota. */
  successIncrement: 1,
} as const;

/**
 * Whose retry quota an SDK call draws on: its execution environment's client (as in AWS, where each environment runs
 * its own copy of the handler module), or one client shared by a function's environments.
 */
export type RetryQuotaScope = 'environment' | 'function';

/**
 * The wait before retry `retryIndex` (0 for the first retry) after a throttling error: uniform on [0, upper), with
 * upper = min(base x 2^retryIndex, 20 s) (B 8.3, 8.7: the cap applies before the jitter).
 */
export function throttlingRetryWindowMs(retryIndex: number): number {
  return Math.min(sdkRetryDefaults.throttlingBaseDelayMs * 2 ** retryIndex, sdkRetryDefaults.maximumDelayMs);
}
