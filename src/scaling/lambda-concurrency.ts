import { TokenBucket } from './token-bucket.ts';

/** Lambda's documented defaults (docs/aws-facts.md B 5.1-5.6, Part A). */
export const lambdaDefaults = {
  accountConcurrency: 1_000,
  /** Always left for functions without reservations (B 5.2). */
  unreservedMinimum: 100,
  /** New execution environments per function per 10 seconds, refilled continuously (B 5.6). */
  environmentsPer10Seconds: 1_000,
  /** Idle environments are reclaimed after this (Part A decision; AWS does not publish it, B 5.21). */
  idleReclaimMs: 600_000,
  /** Provisioned concurrency changes take effect after this (Part A). */
  provisionedChangeDelayMs: 60_000,
  /**
   * Requests per second one execution environment serves at most: a function's invocation rate is capped at this
   * times its concurrency limit (reserved, or the account's), a provisioned alias's at this times its provisioned
   * concurrency (B 5.5).
   */
  requestsPerSecondPerEnvironment: 10,
} as const;

/**
 * The invocation-rate ceiling of a function (B 5.5): 10 requests per second per unit of its concurrency limit, its
 * reservation or else the account's.
 */
export function functionRateCeiling(reservedConcurrency: number | undefined, accountConcurrency: number): number {
  return lambdaDefaults.requestsPerSecondPerEnvironment * (reservedConcurrency ?? accountConcurrency);
}

/** The invocation-rate ceiling of a provisioned alias: 10 requests per second per provisioned environment (B 5.5). */
export function provisionedRateCeiling(provisionedConcurrency: number): number {
  return lambdaDefaults.requestsPerSecondPerEnvironment * provisionedConcurrency;
}

/** The pool shared by functions without reservations: the account's concurrency minus every reservation (B 5.2). */
export function unreservedPool(accountConcurrency: number, reservations: readonly (number | undefined)[]): number {
  return accountConcurrency - reservations.reduce<number>((sum, reserved) => sum + (reserved ?? 0), 0);
}

/** A function's concurrency configuration, from the template. */
export interface FunctionConcurrencySpec {
  readonly functionName: string;
  readonly reservedConcurrency?: number | undefined;
  /** Provisioned concurrency per qualifier (alias name). */
  readonly provisioned?: Readonly<Record<string, number>> | undefined;
}

/** One execution environment: serves one request at a time. */
export interface ExecutionEnvironment {
  readonly id: number;
  readonly functionName: string;
  /** Qualifier whose provisioned concurrency this environment belongs to; undefined for on-demand ones. */
  readonly provisionedFor: string | undefined;
  busy: boolean;
  lastUsedMs: number;
  /** False until its first invocation has paid the init (on-demand cold start). */
  initialized: boolean;
  retired: boolean;
}

/** Why an invocation was refused (Lambda's TooManyRequestsException Reason, B 5.15). */
export type LambdaThrottleReason =
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'ConcurrentInvocationLimitExceeded'
  | 'FunctionInvocationRateLimitExceeded'
  | 'ReservedFunctionInvocationRateLimitExceeded';

/** Result of asking for an environment. */
export type Acquisition =
  | { readonly ok: true; readonly environment: ExecutionEnvironment; readonly coldStart: boolean; readonly spillover: boolean }
  | { readonly ok: false; readonly reason: LambdaThrottleReason };

/** Options of {@link LambdaConcurrency}. */
export interface LambdaConcurrencyOptions {
  readonly functions: readonly FunctionConcurrencySpec[];
  readonly startMs: number;
  /** @default 1,000 */
  readonly accountConcurrency?: number;
  /** @default 600,000 ms (10 minutes), already divided by any time scale */
  readonly idleReclaimMs?: number;
  /** @default 60,000 ms, already divided by any time scale */
  readonly provisionedChangeDelayMs?: number;
}

interface FunctionState {
  /** Replaced when the reservation changes (PutFunctionConcurrency). */
  spec: FunctionConcurrencySpec;
  readonly environments: ExecutionEnvironment[];
  readonly scalingRate: TokenBucket;
  provisioned: Record<string, number>;
  /** Invocation requests in the current second, per function ('') and per provisioned qualifier. */
  readonly requestsThisSecond: Map<string, { second: number; count: number }>;
}

/** A reservation that would leave the account less than its unreserved minimum; the message is AWS's. */
export class UnreservedMinimumError extends RangeError {
  constructor(minimum: number) {
    super(
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimum}].`,
    );
  }
}

/**
 * Lambda's concurrency rules as a pure model: account pool with 100 always unreserved, reserved concurrency as a
 * cap and a guarantee, provisioned environments with spill-over to on-demand ones, the scaling rate, idle reclaim.
 * The local runtime asks it for an environment before each invocation and gives it back after.
 */
export class LambdaConcurrency {
  private readonly functions = new Map<string, FunctionState>();
  private readonly accountConcurrency: number;
  private readonly idleReclaimMs: number;
  private readonly provisionedChangeDelayMs: number;
  private readonly pendingProvisioned: { functionName: string; qualifier: string; count: number; applyAtMs: number }[] = [];
  private nextId = 1;

  constructor(options: LambdaConcurrencyOptions) {
    this.accountConcurrency = options.accountConcurrency ?? lambdaDefaults.accountConcurrency;
    this.idleReclaimMs = options.idleReclaimMs ?? lambdaDefaults.idleReclaimMs;
    this.provisionedChangeDelayMs = options.provisionedChangeDelayMs ?? lambdaDefaults.provisionedChangeDelayMs;
    const reservedTotal = options.functions.reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);
    if (reservedTotal > this.accountConcurrency - lambdaDefaults.unreservedMinimum) {
      throw new RangeError(
        `reserved concurrency ${reservedTotal} leaves fewer than ${lambdaDefaults.unreservedMinimum} of ${this.accountConcurrency} unreserved`,
      );
    }
    for (const spec of options.functions) {
      const state: FunctionState = {
        spec,
        environments: [],
        scalingRate: new TokenBucket({
          ratePerSecond: lambdaDefaults.environmentsPer10Seconds / 10,
          capacity: lambdaDefaults.environmentsPer10Seconds,
          startMs: options.startMs,
        }),
        provisioned: {},
        requestsThisSecond: new Map(),
      };
      this.functions.set(spec.functionName, state);
      for (const [qualifier, count] of Object.entries(spec.provisioned ?? {}))
        this.applyProvisioned(state, qualifier, count, options.startMs);
    }
  }

  /**
   * An environment for one invocation of `functionName` (through `qualifier`, e.g. alias "live"): an idle
   * provisioned one first, then an idle on-demand one, then a new one if every limit allows.
   */
  acquire(functionName: string, qualifier: string | undefined, nowMs: number): Acquisition {
    this.tick(nowMs);
    const state = this.state(functionName);
    const rateRefusal = this.admitRate(state, qualifier, nowMs);
    if (rateRefusal) return { ok: false, reason: rateRefusal };
    const hasProvisioned = qualifier !== undefined && (state.provisioned[qualifier] ?? 0) > 0;
    const idle = (provisionedFor: string | undefined) =>
      state.environments.find((e) => !e.busy && !e.retired && e.provisionedFor === provisionedFor);
    const warmProvisioned = hasProvisioned ? idle(qualifier) : undefined;
    const candidate = warmProvisioned ?? idle(undefined);
    const reserved = state.spec.reservedConcurrency;
    const busy = state.environments.filter((e) => e.busy).length;
    if (reserved !== undefined && busy >= reserved) return { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    if (candidate) {
      candidate.busy = true;
      candidate.lastUsedMs = nowMs;
      const coldStart = !candidate.initialized;
      candidate.initialized = true;
      return { ok: true, environment: candidate, coldStart, spillover: hasProvisioned && candidate.provisionedFor === undefined };
    }
    if (reserved === undefined && this.unreservedInUse() >= this.unreservedCapacity())
      return { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
    if (!state.scalingRate.tryTake(1, nowMs)) return { ok: false, reason: 'FunctionInvocationRateLimitExceeded' };
    const environment = this.createEnvironment(state, undefined, nowMs);
    environment.busy = true;
    environment.initialized = true;
    return { ok: true, environment, coldStart: true, spillover: hasProvisioned };
  }

  /**
   * The request-rate ceiling (B 5.5): 10 requests per second per unit of the function's concurrency limit, and per
   * unit of a provisioned alias's provisioned concurrency; counted in whole seconds. Undefined when admitted.
   */
  private admitRate(state: FunctionState, qualifier: string | undefined, nowMs: number): LambdaThrottleReason | undefined {
    const reserved = state.spec.reservedConcurrency;
    const functionLimit = functionRateCeiling(reserved, this.accountConcurrency);
    const provisioned = qualifier !== undefined ? (state.provisioned[qualifier] ?? 0) : 0;
    const second = Math.floor(nowMs / 1000);
    const countOf = (key: string) => {
      const entry = state.requestsThisSecond.get(key);
      return entry?.second === second ? entry.count : 0;
    };
    if (countOf('') >= functionLimit)
      return reserved !== undefined ? 'ReservedFunctionInvocationRateLimitExceeded' : 'FunctionInvocationRateLimitExceeded';
    if (provisioned > 0 && qualifier !== undefined && countOf(qualifier) >= provisionedRateCeiling(provisioned))
      return 'FunctionInvocationRateLimitExceeded';
    state.requestsThisSecond.set('', { second, count: countOf('') + 1 });
    if (provisioned > 0 && qualifier !== undefined) state.requestsThisSecond.set(qualifier, { second, count: countOf(qualifier) + 1 });
    return undefined;
  }

  /** Gives an environment back after its invocation. */
  release(environment: ExecutionEnvironment, nowMs: number): void {
    environment.busy = false;
    environment.lastUsedMs = nowMs;
    if (environment.retired) this.remove(environment);
  }

  /** Drops an environment that crashed or timed out (Lambda resets it, B 5.20). */
  discard(environment: ExecutionEnvironment): void {
    environment.busy = false;
    environment.retired = true;
    this.remove(environment);
  }

  /**
   * Sets a function's reserved concurrency, or removes it (undefined), as Put/DeleteFunctionConcurrency do: at once
   * for new invocations; environments already busy finish. Refused when the reservations would leave fewer than the
   * account's unreserved minimum (B 5.2: 100 of 1,000), with AWS's wording.
   */
  setReserved(functionName: string, reserved: number | undefined): void {
    const state = this.state(functionName);
    const others = [...this.functions.values()].reduce((sum, s) => sum + (s === state ? 0 : (s.spec.reservedConcurrency ?? 0)), 0);
    if (reserved !== undefined && others + reserved > this.accountConcurrency - lambdaDefaults.unreservedMinimum)
      throw new UnreservedMinimumError(lambdaDefaults.unreservedMinimum);
    state.spec = { ...state.spec, reservedConcurrency: reserved };
  }

  /** Schedules a change of provisioned concurrency; it applies after the change delay. */
  setProvisioned(functionName: string, qualifier: string, count: number, nowMs: number): void {
    this.state(functionName);
    this.pendingProvisioned.push({ functionName, qualifier, count, applyAtMs: nowMs + this.provisionedChangeDelayMs });
  }

  /** Applies due provisioned changes and reclaims idle on-demand environments. Returns the retired ones. */
  tick(nowMs: number): ExecutionEnvironment[] {
    for (const change of this.pendingProvisioned.filter((c) => c.applyAtMs <= nowMs)) {
      this.pendingProvisioned.splice(this.pendingProvisioned.indexOf(change), 1);
      this.applyProvisioned(this.state(change.functionName), change.qualifier, change.count, change.applyAtMs);
    }
    const retired: ExecutionEnvironment[] = [];
    for (const state of this.functions.values()) {
      for (const environment of [...state.environments]) {
        if (!environment.busy && environment.provisionedFor === undefined && nowMs - environment.lastUsedMs >= this.idleReclaimMs) {
          environment.retired = true;
          this.remove(environment);
          retired.push(environment);
        }
      }
    }
    return retired;
  }

  /** Concurrency figures of one function right now. */
  snapshot(functionName: string): {
    busy: number;
    environments: number;
    provisionedBusy: number;
    provisioned: number;
    reserved: number | undefined;
  } {
    const state = this.state(functionName);
    const live = state.environments.filter((e) => !e.retired);
    return {
      busy: live.filter((e) => e.busy).length,
      environments: live.length,
      provisionedBusy: live.filter((e) => e.busy && e.provisionedFor !== undefined).length,
      provisioned: Object.values(state.provisioned).reduce((a, b) => a + b, 0),
      reserved: state.spec.reservedConcurrency,
    };
  }

  /** Provisioned concurrency of `qualifier` now, and when its last pending change applies (undefined: none pending). */
  provisionedOf(functionName: string, qualifier: string): { count: number; appliesAtMs: number | undefined } {
    let appliesAtMs: number | undefined;
    for (const change of this.pendingProvisioned)
      if (change.functionName === functionName && change.qualifier === qualifier)
        appliesAtMs = Math.max(appliesAtMs ?? change.applyAtMs, change.applyAtMs);
    return { count: this.state(functionName).provisioned[qualifier] ?? 0, appliesAtMs };
  }

  /** Busy provisioned environments of `qualifier`. */
  provisionedBusy(functionName: string, qualifier: string): number {
    return this.state(functionName).environments.filter((e) => e.busy && !e.retired && e.provisionedFor === qualifier).length;
  }

  /** Environments of a function that are provisioned and waiting for their initialisation. */
  environmentsOf(functionName: string): readonly ExecutionEnvironment[] {
    return this.state(functionName).environments;
  }

  private applyProvisioned(state: FunctionState, qualifier: string, count: number, nowMs: number): void {
    state.provisioned[qualifier] = count;
    const current = state.environments.filter((e) => e.provisionedFor === qualifier && !e.retired);
    for (let i = current.length; i < count; i++) {
      // Provisioned environments are initialised at allocation (B 5.10): never a cold start for a request.
      this.createEnvironment(state, qualifier, nowMs).initialized = true;
    }
    for (const environment of current.slice(count)) {
      environment.retired = true;
      if (!environment.busy) this.remove(environment);
    }
  }

  private createEnvironment(state: FunctionState, provisionedFor: string | undefined, nowMs: number): ExecutionEnvironment {
    const environment: ExecutionEnvironment = {
      id: this.nextId++,
      functionName: state.spec.functionName,
      provisionedFor,
      busy: false,
      lastUsedMs: nowMs,
      initialized: false,
      retired: false,
    };
    state.environments.push(environment);
    return environment;
  }

  private remove(environment: ExecutionEnvironment): void {
    const list = this.state(environment.functionName).environments;
    const at = list.indexOf(environment);
    if (at >= 0) list.splice(at, 1);
  }

  /** The pool shared by functions without reservations: account minus all reservations (B 5.2). */
  private unreservedCapacity(): number {
    return unreservedPool(
      this.accountConcurrency,
      [...this.functions.values()].map((state) => state.spec.reservedConcurrency),
    );
  }

  /** Unreserved concurrency in use: busy on-demand environments plus every allocated provisioned one (B 5.8). */
  private unreservedInUse(): number {
    let used = 0;
    for (const state of this.functions.values()) {
      if (state.spec.reservedConcurrency !== undefined) continue;
      for (const e of state.environments) if (!e.retired && (e.busy || e.provisionedFor !== undefined)) used++;
    }
    return used;
  }

  private state(functionName: string): FunctionState {
    const state = this.functions.get(functionName);
    if (!state) throw new RangeError(`unknown function ${functionName}`);
    return state;
  }
}
