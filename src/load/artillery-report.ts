import { z } from 'zod';
import { ImportError, type ImportedRun, phaseWindows, plannedBetween } from './imported-run.ts';
import type { LoadProfile } from './load-profile.ts';
import { type LatencySummary, noOutcomes, type Outcome, outcomeOf, type PhaseSummary, phaseSummary } from './load-results.ts';

const latencySchema = z.looseObject({ p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), max: z.number() });
const periodSchema = z.looseObject({
  counters: z.record(z.string(), z.number()),
  summaries: z.record(z.string(), z.unknown()).default({}),
  period: z.union([z.string(), z.number()]).transform(Number),
  firstCounterAt: z.number().optional(),
});
/** The parts of an Artillery 2 JSON report (`artillery run --output`) that are read. */
export const artilleryReportSchema = z.looseObject({ aggregate: periodSchema, intermediate: z.array(periodSchema).min(1) });
type Period = z.output<typeof periodSchema>;

const periodMs = 10_000;

/**
 * Reads an Artillery report against the profile it ran. Artillery counts in 10-s periods on the wall clock, not per
 * phase: a period that straddles a phase boundary is split between the phases in proportion to the requests the
 * profile plans on each side, and a phase's percentiles are the highest of the periods mostly inside it. The run's
 * total comes from Artillery's aggregate, exactly.
 */
export function importArtilleryReport(raw: unknown, profile: LoadProfile): ImportedRun {
  const parsed = artilleryReportSchema.safeParse(raw);
  if (!parsed.success)
    throw new ImportError(`not an Artillery JSON report: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const { aggregate, intermediate } = parsed.data;
  const startedAtMs = Math.min(...intermediate.map((p) => p.firstCounterAt ?? p.period));
  const windows = phaseWindows(profile);
  const runEndMs = windows[windows.length - 1]?.endMs ?? 0;
  const phases = profile.phases.map(() => ({ sent: 0, outcomes: noOutcomes(), latency: [] as LatencySummary[] }));
  for (const period of intermediate) {
    const from = Math.max(0, period.period - startedAtMs);
    const to = Math.min(runEndMs, period.period + periodMs - startedAtMs);
    const planned = plannedBetween(profile, from, Math.max(from, to));
    const plannedTotal = planned.reduce((a, b) => a + b, 0);
    // Completions after the last phase belong to it.
    const shares = plannedTotal > 0 ? planned.map((n) => n / plannedTotal) : planned.map((_, i) => (i === planned.length - 1 ? 1 : 0));
    const counts = countsOf(period);
    const latency = latencyOf(period);
    shares.forEach((share, i) => {
      const phase = phases[i] as (typeof phases)[number];
      phase.sent += share * counts.sent;
      for (const [outcome, n] of Object.entries(counts.outcomes) as [Outcome, number][]) phase.outcomes[outcome] += share * n;
      if (latency && share >= 0.5) phase.latency.push(latency);
    });
  }
  const summaries: PhaseSummary[] = profile.phases.map((phase, i) => {
    const tally = phases[i] as (typeof phases)[number];
    const outcomes = noOutcomes();
    for (const key of Object.keys(outcomes) as Outcome[]) outcomes[key] = Math.round(tally.outcomes[key]);
    return phaseSummary({
      name: phase.name,
      durationSeconds: phase.durationSeconds,
      target: { from: phase.ratePerSecond, to: phase.rampToRatePerSecond ?? phase.ratePerSecond },
      sent: Math.round(tally.sent),
      completed: Object.values(outcomes).reduce((a, b) => a + b, 0),
      outcomes,
      latencyMs: highest(tally.latency),
      scheduleLagMs: null,
    });
  });
  const totals = countsOf(aggregate);
  const total = phaseSummary({
    name: 'total',
    durationSeconds: runEndMs / 1000,
    target: { from: profile.phases[0]?.ratePerSecond ?? 0, to: summaries[summaries.length - 1]?.targetRatePerSecond.to ?? 0 },
    sent: totals.sent,
    completed: Object.values(totals.outcomes).reduce((a, b) => a + b, 0),
    outcomes: totals.outcomes,
    latencyMs: latencyOf(aggregate) ?? highest([]),
    scheduleLagMs: null,
  });
  return {
    engine: 'artillery',
    startedAtMs,
    results: { phaseSummaries: () => summaries, totalSummary: () => total, timeline: () => [] },
    cannotGive: [
      'latency from the intended send time: Artillery measures from when it sent, so time a request waited to be sent is not in it',
      'schedule lag, and a per-second timeline (Artillery reports 10-s periods)',
      "exact per-phase figures: periods that straddle a phase boundary are split by the profile's planned arrivals, and a phase's percentiles are the highest of the periods mostly inside it",
    ],
  };
}

/** Requests and outcomes of one period, from its counters. */
function countsOf(period: Period): { sent: number; outcomes: Record<Outcome, number> } {
  const outcomes = noOutcomes();
  for (const [name, n] of Object.entries(period.counters)) {
    const status = /^http\.codes\.(\d{3})$/.exec(name)?.[1];
    if (status) outcomes[outcomeOf(Number(status))] += n;
    else if (/^errors\.(ETIMEDOUT|ESOCKETTIMEDOUT)$/.test(name)) outcomes.timeout += n;
    else if (/^errors\.E[A-Z]+$/.test(name)) outcomes['connection-error'] += n;
  }
  return { sent: period.counters['http.requests'] ?? 0, outcomes };
}

function latencyOf(period: Period): LatencySummary | undefined {
  const summary = latencySchema.safeParse(period.summaries['http.response_time']);
  if (!summary.success) return undefined;
  const { p50, p90, p99, p999, max } = summary.data;
  return { p50, p90, p99, 'p99.9': p999, max };
}

function highest(latencies: readonly LatencySummary[]): LatencySummary {
  const top = (key: keyof LatencySummary) => Math.max(0, ...latencies.map((l) => l[key]));
  return { p50: top('p50'), p90: top('p90'), p99: top('p99'), 'p99.9': top('p99.9'), max: top('max') };
}
