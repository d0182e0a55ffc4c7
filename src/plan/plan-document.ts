import type { Evaluation, PlanSettings } from './evaluation.ts';
import type { Skipped } from './plan-sale.ts';
import type { Prediction } from './prediction.ts';

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** What `--out` writes: the prices' date, the given configuration, every candidate, and the recommendation. */
export function planJson(input: {
  settings: PlanSettings;
  baseline: Evaluation;
  ranked: readonly Evaluation[];
  /** Candidates the search did not simulate (a dominating one's verdict decides theirs). */
  skipped?: readonly Skipped[] | undefined;
  recommendation: Evaluation | undefined;
  saferRunnerUp: Evaluation | undefined;
}) {
  const { settings, baseline, ranked, skipped, recommendation, saferRunnerUp } = input;
  return {
    schemaVersion: 1,
    profile: settings.profile.name,
    slos: settings.checks.map((c) => c.expression),
    assumptions: {
      burst: 'planned with the bucket full and with it empty; a recommendation meets the SLOs in both',
      alarmDelaySeconds: settings.alarmDelayMs / 1000,
      capacityApplySeconds: settings.capacityApplyMs / 1000,
      baselineRequestsPerSecond: settings.baselineRatePerSecond,
      retryQuota: 'per execution environment (each has its own SDK client)',
    },
    prices: { region: settings.prices.region, asOf: settings.prices.asOf, sources: settings.prices.sources },
    baseline: candidateJson(baseline, settings),
    candidates: ranked.map((e) => candidateJson(e, settings)),
    skipped: (skipped ?? []).map((s) => ({
      label: s.candidate.label,
      context: { ...settings.userContext, ...s.candidate.context },
      meetsSlo: s.meets,
      because: s.meets
        ? `costs more than "${s.by.label}", which meets the SLOs with no more capacity`
        : `has no more capacity than "${s.by.label}", which fails the SLOs`,
    })),
    recommendation: recommendation && candidateJson(recommendation, settings),
    saferRunnerUp: saferRunnerUp && candidateJson(saferRunnerUp, settings),
  };
}

function candidateJson(evaluation: Evaluation, settings: PlanSettings) {
  return {
    label: evaluation.candidate.label,
    context: { ...settings.userContext, ...evaluation.candidate.context },
    meetsSlo: evaluation.meetsSlo,
    predicted: predictedJson(evaluation.predictions.full ?? evaluation.predictions.empty),
    predictedBurstEmpty: predictedJson(evaluation.predictions.empty),
    checks: { burstFull: evaluation.checks.full, burstEmpty: evaluation.checks.empty },
    cost: {
      perEventUsd: round(evaluation.cost.perEventUsd, 6),
      perMonthUsd: round(evaluation.cost.perMonthUsd, 4),
      lines: evaluation.cost.lines.map((l) => ({ service: l.service, item: l.item, usd: round(l.usd, 6) })),
      monthLines: evaluation.cost.monthLines.map((l) => ({ service: l.service, item: l.item, usd: round(l.usd, 4) })),
    },
  };
}

function roundUnits(units: Prediction['timeline'][number]['reads']) {
  return Object.fromEntries(
    Object.entries(units).map(([name, u]) => [
      name,
      { demanded: round(u.demanded), consumed: round(u.consumed), provisioned: u.provisioned, burst: round(u.burst ?? 0) },
    ]),
  );
}

function predictedJson(prediction: Prediction) {
  const counts = (p: Prediction['total']) => ({
    requests: round(p.requests),
    ok: round(p.ok),
    throttled: { gateway: round(p.throttled.gateway), lambda: round(p.throttled.lambda), dynamodb: round(p.throttled.dynamodb) },
    p50Ms: round(p.p50Ms, 1),
    p99Ms: round(p.p99Ms, 1),
  });
  return {
    ...(prediction.stoppedEarly && { stoppedEarly: true }),
    phases: prediction.phases.map((p) => ({
      name: p.name,
      ...counts(p),
      peakConcurrency: Object.fromEntries(Object.entries(p.peakConcurrency).map(([k, v]) => [k, round(v, 1)])),
      capacity: p.capacity,
    })),
    total: counts(prediction.total),
    firstThrottleSecond: prediction.firstThrottleSecond,
    // A search keeps the per-second timeline of the recommendation and the runner-up only (docs/planner.md).
    ...(prediction.timelineDropped && { timelineDropped: true }),
    timeline: prediction.timeline.map((t) => ({
      second: t.second,
      seconds: t.seconds,
      requests: round(t.requests),
      ok: round(t.ok),
      reads: roundUnits(t.reads),
      writes: roundUnits(t.writes),
      concurrency: Object.fromEntries(Object.entries(t.concurrency).map(([k, v]) => [k, round(v, 2)])),
    })),
    alarms: prediction.alarms.map((a) => ({ second: a.second, alarmName: a.alarmName, from: a.from, to: a.to })),
    scaling: prediction.activities.map((a) => ({
      second: a.second,
      resourceId: a.resourceId,
      scalableDimension: a.scalableDimension,
      from: a.fromCapacity,
      to: a.toCapacity,
      status: a.statusCode,
    })),
  };
}
