import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sdkRetryDefaults } from '../../scaling/sdk-retry.ts';
import { forgetEnvironment, inEnvironment, patchRetryStrategy } from './retry-quota-per-environment.mjs';

interface RetryToken {
  getRetryCount(): number;
}
interface RetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: { errorType: string }): Promise<RetryToken>;
  getCapacity(): number;
}

/** The SDK's own retry strategy class, as the DynamoDB client builds it, under a subclass so the real one stays as it is. */
async function patchedStrategy(): Promise<RetryStrategy> {
  const client = new DynamoDBClient({ region: 'us-east-1' });
  const strategy = (await client.config.retryStrategy()) as unknown as RetryStrategy;
  const real = strategy.constructor as new (attempts: number) => RetryStrategy;
  client.destroy();
  const Probe = class extends real {};
  expect(patchRetryStrategy(Probe)).toBe(true);
  expect(patchRetryStrategy(Probe)).toBe(false);
  return new Probe(sdkRetryDefaults.maxAttempts);
}

/** One throttling retry of a fresh call in `envId`, its backoff waited out on fake timers. */
async function throttlingRetry(strategy: RetryStrategy, envId: string): Promise<'retried' | 'refused'> {
  return inEnvironment(envId, async () => {
    const token = await strategy.acquireInitialRetryToken('dynamodb');
    const retried = strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' }).then(
      () => 'retried' as const,
      () => 'refused' as const,
    );
    await vi.advanceTimersByTimeAsync(sdkRetryDefaults.throttlingBaseDelayMs);
    return retried;
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the SDK retry quota per execution environment', () => {
  it("gives each environment its own 500 tokens in one shared client: one environment's storm leaves another's quota whole", async () => {
    vi.useFakeTimers();
    const strategy = await patchedStrategy();
    // By hand (B 8.4): 500 tokens at 5 a throttling retry pay for 100 retries; the 101st is refused.
    const retries = sdkRetryDefaults.quotaTokens / sdkRetryDefaults.throttlingRetryCost;
    for (let i = 0; i < retries; i++) expect(await throttlingRetry(strategy, 'env-1')).toBe('retried');
    expect(await throttlingRetry(strategy, 'env-1')).toBe('refused');
    expect(inEnvironment('env-1', () => strategy.getCapacity())).toBe(0);
    // The other environment of the same client still retries, and its retry costs only its own quota.
    expect(await throttlingRetry(strategy, 'env-2')).toBe('retried');
    expect(inEnvironment('env-2', () => strategy.getCapacity())).toBe(500 - 5);
    expect(inEnvironment('env-1', () => strategy.getCapacity())).toBe(0);
    // A retired environment's quota goes with it: the next one with that id starts full, as a new process would.
    forgetEnvironment('env-1');
    expect(inEnvironment('env-1', () => strategy.getCapacity())).toBe(500);
  });

  it('leaves classes that are not a retry strategy alone', () => {
    expect(patchRetryStrategy(class NotAStrategy {})).toBe(false);
    expect(patchRetryStrategy(undefined)).toBe(false);
  });
});
