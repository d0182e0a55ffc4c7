import { functionRateCeiling, lambdaDefaults, provisionedRateCeiling } from '../scaling/lambda-concurrency.ts';
import { type RetryQuotaScope, sdkRetryDefaults } from '../scaling/sdk-retry.ts';
import type { LocalFunction } from '../scaling/stack-model.ts';
import { TokenBucket } from '../scaling/token-bucket.ts';

/** Options of {@link FluidFunction}. */
export interface FluidFunctionOptions {
  readonly fn: LocalFunction;
  readonly accountConcurrency: number;
  readonly startMs: number;
  readonly retryQuotaScope: RetryQuotaScope;
  /** How long a change of provisioned concurrency takes to apply. */
  readonly provisionedChangeDelayMs: number;
}

/** What one second's admission decided for one function. */
export interface FunctionAdmission {
  /** Admitted invocations per qualifier ('' for the unqualified function). */
  readonly admitted: ReadonlyMap<string, number>;
  /** Share of the admitted that start a new execution environment (a cold start). */
  readonly coldShare: number;
}

const ringSteps = 64;

/**
 * One Lambda function as request counts: the busy time committed to each coming second (invocations waiting for an
 * SDK retry hold their environment), the warm environments, provisioned concurrency per alias, the scaling rate and
 * the SDK retry quota. Its limits are Lambda's (scaling/lambda-concurrency); its arithmetic is Little's law,
 * concurrency = arrivals x duration, one second at a time.
 */
export class FluidFunction {
  readonly name: string;
  readonly reserved: number | undefined;
  private readonly busySeconds = new Float64Array(ringSteps);
  private readonly scalingRate: TokenBucket;
  private environments = 0;
  /** Peak concurrency of each of the last ten minutes: environments idle longer are reclaimed (Part A, B 5.21). */
  private readonly minutePeaks = new Float64Array(Math.ceil(lambdaDefaults.idleReclaimMs / 60_000));
  private currentMinute = -1;
  readonly provisioned = new Map<string, number>();
  private readonly pendingProvisioned: { qualifier: string; count: number; applyAtMs: number }[] = [];
  private quotaTokens: number = sdkRetryDefaults.quotaTokens;
  private readonly admitted = new Map<string, number>();
  /**
   * What this second's new invocations hold of it while they wait for a retry, and how many were admitted: what
   * one more costs of the second it arrives in. Their later seconds need no guess: they are committed ahead
   * (busySeconds), and each coming second's admission sees them.
   */
  private waitedThisStep = 0;
  private admittedThisStep = 0;
  private waitPerInvocation = 0;
  private clients = 1;
  /** The concurrency this second's admission allowed the function. */
  private limitThisStep = Number.POSITIVE_INFINITY;

  constructor(private readonly options: FluidFunctionOptions) {
    this.name = options.fn.name;
    this.reserved = options.fn.reservedConcurrency;
    for (const [qualifier, count] of Object.entries(options.fn.provisioned)) this.provisioned.set(qualifier, count);
    this.provisionedTotal = [...this.provisioned.values()].reduce((a, b) => a + b, 0);
    this.scalingRate = new TokenBucket({
      ratePerSecond: lambdaDefaults.environmentsPer10Seconds / 10,
      capacity: lambdaDefaults.environmentsPer10Seconds,
      startMs: options.startMs,
    });
  }

  /** Average concurrency already committed to `step` (busy seconds in a one-second step). */
  busyAt(step: number): number {
    return this.busySeconds[step % ringSteps] as number;
  }

  /** Commits busy time to a coming second. */
  addBusy(step: number, seconds: number): void {
    this.busySeconds[step % ringSteps] = (this.busySeconds[step % ringSteps] as number) + seconds;
  }

  /** Provisioned concurrency of every alias together (kept current: it is read several times a second). */
  provisionedTotal = 0;

  /** Whether a change of an alias's provisioned concurrency is still being applied. */
  provisionedPending(qualifier: string): boolean {
    return this.provisionedAppliesAtMs(qualifier) !== undefined;
  }

  /** When the last pending change of an alias's provisioned concurrency applies (undefined: none pending). */
  provisionedAppliesAtMs(qualifier: string): number | undefined {
    let last: number | undefined;
    for (const change of this.pendingProvisioned)
      if (change.qualifier === qualifier && (last === undefined || change.applyAtMs > last)) last = change.applyAtMs;
    return last;
  }

  /** Starts a change of provisioned concurrency; it applies after the change delay. */
  setProvisioned(qualifier: string, count: number, nowMs: number): void {
    this.pendingProvisioned.push({ qualifier, count, applyAtMs: nowMs + this.options.provisionedChangeDelayMs });
  }

  /**
   * Admits this second's invocations: Lambda's rate ceilings (B 5.5) and the concurrency left under `limit` given
   * what earlier invocations still hold, each new one holding its environment `occupancySeconds`. New environments
   * beyond the warm ones are cold starts, at the scaling rate (B 5.6).
   */
  admit(step: number, nowMs: number, demand: ReadonlyMap<string, number>, limit: number, occupancySeconds: number): FunctionAdmission {
    this.applyDue(nowMs);
    this.limitThisStep = limit;
    // Reused every second (a day has 86,400 of them): callers read it before the next call. Every key of `demand` is
    // set below, so nothing of the last second's survives (and a cleared Map would allocate its table again).
    const admitted = this.admitted;
    for (const [qualifier, count] of demand) {
      const provisioned = this.provisioned.get(qualifier) ?? 0;
      admitted.set(qualifier, provisioned > 0 ? Math.min(count, provisionedRateCeiling(provisioned)) : count);
    }
    let total = 0;
    for (const count of admitted.values()) total += count;
    const room = Math.max(0, limit - this.busyAt(step));
    // Throttled DynamoDB calls keep invocations waiting for retries: admit as many as fit in this second at what a
    // new one held of its second lately (runDynamoDb turns away those that do not fit after all).
    const cost = occupancySeconds + this.waitPerInvocation;
    const allowed = Math.min(total, functionRateCeiling(this.reserved, this.options.accountConcurrency), room / cost);
    this.admittedThisStep += allowed;
    const scale = total > 0 ? allowed / total : 0;
    for (const [qualifier, count] of admitted) admitted.set(qualifier, count * scale);
    const concurrency = this.busyAt(step) + allowed * occupancySeconds;
    const warm = Math.max(this.environments, this.provisionedTotal);
    const started = concurrency > warm ? this.scalingRate.takeUpTo(concurrency - warm, nowMs) : 0;
    this.environments = Math.max(this.environments, warm) + started;
    this.notePeak(nowMs, concurrency);
    this.growQuota();
    return { admitted, coldShare: allowed > 0 ? Math.min(1, started / allowed) : 0 };
  }

  /**
   * Of `waiting` new invocations that would each hold `holdSeconds` more of this second, how many do not fit under
   * the second's concurrency limit beside what is already committed to it. Those are taken back from this second's
   * admissions; the others' hold is what the next second's admission prices a new invocation at.
   */
  beyondRoom(step: number, waiting: number, holdSeconds: number): number {
    const room = Math.max(0, this.limitThisStep - this.busyAt(step));
    const away = Math.max(0, waiting - room / holdSeconds);
    this.admittedThisStep -= away;
    this.waitedThisStep += (waiting - away) * holdSeconds;
    return away;
  }

  /** Takes the quota for up to `retries` throttling retries; returns how many may retry. */
  takeRetries(retries: number): number {
    const cost = sdkRetryDefaults.throttlingRetryCost;
    const allowed = Math.min(retries, Math.max(0, this.quotaTokens) / cost);
    this.quotaTokens -= allowed * cost;
    return allowed;
  }

  /** Successes give the quota back: 1 each without a retry, the last retry's cost after one (B 8.4). */
  recordSuccesses(firstTry: number, afterRetry: number): void {
    const refund = firstTry * sdkRetryDefaults.successIncrement + afterRetry * sdkRetryDefaults.throttlingRetryCost;
    this.quotaTokens = Math.min(this.quotaCapacity(), this.quotaTokens + refund);
  }

  /** Clears a second that has passed, so the ring can hold a later one. */
  finishStep(step: number): void {
    this.busySeconds[step % ringSteps] = 0;
    if (this.admittedThisStep > 0) this.waitPerInvocation = this.waitedThisStep / this.admittedThisStep;
    this.waitedThisStep = 0;
    this.admittedThisStep = 0;
  }

  /** Each new execution environment brings a client with a full quota when quotas are per environment. */
  private growQuota(): void {
    if (this.options.retryQuotaScope !== 'environment') return;
    const clients = Math.max(1, Math.ceil(this.environments));
    if (clients > this.clients) this.quotaTokens += (clients - this.clients) * sdkRetryDefaults.quotaTokens;
    this.clients = Math.max(this.clients, clients);
  }

  private quotaCapacity(): number {
    return this.options.retryQuotaScope === 'environment' ? this.clients * sdkRetryDefaults.quotaTokens : sdkRetryDefaults.quotaTokens;
  }

  private notePeak(nowMs: number, concurrency: number): void {
    const minute = Math.floor(nowMs / 60_000);
    const slots = this.minutePeaks.length;
    if (minute !== this.currentMinute) {
      for (let m = Math.max(this.currentMinute + 1, minute - slots + 1); m <= minute; m++) this.minutePeaks[m % slots] = 0;
      this.currentMinute = minute;
      // Environments unused for the whole reclaim window are gone (their clients with them).
      let peak = 0;
      for (const value of this.minutePeaks) peak = Math.max(peak, value);
      this.environments = Math.min(this.environments, Math.max(peak, concurrency));
    }
    this.minutePeaks[minute % slots] = Math.max(this.minutePeaks[minute % slots] as number, concurrency);
  }

  private applyDue(nowMs: number): void {
    for (let i = 0; i < this.pendingProvisioned.length; i++) {
      const change = this.pendingProvisioned[i] as (typeof this.pendingProvisioned)[number];
      if (change.applyAtMs > nowMs) continue;
      this.pendingProvisioned.splice(i--, 1);
      this.provisionedTotal += change.count - (this.provisioned.get(change.qualifier) ?? 0);
      this.provisioned.set(change.qualifier, change.count);
    }
  }
}
