/** Seconds of unused capacity DynamoDB keeps as burst capacity (docs/aws-facts.md B 2.1). */
export const burstWindowSeconds = 300;

/** Options of {@link ProvisionedCapacity}. */
export interface ProvisionedCapacityOptions {
  /** Provisioned units per second. */
  readonly unitsPerSecond: number;
  readonly startMs: number;
  /** Whether the burst bucket starts full, as for a table that sat idle after deployment. @default true */
  readonly burstStartsFull?: boolean;
}

/**
 * One provisioned throughput (the reads, or the writes, of a table or a GSI): a one-second bucket refilled at the
 * provisioned rate, and a burst bucket that collects what the first bucket could not hold, up to 300 s of it
 * (B 2.1, 2.5). Units are debited after the fact, as DynamoDB does for reads whose size it learns while reading, so
 * the one-second bucket can go into debt that later refills pay back first.
 */
export class ProvisionedCapacity {
  private unitsPerSecond: number;
  private secondTokens: number;
  private burstTokens: number;
  private updatedMs: number;

  constructor(options: ProvisionedCapacityOptions) {
    this.unitsPerSecond = options.unitsPerSecond;
    this.secondTokens = options.unitsPerSecond;
    this.burstTokens = (options.burstStartsFull ?? true) ? options.unitsPerSecond * burstWindowSeconds : 0;
    this.updatedMs = options.startMs;
  }

  /** Provisioned units per second now enforced. */
  get provisioned(): number {
    return this.unitsPerSecond;
  }

  /** Units available now: the second's bucket (possibly negative) plus burst. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.secondTokens + this.burstTokens;
  }

  /** Units in the burst bucket now (AWS does not show this; the dashboard does). */
  burstLevel(nowMs: number): number {
    this.refill(nowMs);
    return this.burstTokens;
  }

  /**
   * Units that requests may still start with now, in the fluid limit of {@link canAdmit}: a stream of small
   * requests is admitted while anything is available (the planner, which moves request counts, not requests).
   */
  admissibleUnits(nowMs: number): number {
    return Math.max(0, this.available(nowMs));
  }

  /** Whether a request estimated at `units` may start now. */
  canAdmit(units: number, nowMs: number): boolean {
    const available = this.available(nowMs);
    return available > 0 && available + 1e-9 >= Math.min(units, Math.max(this.unitsPerSecond, 1));
  }

  /** Debits consumed units: the second's bucket first, then burst, the rest as debt. */
  charge(units: number, nowMs: number): void {
    this.refill(nowMs);
    const fromSecond = Math.max(0, Math.min(units, this.secondTokens));
    let rest = units - fromSecond;
    this.secondTokens -= fromSecond;
    const fromBurst = Math.min(rest, this.burstTokens);
    this.burstTokens -= fromBurst;
    rest -= fromBurst;
    this.secondTokens -= rest;
  }

  /** Enforces a new provisioned rate from `nowMs` (an applied UpdateTable). */
  setProvisioned(unitsPerSecond: number, nowMs: number): void {
    this.refill(nowMs);
    this.unitsPerSecond = unitsPerSecond;
    this.secondTokens = Math.min(this.secondTokens, unitsPerSecond);
    this.burstTokens = Math.min(this.burstTokens, unitsPerSecond * burstWindowSeconds);
  }

  private refill(nowMs: number): void {
    if (nowMs <= this.updatedMs) return;
    let added = ((nowMs - this.updatedMs) / 1000) * this.unitsPerSecond;
    this.updatedMs = nowMs;
    const intoSecond = Math.min(added, this.unitsPerSecond - this.secondTokens);
    this.secondTokens += Math.max(0, intoSecond);
    added -= Math.max(0, intoSecond);
    this.burstTokens = Math.min(this.unitsPerSecond * burstWindowSeconds, this.burstTokens + added);
  }
}
