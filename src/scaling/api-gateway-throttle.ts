import { TokenBucket } from './token-bucket.ts';

/** Account-level API Gateway throttling per Region: 10,000 rps, burst 5,000 (docs/aws-facts.md B 6.1). */
export const accountThrottleDefaults = { ratePerSecond: 10_000, burst: 5_000 } as const;

/** A rate and burst pair as API Gateway configures them. */
export interface ThrottleSetting {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** Options of {@link ApiGatewayThrottle}. */
export interface ApiGatewayThrottleOptions {
  /** Stage default method throttling; each method gets its own bucket with these limits. Absent: none. */
  readonly stageDefault?: ThrottleSetting | undefined;
  /** Per-method overrides, keyed "GET /products". */
  readonly methodOverrides?: Readonly<Record<string, ThrottleSetting>>;
  /** @default accountThrottleDefaults */
  readonly account?: ThrottleSetting;
  readonly startMs: number;
}

/** Which limit refused a request. */
export type GatewayThrottleLimit = 'method' | 'account';

/**
 * API Gateway's throttling in its documented order (B 6.2): the method's limit on the stage, then the account's.
 * A request refused by the method bucket takes nothing from the account bucket.
 */
export class ApiGatewayThrottle {
  private readonly methodBuckets = new Map<string, TokenBucket>();
  private readonly account: TokenBucket;

  constructor(private readonly options: ApiGatewayThrottleOptions) {
    const account = options.account ?? accountThrottleDefaults;
    this.account = new TokenBucket({ ratePerSecond: account.ratePerSecond, capacity: account.burst, startMs: options.startMs });
  }

  /** Admits one request to `methodKey` ("GET /products/{id}"), or names the limit that refused it. */
  admit(methodKey: string, nowMs: number): GatewayThrottleLimit | undefined {
    const method = this.methodBucket(methodKey, nowMs);
    if (method && !method.tryTake(1, nowMs)) return 'method';
    if (!this.account.tryTake(1, nowMs)) {
      method?.give(1, nowMs);
      return 'account';
    }
    return undefined;
  }

  /**
   * Admits up to `count` requests to `methodKey` at once, in the same order of limits as {@link admit}, and returns
   * how many it admitted. Counts may be fractional (the planner moves request counts, not requests).
   */
  admitCount(methodKey: string, count: number, nowMs: number): number {
    const method = this.methodBucket(methodKey, nowMs);
    const pastMethod = method ? method.takeUpTo(count, nowMs) : count;
    const admitted = this.account.takeUpTo(pastMethod, nowMs);
    if (method && admitted < pastMethod) method.give(pastMethod - admitted, nowMs);
    return admitted;
  }

  private methodBucket(methodKey: string, nowMs: number): TokenBucket | undefined {
    const existing = this.methodBuckets.get(methodKey);
    if (existing) return existing;
    const setting = this.options.methodOverrides?.[methodKey] ?? this.options.stageDefault;
    if (!setting) return undefined;
    const bucket = new TokenBucket({ ratePerSecond: setting.ratePerSecond, capacity: setting.burst, startMs: nowMs });
    this.methodBuckets.set(methodKey, bucket);
    return bucket;
  }
}
