import { build, type Histogram } from 'hdr-histogram-js';
import type { LoadProfile } from './load-profile.ts';

/** Every way a request can end, in report order (the emitted k6 script tags its requests with these too). */
export const allOutcomes = ['2xx', '3xx', '4xx', '429', '500', '502', '503', '504', 'other-5xx', 'timeout', 'connection-error'] as const;
/** How a request ended, as the report counts it. */
export type Outcome = (typeof allOutcomes)[number];

/** Outcome of a status code. */
export function outcomeOf(statusCode: number): Outcome {
  if (statusCode === 429 || statusCode === 500 || statusCode === 502 || statusCode === 503 || statusCode === 504)
    return String(statusCode) as Outcome;
  if (statusCode >= 500) return 'other-5xx';
  if (statusCode >= 400) return '4xx';
  if (statusCode >= 300) return '3xx';
  return '2xx';
}

// Microseconds up to an hour. Per-second tallies keep 2 significant digits: hundreds of them stay small.
const newHistogram = (digits: 2 | 3 = 3): Histogram =>
  build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: digits });

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly 'p99.9': number;
  readonly max: number;
}

/** Figures of one phase, or of the whole run. */
export interface PhaseSummary {
  readonly name: string;
  readonly durationSeconds: number;
  readonly targetRatePerSecond: { readonly from: number; readonly to: number };
  readonly sent: number;
  readonly completed: number;
  readonly achievedRatePerSecond: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Throttles by cause: API Gateway (429), Lambda behind API Gateway (500), DynamoDB after SDK retries (503). */
  readonly throttled: { readonly gateway: number; readonly lambda: number; readonly dynamodb: number; readonly total: number };
  /** 5xx, 429, timeouts and connection errors. */
  readonly errors: number;
  readonly latencyMs: LatencySummary;
  /** Actual minus intended send time; null when the run came from an engine that does not record it. */
  readonly scheduleLagMs: { readonly p50: number; readonly p99: number; readonly max: number } | null;
}

/** What a run measured, however it ran (in this process, in a worker, or read from another engine's results). */
export interface RunFigures {
  phaseSummaries(): PhaseSummary[];
  totalSummary(): PhaseSummary;
  timeline(): SecondSummary[];
}

/** One second of the run, for the timeline. */
export interface SecondSummary {
  readonly second: number;
  readonly phaseIndex: number;
  readonly sent: number;
  readonly completed: number;
  readonly outcomes: Partial<Record<Outcome, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Every outcome at zero. */
export const noOutcomes = (): Record<Outcome, number> => Object.fromEntries(allOutcomes.map((o) => [o, 0])) as Record<Outcome, number>;

/** A phase's summary from its counts and latencies: the throttles by cause and the errors derived in one place. */
export function phaseSummary(figures: {
  name: string;
  durationSeconds: number;
  target: { from: number; to: number };
  sent: number;
  completed: number;
  outcomes: Readonly<Record<Outcome, number>>;
  latencyMs: LatencySummary;
  scheduleLagMs: PhaseSummary['scheduleLagMs'];
}): PhaseSummary {
  const o = figures.outcomes;
  const gateway = o['429'];
  const lambda = o['500'];
  const dynamodb = o['503'];
  return {
    name: figures.name,
    durationSeconds: figures.durationSeconds,
    targetRatePerSecond: figures.target,
    sent: figures.sent,
    completed: figures.completed,
    achievedRatePerSecond: figures.durationSeconds > 0 ? figures.sent / figures.durationSeconds : 0,
    outcomes: { ...o },
    throttled: { gateway, lambda, dynamodb, total: gateway + lambda + dynamodb },
    errors: o['429'] + o['500'] + o['502'] + o['503'] + o['504'] + o['other-5xx'] + o.timeout + o['connection-error'],
    latencyMs: figures.latencyMs,
    scheduleLagMs: figures.scheduleLagMs,
  };
}

class Tally {
  sent = 0;
  completed = 0;
  readonly outcomes: Record<Outcome, number> = noOutcomes();
  readonly latency: Histogram;
  readonly lag: Histogram;

  constructor() {
    this.latency = newHistogram();
    this.lag = newHistogram();
  }

  /** Adds `other`'s counts and histograms to this one. */
  add(other: Tally): void {
    this.sent += other.sent;
    this.completed += other.completed;
    for (const key of Object.keys(this.outcomes) as Outcome[]) this.outcomes[key] += other.outcomes[key];
    this.latency.add(other.latency);
    this.lag.add(other.lag);
  }

  summary(name: string, durationSeconds: number, target: { from: number; to: number }): PhaseSummary {
    const ms = (h: Histogram, p: number) => (h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / 1000);
    const latencyMs = {
      p50: ms(this.latency, 50),
      p90: ms(this.latency, 90),
      p99: ms(this.latency, 99),
      'p99.9': ms(this.latency, 99.9),
      max: this.latency.totalCount === 0 ? 0 : this.latency.maxValue / 1000,
    };
    const lagKnown = this.lag.totalCount > 0 || this.sent === 0;
    const scheduleLagMs = lagKnown
      ? { p50: ms(this.lag, 50), p99: ms(this.lag, 99), max: this.lag.totalCount === 0 ? 0 : this.lag.maxValue / 1000 }
      : null;
    return phaseSummary({
      name,
      durationSeconds,
      target,
      sent: this.sent,
      completed: this.completed,
      outcomes: this.outcomes,
      latencyMs,
      scheduleLagMs,
    });
  }
}

/** Records a run: per phase and per second; the run's total is the phases added up when asked for. */
export class LoadResults implements RunFigures {
  private readonly phases: Tally[];
  private readonly seconds = new Map<number, { phaseIndex: number; tally: SecondTally }>();

  constructor(private readonly phaseInfo: readonly { name: string; durationSeconds: number; from: number; to: number }[]) {
    this.phases = phaseInfo.map(() => new Tally());
  }

  /** Empty results for a profile's phases. */
  static forProfile(profile: LoadProfile): LoadResults {
    return new LoadResults(
      profile.phases.map((p) => ({
        name: p.name,
        durationSeconds: p.durationSeconds,
        from: p.ratePerSecond,
        to: p.rampToRatePerSecond ?? p.ratePerSecond,
      })),
    );
  }

  /**
   * A request left `lagMs` after its intended time (undefined: not known, for runs read from another engine). Lag
   * is lateness: a request sent early (by at most earlySendMs) counts as on time.
   */
  sent(phaseIndex: number, intendedMs: number, lagMs: number | undefined): void {
    const phase = this.phases[phaseIndex] as Tally;
    phase.sent++;
    if (lagMs !== undefined) phase.lag.recordValue(Math.max(1, Math.round(lagMs * 1000)));
    this.secondOf(intendedMs, phaseIndex).sent++;
  }

  /** A request ended with `outcome`, `latencyMs` after its intended time. */
  completed(phaseIndex: number, intendedMs: number, outcome: Outcome, latencyMs: number): void {
    const micros = Math.max(1, Math.round(latencyMs * 1000));
    const phase = this.phases[phaseIndex] as Tally;
    phase.completed++;
    phase.outcomes[outcome]++;
    phase.latency.recordValue(micros);
    const second = this.secondOf(intendedMs, phaseIndex);
    second.completed++;
    second.outcomes[outcome] = (second.outcomes[outcome] ?? 0) + 1;
    second.latency.recordValue(micros);
  }

  /** Per-phase summaries. */
  phaseSummaries(): PhaseSummary[] {
    return this.phases.map((t, i) => {
      const p = this.phaseInfo[i] as { name: string; durationSeconds: number; from: number; to: number };
      return t.summary(p.name, p.durationSeconds, { from: p.from, to: p.to });
    });
  }

  /** The whole run. */
  totalSummary(): PhaseSummary {
    const total = new Tally();
    for (const phase of this.phases) total.add(phase);
    const duration = this.phaseInfo.reduce((s, p) => s + p.durationSeconds, 0);
    return total.summary('total', duration, {
      from: this.phaseInfo[0]?.from ?? 0,
      to: this.phaseInfo[this.phaseInfo.length - 1]?.to ?? 0,
    });
  }

  /** The run second by second (by intended send time). */
  timeline(): SecondSummary[] {
    return [...this.seconds.entries()]
      .sort(([a], [b]) => a - b)
      .map(([second, { phaseIndex, tally }]) => ({
        second,
        phaseIndex,
        sent: tally.sent,
        completed: tally.completed,
        outcomes: { ...tally.outcomes },
        p50Ms: tally.latency.totalCount ? tally.latency.getValueAtPercentile(50) / 1000 : 0,
        p99Ms: tally.latency.totalCount ? tally.latency.getValueAtPercentile(99) / 1000 : 0,
      }));
  }

  private secondOf(intendedMs: number, phaseIndex: number): SecondTally {
    const second = Math.floor(intendedMs / 1000);
    let entry = this.seconds.get(second);
    if (!entry) {
      entry = { phaseIndex, tally: { sent: 0, completed: 0, outcomes: {}, latency: newHistogram(2) } };
      this.seconds.set(second, entry);
    }
    return entry.tally;
  }
}

/** A second of the timeline: counts and latency only (schedule lag is reported per phase). */
interface SecondTally {
  sent: number;
  completed: number;
  outcomes: Partial<Record<Outcome, number>>;
  readonly latency: Histogram;
}
