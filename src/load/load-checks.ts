import { AppError } from '../common/app-error.ts';
import type { PhaseSummary } from './load-results.ts';

/** One pass/fail check, parsed. */
export interface LoadCheck {
  readonly expression: string;
  readonly phase: string | undefined;
  readonly metric: CheckMetric;
  readonly operator: '<' | '<=' | '>' | '>=' | '=';
  readonly value: number;
  readonly unit: 'ms' | '%' | 'count' | 'rps';
}

/** Outcome of a check. */
export interface CheckResult {
  readonly expression: string;
  readonly passed: boolean;
  readonly actual: string;
}

const latencyMetrics = ['p50', 'p90', 'p99', 'p99.9', 'max'] as const;
const countMetrics = ['errors', 'throttled', 'timeouts', 'status4xx', 'status5xx'] as const;
/** Metrics a check can name. */
export type CheckMetric = (typeof latencyMetrics)[number] | (typeof countMetrics)[number] | 'rate';

/** A malformed --check. */
export class CheckSyntaxError extends AppError {
  constructor(expression: string, why: string) {
    super(
      'USAGE',
      `--check '${expression}': ${why}. Grammar: [phase:]metric op value, e.g. p99<800ms, errors<1%, throttled=0, spike:p99.9<=2s, rate>=99%`,
    );
  }
}

/**
 * Parses a check: `[phase:]metric op value[unit]`. Latency metrics p50, p90, p99, p99.9, max take ms (default) or s;
 * errors, throttled, timeouts, status4xx, status5xx take a count or a % of requests sent; rate takes requests per
 * second or % of the target rate.
 */
export function parseCheck(expression: string): LoadCheck {
  const match =
    /^(?:([a-z0-9-]+):)?(p50|p90|p99\.9|p99|max|errors|throttled|timeouts|status4xx|status5xx|rate)\s*(<=|>=|<|>|=)\s*(\d+(?:\.\d+)?)\s*(ms|s|%|rps)?$/.exec(
      expression.trim(),
    );
  if (!match) throw new CheckSyntaxError(expression, 'not understood');
  const [, phase, metric, operator, number, unit] = match as unknown as [
    string,
    string | undefined,
    CheckMetric,
    LoadCheck['operator'],
    string,
    string | undefined,
  ];
  let value = Number(number);
  let normalized: LoadCheck['unit'];
  if ((latencyMetrics as readonly string[]).includes(metric)) {
    if (unit === '%' || unit === 'rps') throw new CheckSyntaxError(expression, `${metric} is a latency: use ms or s`);
    if (unit === 's') value *= 1000;
    normalized = 'ms';
  } else if (metric === 'rate') {
    if (unit === 'ms' || unit === 's') throw new CheckSyntaxError(expression, 'rate takes rps or % of the target rate');
    normalized = unit === '%' ? '%' : 'rps';
  } else {
    if (unit === 'ms' || unit === 's' || unit === 'rps') throw new CheckSyntaxError(expression, `${metric} takes a count or a %`);
    normalized = unit === '%' ? '%' : 'count';
  }
  return { expression, phase, metric, operator, value, unit: normalized };
}

/** Evaluates checks against the run's summaries; a check scoped to an unknown phase fails, saying so. */
export function evaluateChecks(checks: readonly LoadCheck[], total: PhaseSummary, phases: readonly PhaseSummary[]): CheckResult[] {
  return checks.map((check) => {
    const summary = check.phase === undefined ? total : phases.find((p) => p.name === check.phase);
    if (!summary) return { expression: check.expression, passed: false, actual: `no phase named ${check.phase}` };
    const actual = measure(check, summary);
    return {
      expression: check.expression,
      passed: compare(actual, check.operator, check.value),
      actual: `${round(actual)}${check.unit === 'count' ? '' : check.unit}`,
    };
  });
}

function measure(check: LoadCheck, s: PhaseSummary): number {
  if ((latencyMetrics as readonly string[]).includes(check.metric)) return s.latencyMs[check.metric as keyof PhaseSummary['latencyMs']];
  if (check.metric === 'rate') {
    const targetAverage = (s.targetRatePerSecond.from + s.targetRatePerSecond.to) / 2;
    return check.unit === '%' ? (targetAverage > 0 ? (100 * s.achievedRatePerSecond) / targetAverage : 100) : s.achievedRatePerSecond;
  }
  const counts: Record<string, number> = {
    errors: s.errors,
    throttled: s.throttled.total,
    timeouts: s.outcomes.timeout,
    status4xx: s.outcomes['4xx'] + s.outcomes['429'],
    status5xx: s.outcomes['500'] + s.outcomes['502'] + s.outcomes['503'] + s.outcomes['504'] + s.outcomes['other-5xx'],
  };
  const count = counts[check.metric] ?? 0;
  return check.unit === '%' ? (s.sent > 0 ? (100 * count) / s.sent : 0) : count;
}

function compare(actual: number, operator: LoadCheck['operator'], value: number): boolean {
  switch (operator) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '=':
      return Math.abs(actual - value) < 1e-9;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
