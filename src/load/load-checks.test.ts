import { describe, expect, it } from 'vitest';
import { CheckSyntaxError, evaluateChecks, parseCheck } from './load-checks.ts';
import type { PhaseSummary } from './load-results.ts';

const summary = (name: string, overrides: Partial<PhaseSummary> = {}): PhaseSummary => ({
  name,
  durationSeconds: 10,
  targetRatePerSecond: { from: 100, to: 100 },
  sent: 1_000,
  completed: 1_000,
  achievedRatePerSecond: 99.5,
  outcomes: {
    '2xx': 980,
    '3xx': 0,
    '4xx': 5,
    '429': 10,
    '500': 3,
    '502': 0,
    '503': 2,
    '504': 0,
    'other-5xx': 0,
    timeout: 0,
    'connection-error': 0,
  },
  throttled: { gateway: 10, lambda: 3, dynamodb: 2, total: 15 },
  errors: 15,
  latencyMs: { p50: 20, p90: 80, p99: 750, 'p99.9': 1_900, max: 2_500 },
  scheduleLagMs: { p50: 0.1, p99: 0.5, max: 3 },
  ...overrides,
});

const run = (...expressions: string[]) =>
  evaluateChecks(expressions.map(parseCheck), summary('total'), [
    summary('spike', { latencyMs: { p50: 50, p90: 300, p99: 1_200, 'p99.9': 3_000, max: 4_000 } }),
  ]);

describe('load checks', () => {
  it('checks latency in ms or s, totals or one phase', () => {
    expect(run('p99<800ms', 'p99.9<=2s', 'spike:p99<800ms', 'max<2500').map((r) => r.passed)).toEqual([true, true, false, false]);
    expect(run('spike:p99<800ms')[0]?.actual).toBe('1200ms');
  });

  it('checks errors and throttles as counts or percentages of requests sent', () => {
    expect(
      run('errors<1%', 'errors<2%', 'throttled=0', 'throttled<=15', 'timeouts=0', 'status4xx=15', 'status5xx=5').map((r) => r.passed),
    ).toEqual([false, true, false, true, true, true, true]);
  });

  it('checks the achieved rate against the target', () => {
    expect(run('rate>=99%', 'rate>=100%', 'rate>90rps').map((r) => r.passed)).toEqual([true, false, true]);
  });

  it('fails a check on an unknown phase, and refuses malformed checks with the grammar', () => {
    expect(run('sale:p99<1s')[0]).toEqual({ expression: 'sale:p99<1s', passed: false, actual: 'no phase named sale' });
    for (const bad of ['p99 < soon', 'latency<1s', 'p99<5%', 'errors<3ms', 'rate<2s'])
      expect(() => parseCheck(bad)).toThrow(CheckSyntaxError);
  });
});
