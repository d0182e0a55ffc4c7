import { type CheckResult, evaluateChecks, type LoadCheck } from '../load/load-checks.ts';
import type { PhaseSummary } from '../load/load-results.ts';
import type { LatencyPrediction, OutcomeCounts, Prediction } from './prediction.ts';
import type { TrafficProfile } from './traffic-profile.ts';

/** The SLOs a plan checks when the user names none: the stack's own p99 alarm and a tenth of a percent of errors. */
export const defaultSlos = ['errors<0.1%', 'p99<1000ms'];

/**
 * Judges a prediction with `techmoda load --check`'s grammar and rules: the predicted phases are read as the
 * client's phase summaries would be (every request completes, throttles are the errors).
 */
export function checkPrediction(checks: readonly LoadCheck[], prediction: Prediction, profile: TrafficProfile): CheckResult[] {
  const phases = prediction.phases.map((phase, i) => {
    const p = profile.phases[i];
    const rate = { from: p?.ratePerSecond ?? 0, to: p?.rampToRatePerSecond ?? p?.ratePerSecond ?? 0 };
    return summary(phase.name, p?.durationSeconds ?? 0, rate, phase, phase);
  });
  const duration = profile.phases.reduce((sum, p) => sum + p.durationSeconds, 0);
  const average = prediction.total.requests / Math.max(1, duration);
  return evaluateChecks(checks, summary('total', duration, { from: average, to: average }, prediction.total, prediction.total), phases);
}

function summary(
  name: string,
  durationSeconds: number,
  targetRatePerSecond: { from: number; to: number },
  counts: OutcomeCounts,
  latency: LatencyPrediction,
): PhaseSummary {
  const { gateway, lambda, dynamodb } = counts.throttled;
  const throttled = gateway + lambda + dynamodb;
  return {
    name,
    durationSeconds,
    targetRatePerSecond,
    sent: counts.requests,
    completed: counts.requests,
    achievedRatePerSecond: durationSeconds > 0 ? counts.requests / durationSeconds : 0,
    outcomes: {
      '2xx': counts.ok,
      '3xx': 0,
      '4xx': 0,
      '429': gateway,
      '500': lambda,
      '502': 0,
      '503': dynamodb,
      '504': 0,
      'other-5xx': 0,
      timeout: 0,
      'connection-error': 0,
    },
    throttled: { gateway, lambda, dynamodb, total: throttled },
    errors: throttled,
    latencyMs: { p50: latency.p50Ms, p90: latency.p90Ms, p99: latency.p99Ms, 'p99.9': latency.p999Ms, max: latency.maxMs },
    scheduleLagMs: { p50: 0, p99: 0, max: 0 },
  };
}
