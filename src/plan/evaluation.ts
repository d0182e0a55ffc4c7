import type { StackConfig } from '../../infra/stack-config.ts';
import type { CheckResult, LoadCheck } from '../load/load-checks.ts';
import type { RetryQuotaScope } from '../scaling/sdk-retry.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import { candidateStack, type StackBases } from './candidate-stack.ts';
import type { LatticePosition } from './dominance-search.ts';
import type { Prediction } from './prediction.ts';
import type { PriceTable } from './prices.ts';
import type { RequestDemand } from './request-demand.ts';
import { costOfSale, type SaleCost } from './sale-cost.ts';
import { type PlanTimings, simulateSale } from './sale-simulation.ts';
import { checkPrediction } from './slo-checks.ts';
import { secondsOf, type TrafficProfile } from './traffic-profile.ts';
import { warmStarted } from './warm-start.ts';

/** Everything a plan holds fixed while it compares configurations. */
export interface PlanSettings {
  readonly bases: StackBases;
  /** The user's own `-c` options: every candidate starts from them. */
  readonly userContext: Readonly<Record<string, string>>;
  readonly profile: TrafficProfile;
  readonly demand: readonly RequestDemand[];
  readonly prices: PriceTable;
  readonly timings: PlanTimings;
  readonly checks: readonly LoadCheck[];
  readonly baselineRatePerSecond: number;
  readonly alarmDelayMs: number;
  readonly capacityApplyMs: number;
  /** Virtual time of the profile's start: what relative sales count from. */
  readonly anchorMs: number;
  readonly retryQuotaScope: RetryQuotaScope;
  /** A template given as it is (`--template`): evaluated without applying any context. */
  readonly fixedModel?: StackModel | undefined;
  /** `--warm-start`: every configuration starts where its scaling settles on the profile's first phase (warm-start.ts). */
  readonly warmStart?: boolean | undefined;
}

/** The stack a run of the plan starts from: as deployed, or warm-started. */
export function startingModel(settings: PlanSettings, model: StackModel): StackModel {
  return settings.warmStart ? warmStarted(model, settings.profile, settings.demand, settings.timings) : model;
}

/** A configuration to evaluate: `-c` options over the user's, and a short description. */
export interface Candidate {
  readonly label: string;
  readonly context: Readonly<Record<string, string>>;
  /** Which kind of answer it is, for saying why the winner beat the others. */
  readonly family?: CandidateFamily | undefined;
  /** A scheduled raise: minutes before the sale it comes. */
  readonly leadMinutes?: number | undefined;
  /** Where it sits among the candidates of its kind by capacity, for a search that skips the dominated. */
  readonly position?: LatticePosition | undefined;
}

/** The kinds of answer a search compares: on-demand, a permanent floor, or a scheduled raise for the sale. */
export type CandidateFamily = 'on-demand' | 'floor' | 'raise';

/** What a configuration does under each burst assumption, what it costs, and whether it meets the SLOs. */
export interface Evaluation {
  readonly candidate: Candidate;
  readonly model: StackModel;
  /** The stack's configuration; undefined for a template given as it is. */
  readonly config: StackConfig | undefined;
  /** The burst bucket full (AWS's usual state) and empty (burst is best effort); full is skipped when empty fails. */
  readonly predictions: { readonly full: Prediction | undefined; readonly empty: Prediction };
  readonly checks: { readonly full: CheckResult[] | undefined; readonly empty: CheckResult[] };
  readonly cost: SaleCost;
  readonly meetsSlo: boolean;
  /** Errors of the worse assumption, as a share of requests. */
  readonly errorShare: number;
  readonly p99Ms: number;
}

/** A candidate the stack refused. */
export interface Refusal {
  readonly candidate: Candidate;
  readonly problem: string;
}

/**
 * The most failed requests (429, 500, 503) the SLOs allow over the whole profile, from their unscoped `errors` and
 * `throttled` checks; undefined when none bounds them. A run past it cannot meet the SLOs, so a search stops it there.
 */
export function errorBudget(checks: readonly LoadCheck[], profile: TrafficProfile): number | undefined {
  const requests = secondsOf(profile).reduce((sum, s) => sum + s.requests, 0);
  const budgets = checks
    .filter(
      (c) => c.phase === undefined && (c.metric === 'errors' || c.metric === 'throttled') && (c.operator === '<' || c.operator === '<='),
    )
    .map((c) => (c.unit === '%' ? (c.value / 100) * requests : c.value));
  return budgets.length > 0 ? Math.min(...budgets) : undefined;
}

/** Simulates one stack with the plan's profile and assumptions. */
export function predict(
  settings: PlanSettings,
  model: StackModel,
  burstStartsFull: boolean,
  profile = settings.profile,
  budget?: number | undefined,
): Prediction {
  return simulateSale({
    errorBudget: budget,
    model,
    profile,
    demand: settings.demand,
    burstStartsFull,
    alarmDelayMs: settings.alarmDelayMs,
    capacityApplyMs: settings.capacityApplyMs,
    startMs: settings.anchorMs,
    retryQuotaScope: settings.retryQuotaScope,
    timings: settings.timings,
  });
}

/**
 * Evaluates a candidate with the burst bucket empty, then (when that meets the SLOs, or `always`) full: a
 * recommendation must hold under both, and an empty bucket is never easier.
 */
export function evaluate(settings: PlanSettings, candidate: Candidate, always = false, stopAtBudget = false): Evaluation | Refusal {
  const stack = settings.fixedModel
    ? { model: settings.fixedModel, config: undefined }
    : candidateStack(settings.bases, { ...settings.userContext, ...candidate.context }, settings.anchorMs);
  if ('problem' in stack) return { candidate, problem: stack.problem };
  const model = startingModel(settings, stack.model);
  const empty = predict(
    settings,
    model,
    false,
    settings.profile,
    stopAtBudget ? errorBudget(settings.checks, settings.profile) : undefined,
  );
  const emptyChecks = checkPrediction(settings.checks, empty, settings.profile);
  const emptyPasses = !empty.stoppedEarly && emptyChecks.every((c) => c.passed);
  const full = emptyPasses || always ? predict(settings, model, true) : undefined;
  const fullChecks = full && checkPrediction(settings.checks, full, settings.profile);
  const cost = costOfSale({
    model,
    profile: settings.profile,
    demand: settings.demand,
    prediction: full ?? empty,
    prices: settings.prices,
    timings: settings.timings,
    baselineRatePerSecond: settings.baselineRatePerSecond,
    simulatedSeconds: Math.max(1, simulatedSeconds(full ?? empty)),
  });
  const errors = (p: Prediction) => p.total.throttled.gateway + p.total.throttled.lambda + p.total.throttled.dynamodb;
  const worst = full && errors(full) > errors(empty) ? full : empty;
  // A run stopped at the budget has seen only part of the profile: its share is a lower bound, over all the requests.
  const requests = empty.stoppedEarly ? secondsOf(settings.profile).reduce((sum, s) => sum + s.requests, 0) : worst.total.requests;
  return {
    candidate,
    model,
    config: stack.config,
    predictions: { full, empty },
    checks: { full: fullChecks, empty: emptyChecks },
    cost,
    meetsSlo: emptyPasses && (fullChecks?.every((c) => c.passed) ?? false),
    errorShare: requests > 0 ? errors(worst) / requests : 0,
    p99Ms: Math.max(empty.total.p99Ms, full?.total.p99Ms ?? 0),
  };
}

/** Seconds a prediction covers. */
export function simulatedSeconds(prediction: Prediction): number {
  const last = prediction.timeline[prediction.timeline.length - 1];
  return last ? last.second + last.seconds : 0;
}

/** Cheapest first among those that meet the SLOs, then the rest by how close they came. */
export function rank(evaluations: readonly Evaluation[]): Evaluation[] {
  return [...evaluations].sort((a, b) => {
    if (a.meetsSlo !== b.meetsSlo) return a.meetsSlo ? -1 : 1;
    if (!a.meetsSlo) return a.errorShare - b.errorShare || a.cost.perMonthUsd - b.cost.perMonthUsd;
    // At the same price, the earlier raise: it has more time to apply.
    return (
      a.cost.perMonthUsd - b.cost.perMonthUsd ||
      a.cost.perEventUsd - b.cost.perEventUsd ||
      (b.candidate.leadMinutes ?? 0) - (a.candidate.leadMinutes ?? 0)
    );
  });
}
