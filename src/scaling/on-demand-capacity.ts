/** A new on-demand table's previous peak: half of its instant 12,000 read / 4,000 write units (B 3.3). */
export const initialOnDemandPeak = { read: 6_000, write: 2_000 } as const;

/** Minutes a new peak takes to become the previous peak that the limit doubles (B 3.2: "within 30 minutes"). */
const peakSettleMinutes = 30;

/** Options of {@link OnDemandCapacity}. */
export interface OnDemandCapacityOptions {
  /** Previous peak in units per second (the instant capacity is twice this). */
  readonly initialPeakPerSecond: number;
  /** Maximum throughput set on the table or index (B 3.7); requests above it are throttled. */
  readonly maxUnitsPerSecond?: number | undefined;
  readonly startMs: number;
}

/**
 * On-demand throughput, as AWS words it (B 3.1-3.2): a table serves up to double its previous peak at once, and once
 * it has scaled out it reaches that throughput again at once, however much later (peaks are never forgotten). Traffic
 * that goes past double the previous peak within 30 minutes can throttle: a new peak becomes the previous peak, the
 * one the limit doubles, 30 minutes after the minute it was reached. So a table can double every 30 minutes, not every
 * minute. A peak is a one-minute average rate. Enforced per second like provisioned capacity.
 */
export class OnDemandCapacity {
  private readonly maxUnitsPerSecond: number | undefined;
  /** Units per minute of the minutes not yet settled (the last 30). */
  private readonly minuteSums = new Map<number, number>();
  /** Highest one-minute average rate among the settled minutes: the previous peak. */
  private settledPeak: number;
  private currentSecond = -1;
  private usedThisSecond = 0;

  constructor(options: OnDemandCapacityOptions) {
    this.settledPeak = options.initialPeakPerSecond;
    this.maxUnitsPerSecond = options.maxUnitsPerSecond;
  }

  /** The previous peak (units per second) that sets the limit at `nowMs`: reached at least 30 minutes before. */
  previousPeak(nowMs: number): number {
    const minute = Math.floor(nowMs / 60_000);
    for (const [m, sum] of this.minuteSums) {
      if (m + 1 > minute - peakSettleMinutes) continue; // ended less than 30 minutes ago: not settled yet
      this.settledPeak = Math.max(this.settledPeak, sum / 60);
      this.minuteSums.delete(m);
    }
    return this.settledPeak;
  }

  /** Units per second served at `nowMs`: twice the previous peak, capped by maximum throughput. */
  limitPerSecond(nowMs: number): number {
    const doubled = 2 * this.previousPeak(nowMs);
    return this.maxUnitsPerSecond === undefined ? doubled : Math.min(doubled, this.maxUnitsPerSecond);
  }

  /** The highest one-minute average reached so far, settled or not (what the table can serve again at once). */
  highestPeak(nowMs: number): number {
    let peak = this.previousPeak(nowMs);
    for (const sum of this.minuteSums.values()) peak = Math.max(peak, sum / 60);
    return peak;
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

  /**
   * Units requests may still consume in the current second, in the fluid limit of {@link refusal}: what the lower of
   * the doubled peak and the maximum throughput leaves (the planner, which moves request counts, not requests).
   */
  admissibleUnits(nowMs: number): number {
    this.rollSecond(nowMs);
    return Math.max(0, this.limitPerSecond(nowMs) - this.usedThisSecond);
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
