/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second, continuously. */
  readonly ratePerSecond: number;
  /** Most tokens the bucket holds. */
  readonly capacity: number;
  /** Tokens at `startMs`. @default capacity (a bucket that has been idle) */
  readonly initialTokens?: number;
  readonly startMs: number;
}

/**
 * A token bucket refilled continuously: the shape of API Gateway's rate/burst throttling, Lambda's scaling rate and
 * DynamoDB's per-second capacity. Time comes in as arguments, so the bucket is deterministic under any clock.
 */
export class TokenBucket {
  private ratePerSecond: number;
  private capacity: number;
  private tokens: number;
  private updatedMs: number;

  constructor(options: TokenBucketOptions) {
    if (options.ratePerSecond < 0 || options.capacity < 0) throw new RangeError('rate and capacity must not be negative');
    this.ratePerSecond = options.ratePerSecond;
    this.capacity = options.capacity;
    this.tokens = Math.min(options.initialTokens ?? options.capacity, options.capacity);
    this.updatedMs = options.startMs;
  }

  /** Tokens available at `nowMs`. */
  level(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  /** Takes `count` tokens if all are there; otherwise takes none. */
  tryTake(count: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens + 1e-9 < count) return false;
    this.tokens = Math.max(0, this.tokens - count);
    return true;
  }

  /** Takes up to `count` tokens and returns how many it took. */
  takeUpTo(count: number, nowMs: number): number {
    this.refill(nowMs);
    const taken = Math.min(count, this.tokens);
    this.tokens -= taken;
    return taken;
  }

  /** Adds tokens (up to capacity) and returns how many did not fit. */
  give(count: number, nowMs: number): number {
    this.refill(nowMs);
    const room = this.capacity - this.tokens;
    const added = Math.min(room, count);
    this.tokens += added;
    return count - added;
  }

  /** Changes rate and capacity from `nowMs` on; tokens above the new capacity are dropped. */
  reconfigure(ratePerSecond: number, capacity: number, nowMs: number): void {
    this.refill(nowMs);
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  /** Current rate and capacity. */
  get settings(): { readonly ratePerSecond: number; readonly capacity: number } {
    return { ratePerSecond: this.ratePerSecond, capacity: this.capacity };
  }

  private refill(nowMs: number): void {
    if (nowMs > this.updatedMs) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.updatedMs) / 1000) * this.ratePerSecond);
      this.updatedMs = nowMs;
    }
  }
}
