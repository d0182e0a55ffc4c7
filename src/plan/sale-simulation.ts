import { AppError } from '../common/app-error.ts';
import type { MixWeights } from '../load/step-mix.ts';
import { ApiGatewayThrottle } from '../scaling/api-gateway-throttle.ts';
import { lambdaDefaults, unreservedPool } from '../scaling/lambda-concurrency.ts';
import { type RetryQuotaScope, throttlingRetryWindowMs } from '../scaling/sdk-retry.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import { TableCapacity, tableCapacitySpec } from '../scaling/table-capacity.ts';
import { FluidFunction } from './fluid-function.ts';
import { PlanControlPlane } from './plan-control-plane.ts';
import type { Prediction } from './prediction.ts';
import { PredictionRecorder } from './prediction-recorder.ts';
import type { RequestDemand } from './request-demand.ts';
import { firstSecondHold } from './retry-hold.ts';
import { type Cohort, RetryQueue } from './retry-queue.ts';
import { type ResolvedOperation, TableResources } from './table-resource.ts';
import { kindsOf, mixShares, secondsOf, sharesOf, type TrafficProfile } from './traffic-profile.ts';
import { WindowedMetrics } from './windowed-metrics.ts';

/** How long the parts of a request take, apart from the waits the models decide. */
export interface PlanTimings {
  /** One invocation's own time, DynamoDB calls included, without throttling waits. @default 10 */
  readonly invocationMs: number;
  /** Added to an invocation that starts a new execution environment (the local cloud's modelled init). @default 250 */
  readonly coldStartMs: number;
  /** What the gateway adds, and all a 429 or a Lambda throttle takes. @default 2 */
  readonly gatewayMs: number;
}

/** Defaults of {@link PlanTimings}: close to what the local cloud measures on a laptop for the product API. */
export const defaultTimings: PlanTimings = { invocationMs: 10, coldStartMs: 250, gatewayMs: 2 };

/** Options of {@link simulateSale}. */
export interface SimulationOptions {
  readonly model: StackModel;
  readonly profile: TrafficProfile;
  /** What each kind of the profile's mix does. */
  readonly demand: readonly RequestDemand[];
  readonly burstStartsFull: boolean;
  /** How long after the data alarms act (B 7.10). @default 0 */
  readonly alarmDelayMs?: number | undefined;
  /** How long an UpdateTable takes to apply. @default 60,000 */
  readonly capacityApplyMs?: number | undefined;
  /** Virtual time of the profile's first second: the run's start, which the template's schedules are relative to. */
  readonly startMs: number;
  /** @default 'environment' (AWS: each execution environment has its own SDK client) */
  readonly retryQuotaScope?: RetryQuotaScope | undefined;
  readonly timings?: PlanTimings | undefined;
  /** @default 1,000 */
  readonly accountConcurrency?: number | undefined;
  /** Seconds simulated after the profile so that waiting retries finish. @default 30 */
  readonly drainSeconds?: number | undefined;
  /**
   * Stop as soon as more requests than this have failed (429, 500 or 503): a search only needs to know that a
   * candidate exceeds its error budget, not by how much. The prediction is then marked `stoppedEarly`.
   */
  readonly errorBudget?: number | undefined;
}

/** What a call refused on its first attempt holds of that second while it waits for its retry (retry-queue.ts). */
const firstRetryHoldSeconds = firstSecondHold(throttlingRetryWindowMs(0) / 1000);

/** Fewer requests than this are rounding error, not traffic. */
const negligible = 1e-6;

/** A profile or stack the simulation cannot run. */
export class PlanInputError extends AppError {
  constructor(message: string) {
    super('PLAN_INPUT_INVALID', message);
  }
}

interface KindRoute {
  readonly demand: RequestDemand;
  readonly operations: readonly ResolvedOperation[];
  readonly share: number;
  readonly methodKey: string;
  readonly fn: FluidFunction;
  readonly qualifier: string;
}

/**
 * Predicts what a profile does to a stack without sending a request: each virtual second, the profile's arrivals go
 * through the gateway's buckets, Lambda's limits, and the tables' capacity, with the SDK's retries and their waits,
 * while CloudWatch alarms and Application Auto Scaling act on the metrics this produces. The models are the ones
 * the local cloud enforces (src/scaling); only the arithmetic is over request counts instead of requests.
 */
export function simulateSale(options: SimulationOptions): Prediction {
  const { model, profile, startMs } = options;
  const timings = options.timings ?? defaultTimings;
  const accountConcurrency = options.accountConcurrency ?? lambdaDefaults.accountConcurrency;
  const functions = new Map(
    model.functions.map((fn) => [
      fn.name,
      new FluidFunction({
        fn,
        accountConcurrency,
        startMs,
        retryQuotaScope: options.retryQuotaScope ?? 'environment',
        provisionedChangeDelayMs: lambdaDefaults.provisionedChangeDelayMs,
      }),
    ]),
  );
  const tables = new Map(
    model.tables.map((table) => [
      table.tableName,
      new TableCapacity({
        tableName: table.tableName,
        startMs,
        burstStartsFull: options.burstStartsFull,
        updateApplyDelayMs: options.capacityApplyMs ?? 60_000,
        spec: tableCapacitySpec(table),
      }),
    ]),
  );
  const resources = new TableResources(tables);
  const routes = routeKinds(model, profile, options.demand, functions, resources);
  const gateway = new ApiGatewayThrottle({ stageDefault: model.api?.defaultThrottle, startMs });
  const controlPlane = new PlanControlPlane({ model, tables, functions, startMs, alarmDelayMs: options.alarmDelayMs ?? 0 });
  const seconds = secondsOf(profile);
  const totalSteps = seconds.length + (options.drainSeconds ?? 30);
  const recorder = new PredictionRecorder(
    model,
    profile,
    tables,
    functions,
    new WindowedMetrics(controlPlane.metrics, (id) => controlPlane.watches(id), controlPlane.metricWindowMs),
    totalSteps,
  );
  // A traced step's own mix, as shares per route (one array per mix object: steps share them).
  const shareTables = new Map<MixWeights, Float64Array>();
  const sharesFor = (mix: MixWeights) => {
    let table = shareTables.get(mix);
    if (!table) {
      const shares = new Map(sharesOf(mix));
      table = Float64Array.from(routes, (r) => shares.get(r.demand.kind) ?? 0);
      shareTables.set(mix, table);
    }
    return table;
  };
  const retries = new RetryQueue();
  const unreserved = unreservedPool(
    accountConcurrency,
    model.functions.map((fn) => fn.reservedConcurrency),
  );
  const occupancy = timings.invocationMs / 1000;
  // Per-second scratch, reused: a day has 86,400 seconds.
  const arrivals = new Map<FluidFunction, Map<string, number>>();
  for (const route of routes) if (!arrivals.has(route.fn)) arrivals.set(route.fn, new Map());
  const admittedByRoute = new Float64Array(routes.length);
  const invokedByRoute = new Float64Array(routes.length);
  const coldByRoute = new Float64Array(routes.length);
  /** New invocations Lambda turned away after all: waiting retries had filled the function's concurrency. */
  const turnedAwayByRoute = new Float64Array(routes.length);
  /** Busy seconds `invoked` new invocations hold of their second, `cold` of them starting an environment. */
  const heldBy = (invoked: number, cold: number) => invoked * occupancy + (cold * timings.coldStartMs) / 1000;
  const due: Cohort[] = [];
  const admissions = new Map<FluidFunction, { share: Map<string, number>; coldShare: number }>();
  for (const fn of arrivals.keys()) admissions.set(fn, { share: new Map(), coldShare: 0 });

  for (let step = 0; step < totalSteps; step++) {
    const nowMs = startMs + step * 1000;
    recorder.at(nowMs);
    for (const { transition, activity } of controlPlane.tick(nowMs)) {
      if (transition) recorder.alarm(transition, step);
      if (activity) recorder.activity(activity, step);
    }
    const second = seconds[step];
    // Zeroed, not cleared: a cleared Map gives up its table and the next set allocates one (every second of a day).
    for (const demand of arrivals.values()) for (const qualifier of demand.keys()) demand.set(qualifier, 0);
    const stepShares = second?.mix ? sharesFor(second.mix) : undefined;
    for (let index = 0; index < routes.length; index++) {
      const route = routes[index] as KindRoute;
      const offered = second ? second.requests * (stepShares ? (stepShares[index] as number) : route.share) : 0;
      const admitted = gateway.admitCount(route.methodKey, offered, nowMs);
      recorder.arrived(step, second?.phaseIndex, offered, offered - admitted, timings.gatewayMs);
      admittedByRoute[index] = admitted;
      const demand = arrivals.get(route.fn) as Map<string, number>;
      demand.set(route.qualifier, (demand.get(route.qualifier) ?? 0) + admitted);
    }
    // Functions without a reservation share what the reservations leave, less what the others hold.
    let unreservedBusy = 0;
    for (const fn of functions.values()) if (fn.reserved === undefined) unreservedBusy += Math.max(fn.busyAt(step), fn.provisionedTotal);
    // The retries due come first: they already hold their environments, and this second's new invocations wait
    // only in the room they leave (runDynamoDb).
    retries.takeInto(step, due);
    for (const [fn, demand] of arrivals) {
      const limit = fn.reserved ?? unreserved - (unreservedBusy - Math.max(fn.busyAt(step), fn.provisionedTotal));
      const admission = fn.admit(step, nowMs, demand, limit, occupancy);
      const entry = admissions.get(fn) as { share: Map<string, number>; coldShare: number };
      for (const [qualifier, count] of demand) entry.share.set(qualifier, count > 0 ? (admission.admitted.get(qualifier) ?? 0) / count : 0);
      entry.coldShare = admission.coldShare;
    }
    for (let index = 0; index < routes.length; index++) {
      const route = routes[index] as KindRoute;
      const admittedHere = admittedByRoute[index] as number;
      invokedByRoute[index] = 0;
      coldByRoute[index] = 0;
      turnedAwayByRoute[index] = 0;
      const admission = admissions.get(route.fn);
      if (!admission || admittedHere <= 0) continue;
      const invoked = admittedHere * (admission.share.get(route.qualifier) ?? 0);
      recorder.lambdaThrottled(step, second?.phaseIndex, route.fn.name, admittedHere - invoked, timings.gatewayMs);
      // A cold start share too small to matter would double the cohorts for nothing.
      const cold = admission.coldShare > 1e-6 ? invoked * admission.coldShare : 0;
      route.fn.addBusy(step, heldBy(invoked, cold));
      invokedByRoute[index] = invoked;
      coldByRoute[index] = cold;
      const phase = second?.phaseIndex ?? 0;
      // This second's first calls, one cohort per route (and one for its cold starts): nothing to merge them with.
      const latencyMs = timings.gatewayMs + timings.invocationMs;
      if (invoked - cold > 0) due.push({ key: { route: index, operation: 0, attempt: 1, latencyMs, phase }, count: invoked - cold });
      if (cold > 0)
        due.push({ key: { route: index, operation: 0, attempt: 1, latencyMs: latencyMs + timings.coldStartMs, phase }, count: cold });
    }
    runDynamoDb(step, nowMs, routes, resources, due, retries, recorder, occupancy, turnedAwayByRoute);
    due.length = 0;
    for (let index = 0; index < routes.length; index++) {
      const route = routes[index] as KindRoute;
      const away = turnedAwayByRoute[index] as number;
      if (away > 0) recorder.lambdaThrottled(step, second?.phaseIndex, route.fn.name, away, timings.gatewayMs);
      const invoked = (invokedByRoute[index] as number) - away;
      if (invoked <= 0) continue;
      recorder.invoked(route.fn.name, route.qualifier, invoked, heldBy(invoked, Math.min(invoked, coldByRoute[index] as number)));
    }
    recorder.endStep(step, nowMs, second?.phaseIndex);
    for (const fn of functions.values()) fn.finishStep(step);
    if (options.errorBudget !== undefined && recorder.failures > options.errorBudget)
      return { ...recorder.finish(controlPlane.alarmCount, step + 1), stoppedEarly: true };
  }
  return recorder.finish(controlPlane.alarmCount, totalSteps);
}

/** Each kind of the mix with its route's function and alias, or a PlanInputError naming what is missing. */
function routeKinds(
  model: StackModel,
  profile: TrafficProfile,
  demand: readonly RequestDemand[],
  functions: ReadonlyMap<string, FluidFunction>,
  resources: TableResources,
): KindRoute[] {
  if (!model.api) throw new PlanInputError('the stack has no REST API to send the profile to');
  const api = model.api;
  const overall = new Map(mixShares(profile));
  return kindsOf(profile).map((kind) => {
    const share = overall.get(kind) ?? 0;
    const what = demand.find((d) => d.kind === kind);
    if (!what) throw new PlanInputError(`no demand model for request kind "${kind}"`);
    const route = api.routes.find((r) => r.method === what.method && r.resourcePath === what.resourcePath);
    if (!route) throw new PlanInputError(`the stack's API has no ${what.method} ${what.resourcePath} for "${kind}" requests`);
    const fn = functions.get(route.functionName);
    if (!fn) throw new PlanInputError(`route ${what.method} ${what.resourcePath} invokes ${route.functionName}, which the stack lacks`);
    return {
      demand: what,
      operations: what.operations.map((o) => resources.resolve(o)),
      share,
      methodKey: `${what.method} ${what.resourcePath}`,
      fn,
      qualifier: route.qualifier ?? '',
    };
  });
}

/**
 * This second's DynamoDB calls: new invocations' first calls and the retries due now, one stage per call of a
 * request (a request's second call runs in the same second as its first succeeded). Each table and index admits
 * the same share of everyone's demand (fluid admission); the rest waits for a retry or, out of attempts or quota,
 * is answered 503.
 */
function runDynamoDb(
  step: number,
  nowMs: number,
  routes: readonly KindRoute[],
  resources: TableResources,
  due: Cohort[],
  retries: RetryQueue,
  recorder: PredictionRecorder,
  occupancySeconds: number,
  turnedAway: Float64Array,
): void {
  const { demanded, share } = resources;
  for (let stage = 0; due.length > 0; stage++) {
    // Plain loops: this runs every second of a day, and every closure made here costs.
    const cohorts: Cohort[] = [];
    let later = false;
    for (const c of due) {
      if (c.key.operation === stage && c.count > 0) cohorts.push(c);
      else if (c.key.operation > stage) later = true;
    }
    if (cohorts.length === 0) {
      if (!later) break;
      continue;
    }
    demanded.fill(0);
    for (const cohort of cohorts) {
      const uses = (routes[cohort.key.route] as KindRoute).operations[stage]?.uses;
      if (!uses) continue;
      for (let u = 0; u < uses.length; u++) {
        const use = uses[u] as (typeof uses)[number];
        demanded[use.resource.index] = (demanded[use.resource.index] as number) + use.units * cohort.count;
      }
    }
    for (const resource of resources.all) {
      const units = demanded[resource.index] as number;
      if (units <= 0) continue;
      const available = resource.table.admissibleUnits(resource.indexName, resource.kind, nowMs);
      share[resource.index] = Math.min(1, available / units);
      recorder.demanded(resource, units);
    }
    for (const cohort of cohorts) {
      const route = routes[cohort.key.route] as KindRoute;
      const operation = route.operations[stage];
      if (!operation) continue;
      const uses = operation.uses;
      let admittedShare = 1;
      let limiting = uses[0]?.resource;
      for (let u = 0; u < uses.length; u++) {
        const use = uses[u] as (typeof uses)[number];
        const s = share[use.resource.index] as number;
        if (s < admittedShare) {
          admittedShare = s;
          limiting = use.resource;
        }
      }
      const admitted = cohort.count * admittedShare;
      for (let u = 0; u < uses.length; u++) {
        const { resource, units } = uses[u] as (typeof uses)[number];
        if (resource.kind === 'read') resource.table.chargeRead(resource.indexName, admitted * units, nowMs);
        else resource.table.chargeWrite(resource.indexName, admitted * units, nowMs);
        recorder.consumed(resource, admitted * units);
      }
      // Millionths of a request are rounding, not requests: following them would only multiply the cohorts.
      let refused = cohort.count - admitted > negligible ? cohort.count - admitted : 0;
      // A new invocation refused on its first call waits for its retry in its environment: Lambda's concurrency
      // fills within the second, and the arrivals after that are throttled by Lambda instead (500), as on AWS, where
      // the requests of a second arrive one after another. Those never reached DynamoDB. (A first call on its first
      // attempt is a new invocation's: retries come later attempts, later calls later stages.)
      if (refused > 0 && stage === 0 && cohort.key.attempt === 1) {
        const away = route.fn.beyondRoom(step, refused, firstRetryHoldSeconds);
        if (away > negligible) {
          turnedAway[cohort.key.route] = (turnedAway[cohort.key.route] as number) + away;
          route.fn.addBusy(step, -away * occupancySeconds);
          refused -= away;
        }
      }
      if (refused > 0 && limiting) recorder.dynamoDbThrottled(limiting, operation.operation, refused);
      if (stage === route.operations.length - 1) {
        route.fn.recordSuccesses(cohort.key.attempt === 1 ? admitted : 0, cohort.key.attempt > 1 ? admitted : 0);
        recorder.completed(step, cohort.key.phase, admitted, cohort.key.latencyMs);
      } else if (admitted > 0) {
        due.push({ key: { ...cohort.key, operation: stage + 1, attempt: 1 }, count: admitted });
      }
      if (refused > 0) retries.retry(step, cohort.key, refused, route.fn, recorder);
      cohort.count = 0;
    }
  }
}
