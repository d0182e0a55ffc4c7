/** A new on-demand table's previous peak: half of its instant 12,000 read / 4,000 write units (B 3.3). */
export const initialOnDemandPeak = { read: 6_000, write: 2_000 } as const;

/** Minutes over which the previous peak is remembered (B 3.2). */
const peakMemoryMinutes = 30;

/** Options of {@link OnDemandCapacity}. */
export interface OnDemandCapacityOptions {
  /** Previous peak in units per second (the instant capacity is twice this). */
  readonly initialPeakPerSecond: number;
  /** Maximum throughput set on the table or index (B 3.7); requests above it are throttled. */
  readonly maxUnitsPerSecond?: number | undefined;
  readonly startMs: number;
}

/**
 * On-demand throughput: serves up to double the previous peak at once (B 3.1); the peak is the highest one-minute
 * average rate of the last 30 minutes. Enforced per second like provisioned capacity.
 */
export class OnDemandCapacity {
  private readonly initialPeak: number;
  private readonly maxUnitsPerSecond: number | undefined;
  private readonly minuteSums = new Map<number, number>();
  private currentSecond = -1;
  private usedThisSecond = 0;

  constructor(options: OnDemandCapacityOptions) {
    this.initialPeak = options.initialPeakPerSecond;
    this.maxUnitsPerSecond = options.maxUnitsPerSecond;
  }

  /** The previous peak (units per second) that sets the limit at `nowMs`. */
  previousPeak(nowMs: number): number {
    const minute = Math.floor(nowMs / 60_000);
    let peak = this.initialPeak;
    for (const [m, sum] of this.minuteSums) {
      if (m < minute - peakMemoryMinutes) this.minuteSums.delete(m);
      else if (m < minute) peak = Math.max(peak, sum / 60);
    }
    return peak;
  }

  /** Units per second served at `nowMs`: twice the previous peak, capped by maximum throughput. */
  limitPerSecond(nowMs: number): number {
    const doubled = 2 * this.previousPeak(nowMs);
    return this.maxUnitsPerSecond === undefined ? doubled : Math.min(doubled, this.maxUnitsPerSecond);
  }

  /** Why a request of `units` would be throttled now, or undefined if it may run. */
  refusal(units: number, nowMs: number): 'MaxOnDemandThroughputExceeded' | 'OnDemandPeakExceeded' | undefined {
    this.rollSecond(nowMs);
    if (this.maxUnitsPerSecond !== undefined && this.usedThisSecond + units > this.maxUnitsPerSecond && this.usedThisSecond > 0) {
      return 'MaxOnDemandThroughputExceeded';
    }
    if (this.usedThisSecond + units > this.limitPerSecond(nowMs) && this.usedThisSecond > 0) return 'OnDemandPeakExceeded';
    return undefined;
  }

  /** Records consumed units. */
  charge(units: number, nowMs: number): void {
    this.rollSecond(nowMs);
    this.usedThisSecond += units;
    const minute = Math.floor(nowMs / 60_000);
    this.minuteSums.set(minute, (this.minuteSums.get(minute) ?? 0) + units);
  }

  private rollSecond(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.currentSecond) {
      this.currentSecond = second;
      this.usedThisSecond = 0;
    }
  }
}
