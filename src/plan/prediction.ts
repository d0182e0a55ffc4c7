import type { AlarmTransition } from '../scaling/cloudwatch-alarm.ts';
import type { ScalingActivity } from '../scaling/scalable-target.ts';

/** Requests by how they ended; throttles by the layer that refused them. */
export interface OutcomeCounts {
  requests: number;
  ok: number;
  throttled: { gateway: number; lambda: number; dynamodb: number };
}

/** Latency percentiles of the responses the client sees, every outcome included. */
export interface LatencyPrediction {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** The prediction for one phase of the profile (outcomes counted by the second the request arrived in). */
export interface PhasePrediction extends OutcomeCounts, LatencyPrediction {
  readonly name: string;
  /** Highest average concurrency of any second, per function. */
  peakConcurrency: Record<string, number>;
  /** Provisioned read/write capacity at the start and end of the phase, per table or "table/index". */
  capacity: Record<string, { read: [number, number]; write: [number, number] }>;
}

/** Units of one table or GSI over a sample. */
export interface UnitsSample {
  readonly demanded: number;
  readonly consumed: number;
  readonly provisioned: number;
  readonly burst?: number | undefined;
}

/** One simulated second (or a few, for long profiles), for charts. */
export interface SecondSample {
  readonly second: number;
  /** Seconds the sample covers (long runs are sampled every few seconds): counts and units are their sums. */
  readonly seconds: number;
  readonly requests: number;
  readonly ok: number;
  readonly throttled: number;
  /**
   * Per table or "table/index": read units asked for (every attempt), consumed, provisioned (0 on-demand), and the
   * units left in the burst bucket at the sample's end (300 s of unused capacity at most; 0 on-demand).
   */
  readonly reads: Record<string, UnitsSample>;
  /** The same for writes. */
  readonly writes: Record<string, UnitsSample>;
  readonly concurrency: Record<string, number>;
}

/** What the bill needs from a run. */
export interface UsageTotals {
  /** Per function: invocations, busy seconds, and busy seconds served by provisioned concurrency. */
  readonly functions: Record<string, { invocations: number; busySeconds: number; provisionedBusySeconds: number }>;
  /** Per function: provisioned concurrency allocated, summed over the seconds of the run (environment-seconds). */
  readonly provisionedSeconds: Record<string, number>;
  /** Requests API Gateway answered other than with 429. */
  gatewayRequests: number;
  /** CloudWatch alarms the stack runs: its own and those target tracking created. */
  alarms: number;
  /** Per table or "table/index": consumed read and write units over the run. */
  readonly consumed: Record<string, { read: number; write: number }>;
  /** Per table or "table/index", provisioned mode: highest provisioned read and write units of each clock hour. */
  readonly hourlyPeaks: Record<string, { read: number; write: number }[]>;
}

/** Everything one simulation predicts. */
export interface Prediction {
  readonly phases: PhasePrediction[];
  readonly total: OutcomeCounts & LatencyPrediction;
  readonly timeline: SecondSample[];
  /** The timeline was dropped to save memory (a candidate of a search that is neither chosen nor runner-up). */
  readonly timelineDropped?: true;
  readonly alarms: (AlarmTransition & { second: number })[];
  readonly activities: (ScalingActivity & { second: number })[];
  /** The first second a layer refused something: a request (gateway, Lambda) or a DynamoDB call (before retries). */
  readonly firstThrottleSecond: { gateway?: number; lambda?: number; dynamodb?: number };
  readonly usage: UsageTotals;
  /** Set when the simulation stopped at its error budget: the counts are what had happened by then. */
  readonly stoppedEarly?: boolean;
}
