import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ImportError, type ImportedRun } from './imported-run.ts';
import { k6ScenarioName } from './k6-script.ts';
import type { LoadProfile } from './load-profile.ts';
import { allOutcomes, LoadResults, noOutcomes, type Outcome, outcomeOf, type PhaseSummary, phaseSummary } from './load-results.ts';

const sendLatency =
  'latency from the intended send time: k6 measures from when it sent, so time an iteration waited for a free VU is not in it';

const pointSchema = z.looseObject({
  type: z.literal('Point'),
  metric: z.string(),
  data: z.looseObject({ time: z.string(), value: z.number(), tags: z.record(z.string(), z.string()).default({}) }),
});

/**
 * Reads k6's `--out json=FILE` output (one JSON object per line). Every `http_req_duration` point is one request: its
 * `scenario` tag names the phase (the emitted script runs one scenario per phase), its `status` tag the outcome (0
 * with `error_code` 1050 is a timeout, other 0s are connection errors), its `time` minus its value the moment it was
 * sent. Nothing else in the file is read.
 */
export async function importK6Points(file: string, profile: LoadProfile): Promise<ImportedRun> {
  const phaseOf = new Map(profile.phases.map((p, i) => [k6ScenarioName(p.name), i]));
  const requests: { sentAtMs: number; phaseIndex: number; outcome: Outcome; latencyMs: number }[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (!line.includes('"http_req_duration"')) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new ImportError(`${file}:${lineNumber}: not JSON; k6's --out json= writes one JSON object per line`);
    }
    const point = pointSchema.safeParse(json);
    if (!point.success || point.data.metric !== 'http_req_duration') continue;
    const { time, value, tags } = point.data.data;
    // The script's token requests (setup, and a VU's renewal) are not the profile's.
    if (tags.name === 'token') continue;
    const phaseIndex = phaseOf.get(tags.scenario ?? '');
    if (phaseIndex === undefined)
      throw new ImportError(
        `${file}:${lineNumber}: scenario "${tags.scenario}" is not a phase of profile ${profile.name}; run the script techmoda load --emit k6 wrote for it`,
      );
    requests.push({ sentAtMs: Date.parse(time) - value, phaseIndex, outcome: k6Outcome(tags), latencyMs: value });
  }
  if (requests.length === 0) throw new ImportError(`${file}: no http_req_duration points; is it k6's --out json= output?`);
  // A long sale has more points than a spread of arguments allows.
  const startedAtMs = requests.reduce((earliest, r) => Math.min(earliest, r.sentAtMs), Number.POSITIVE_INFINITY);
  const results = LoadResults.forProfile(profile);
  for (const r of requests) {
    results.sent(r.phaseIndex, r.sentAtMs - startedAtMs, undefined);
    results.completed(r.phaseIndex, r.sentAtMs - startedAtMs, r.outcome, r.latencyMs);
  }
  return { engine: 'k6', startedAtMs, results, cannotGive: [sendLatency, 'schedule lag'] };
}

function k6Outcome(tags: Record<string, string>): Outcome {
  const status = Number(tags.status ?? 0);
  if (status > 0) return outcomeOf(status);
  return tags.error_code === '1050' ? 'timeout' : 'connection-error';
}

const trendSchema = z.looseObject({ med: z.number(), 'p(90)': z.number(), 'p(99)': z.number(), 'p(99.9)': z.number(), max: z.number() });
const counterSchema = z.looseObject({ count: z.number() });
/** k6's `--summary-export` JSON: the metrics, with submetrics as `name{tag:value,...}` keys. */
export const k6SummarySchema = z.looseObject({ metrics: z.record(z.string(), z.unknown()) });

/**
 * Reads k6's `--summary-export` JSON. The emitted script's always-passing thresholds put each phase's request count,
 * latency statistics and outcome counts into it as submetrics; without them the summary has only totals.
 */
export function importK6Summary(raw: unknown, profile: LoadProfile, file: string): ImportedRun {
  const parsed = k6SummarySchema.safeParse(raw);
  if (!parsed.success) throw new ImportError(`${file}: not a k6 --summary-export file (no "metrics")`);
  const metrics = new Map(Object.entries(parsed.data.metrics).map(([key, value]) => [normalizeKey(key), value]));
  const metric = <T>(schema: z.ZodType<T>, name: string, tags: Record<string, string>): T | undefined => {
    const value = metrics.get(
      normalizeKey(
        `${name}{${Object.entries(tags)
          .map(([k, v]) => `${k}:${v}`)
          .join(',')}}`,
      ),
    );
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  };
  const summaries: PhaseSummary[] = profile.phases.map((phase) => {
    const scenario = k6ScenarioName(phase.name);
    const sent = metric(counterSchema, 'http_reqs', { scenario });
    if (!sent)
      throw new ImportError(
        `${file}: no http_reqs{scenario:${scenario}}; export the summary of the script techmoda load --emit k6 wrote for profile ${profile.name}`,
      );
    const outcomes = noOutcomes();
    for (const outcome of allOutcomes) outcomes[outcome] = metric(counterSchema, 'techmoda_outcomes', { scenario, outcome })?.count ?? 0;
    const trend = metric(trendSchema, 'http_req_duration', { scenario });
    return phaseSummary({
      name: phase.name,
      durationSeconds: phase.durationSeconds,
      target: { from: phase.ratePerSecond, to: phase.rampToRatePerSecond ?? phase.ratePerSecond },
      sent: sent.count,
      completed: Object.values(outcomes).reduce((a, b) => a + b, 0),
      outcomes,
      latencyMs: trend
        ? { p50: trend.med, p90: trend['p(90)'], p99: trend['p(99)'], 'p99.9': trend['p(99.9)'], max: trend.max }
        : zeroLatency,
      scheduleLagMs: null,
    });
  });
  const trend = trendSchema.safeParse(metrics.get('http_req_duration'));
  const outcomes = noOutcomes();
  for (const s of summaries) for (const key of Object.keys(outcomes) as Outcome[]) outcomes[key] += s.outcomes[key];
  const total = phaseSummary({
    name: 'total',
    durationSeconds: profile.phases.reduce((sum, p) => sum + p.durationSeconds, 0),
    target: { from: summaries[0]?.targetRatePerSecond.from ?? 0, to: summaries[summaries.length - 1]?.targetRatePerSecond.to ?? 0 },
    sent: counterSchema.safeParse(metrics.get('http_reqs')).data?.count ?? summaries.reduce((sum, s) => sum + s.sent, 0),
    completed: Object.values(outcomes).reduce((a, b) => a + b, 0),
    outcomes,
    latencyMs: trend.success
      ? { p50: trend.data.med, p90: trend.data['p(90)'], p99: trend.data['p(99)'], 'p99.9': trend.data['p(99.9)'], max: trend.data.max }
      : zeroLatency,
    scheduleLagMs: null,
  });
  return {
    engine: 'k6',
    startedAtMs: Date.now(),
    results: { phaseSummaries: () => summaries, totalSummary: () => total, timeline: () => [] },
    cannotGive: [
      sendLatency,
      'schedule lag, a per-second timeline, and per-phase histograms: the summary holds only the statistics k6 computed (med, p(90), p(99), p(99.9), max), and not when the run started',
    ],
  };
}

const zeroLatency = { p50: 0, p90: 0, p99: 0, 'p99.9': 0, max: 0 };

/** `name{b:2, a:1}` and `name{a:1,b:2}` are the same submetric. */
function normalizeKey(key: string): string {
  const match = /^([^{]+)\{(.*)\}$/.exec(key.trim());
  if (!match) return key.trim();
  const tags = (match[2] as string)
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .sort();
  return `${match[1]}{${tags.join(',')}}`;
}
