import { UsageError } from '../common/usage-error.ts';
import type { LoadCheck } from '../load/load-checks.ts';
import { scaledPhase } from '../load/phase-segments.ts';
import { candidateSpace, type PeakDemand, peakDemand } from './candidate-space.ts';
import type { StackBases } from './candidate-stack.ts';
import { searchLattice } from './dominance-search.ts';
import { type Candidate, type Evaluation, evaluate, type PlanSettings, predict, type Refusal, rank } from './evaluation.ts';
import type { Prediction } from './prediction.ts';
import type { PriceTable } from './prices.ts';
import { productApiDemand } from './product-api-demand.ts';
import { defaultTimings } from './sale-simulation.ts';
import { mixShares, secondsOf, type TrafficProfile } from './traffic-profile.ts';

/**
 * What a plan starts from: the traffic, the stack (already synthesized or read: the planner does no I/O), the
 * prices, the SLOs and the assumptions. The CLI, the lab and the benches build one and call {@link planSale}.
 */
export interface PlanInput {
  readonly profile: TrafficProfile;
  /** The stack in both billing modes, as the user's context synthesizes it (src/stack/stack-bases.ts). */
  readonly bases: StackBases;
  /** The stack is a template given as it is: evaluated without applying any context, and not searchable. */
  readonly fixedTemplate?: boolean | undefined;
  /** The user's own `-c` options: every candidate starts from them. */
  readonly userContext: Readonly<Record<string, string>>;
  /** The SLOs, in `techmoda load --check`'s grammar. */
  readonly checks: readonly LoadCheck[];
  readonly prices: PriceTable;
  /** CloudWatch alarms act this long after their data. */
  readonly alarmDelayMs: number;
  /** An UpdateTable takes this long to apply. */
  readonly capacityApplyMs: number;
  /** Traffic for the rest of the month, for the monthly bill. */
  readonly baselineRatePerSecond: number;
  /** Catalogue size the demand is priced on. */
  readonly seed: number;
  /** The moment the profile's peak starts, for absolute sale times; otherwise the plan counts from `nowMs`. */
  readonly saleStartMs?: number | undefined;
  /** Wall-clock time the plan is made at: relative sales count from its whole minute. */
  readonly nowMs: number;
  /** Start every run where the deployed scaling settles on the profile's first phase (`--warm-start`). */
  readonly warmStart?: boolean | undefined;
}

/** A prepared plan: its settings, the profile's peak, and the given configuration evaluated. */
export interface PreparedPlan {
  readonly settings: PlanSettings;
  readonly peak: PeakDemand;
  readonly baseline: Evaluation;
}

/** A plan: the prepared plan and, when asked for, the search over the candidate configurations. */
export interface SalePlan extends PreparedPlan {
  readonly search: SearchResult | undefined;
}

/**
 * The planner's entry: prices the profile's demand on the stack, evaluates the given configuration under both burst
 * assumptions, and with `search` ranks the candidate configurations and picks the cheapest that meets the SLOs.
 */
export function planSale(input: PlanInput, options: { readonly search?: boolean } = {}): SalePlan {
  const prepared = preparePlan(input);
  return { ...prepared, search: options.search ? searchPlan(prepared, input.saleStartMs) : undefined };
}

/** Prices the demand and evaluates the given configuration under both burst assumptions. */
export function preparePlan(input: PlanInput): PreparedPlan {
  const { bases } = input;
  const demand = productApiDemand(bases.provisioned.tables, catalogueSize(input.profile, input.seed));
  const peak = peakDemand(input.profile, demand);
  const anchorMs =
    input.saleStartMs !== undefined ? input.saleStartMs - peak.saleStartSecond * 1000 : Math.floor(input.nowMs / 60_000) * 60_000;
  const settings: PlanSettings = {
    bases,
    userContext: input.userContext,
    profile: input.profile,
    demand,
    prices: input.prices,
    timings: defaultTimings,
    checks: input.checks,
    baselineRatePerSecond: input.baselineRatePerSecond,
    alarmDelayMs: input.alarmDelayMs,
    capacityApplyMs: input.capacityApplyMs,
    anchorMs,
    retryQuotaScope: 'environment',
    fixedModel: input.fixedTemplate ? bases.provisioned : undefined,
    warmStart: input.warmStart,
  };
  const baseline = evaluate(settings, { label: 'the given configuration', context: {} }, true);
  if ('problem' in baseline) throw new UsageError(baseline.problem);
  return { settings, peak, baseline };
}

/**
 * The catalogue the demand is priced on: the seeded products plus every create of the profile. Listings read fuller
 * pages as creates accumulate (a category's page of 20 items costs twice the half-empty one the seed gives), and the
 * catalogue at its fullest is the one the peak meets.
 */
export function catalogueSize(profile: TrafficProfile, seed: number): number {
  const createShare = mixShares(profile).find(([kind]) => kind === 'create')?.[1] ?? 0;
  const requests = secondsOf(profile).reduce((sum, s) => sum + s.requests, 0);
  return seed + Math.round(requests * createShare);
}

/** What a search found. */
export interface SearchResult {
  readonly ranked: Evaluation[];
  readonly refused: Refusal[];
  /** Candidates not simulated: the verdict of one beside them with no more capacity (meets) or no less (fails) decides. */
  readonly skipped: Skipped[];
  readonly recommendation: Evaluation | undefined;
  readonly saferRunnerUp: Evaluation | undefined;
  readonly candidates: number;
  readonly seconds: number;
}

/** A candidate a search left out, and why. */
export interface Skipped {
  readonly candidate: Candidate;
  /** It meets the SLOs and costs more than `by`, which has no more capacity in any setting; or it fails, as `by` does with no less. */
  readonly meets: boolean;
  readonly by: Candidate;
}

/** Options of {@link searchPlan}. */
export interface SearchOptions {
  /** Simulate every candidate, the dominated too (to check the search that skips them). */
  readonly exhaustive?: boolean | undefined;
}

/**
 * Evaluates the candidates of the space, ranks them, and picks the recommendation and a safer runner-up. Candidates
 * dominated by one already simulated are skipped (dominance-search.ts): more capacity never fails where less meets
 * the SLOs, and never costs less, so the cheapest that meets them is among those simulated.
 */
export function searchPlan(plan: PreparedPlan, saleStartMs: number | undefined, options: SearchOptions = {}): SearchResult {
  const started = performance.now();
  if (!plan.baseline.config) throw new UsageError('--search varies the CDK app’s context; it cannot search a --template');
  const candidates = candidateSpace({ peak: plan.peak, base: plan.baseline.config, saleStartMs });
  // A candidate past the SLOs' error budget is stopped there: the search needs to know it fails, not by how much.
  // Each keeps its figures but not its per-second timeline: a day's is 86,400 samples, and hundreds of candidates
  // held them all in gigabytes. The chosen ones are simulated again, whole, below (the simulation is deterministic).
  const stopAtBudget = (c: Candidate) => withoutTimelines(evaluate(plan.settings, c, false, true));
  const results = new Map<number, Evaluation | Refusal>();
  const lattice = searchLattice(
    candidates.map((c) => (options.exhaustive ? undefined : c.position)),
    (index) => {
      const result = stopAtBudget(candidates[index] as Candidate);
      results.set(index, result);
      return 'problem' in result ? 'unjudged' : result.meetsSlo ? 'meets' : 'fails';
    },
  );
  // If none meets them, the closest are listed: simulate the failures to the end for their real error shares.
  const anyMeets = [...results.values()].some((r) => !('problem' in r) && r.meetsSlo);
  if (!anyMeets)
    for (const index of results.keys()) results.set(index, withoutTimelines(evaluate(plan.settings, candidates[index] as Candidate)));
  const skipped = new Map<number, Skipped>(
    lattice.inferred.map(({ index, verdict, by }) => [
      index,
      { candidate: candidates[index] as Candidate, meets: verdict === 'meets', by: candidates[by] as Candidate },
    ]),
  );
  const evaluated = [...results.values()];
  const refused = evaluated.filter((r): r is Refusal => 'problem' in r);
  let ranked = rank(evaluated.filter((r): r is Evaluation => !('problem' in r)));
  const whole = (candidate: Candidate) => evaluate(plan.settings, candidate, false, anyMeets) as Evaluation;
  ranked = withStepsAboveCheapest(ranked, skipped, (c) => withoutTimelines(whole(c)) as Evaluation);
  const first = ranked.find((e) => e.meetsSlo);
  const recommendation = first && whole(first.candidate);
  if (first && recommendation) ranked[ranked.indexOf(first)] = recommendation;
  const runnerUp = recommendation && findSaferRunnerUp(plan.settings, ranked, recommendation);
  const saferRunnerUp = runnerUp && whole(runnerUp.candidate);
  if (runnerUp && saferRunnerUp) ranked[ranked.indexOf(runnerUp)] = saferRunnerUp;
  return {
    ranked,
    refused,
    skipped: [...skipped.values()],
    recommendation,
    saferRunnerUp,
    candidates: candidates.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The ranking with the skipped candidates one step above the cheapest that meets the SLOs simulated too (taken out of
 * `skipped`): at the same price the earlier raise ranks first, a tie the skipping cannot see, and they are the
 * natural safer runner-up. Again from the new cheapest, until it stays the same.
 */
function withStepsAboveCheapest(
  ranking: Evaluation[],
  skipped: Map<number, Skipped>,
  simulate: (candidate: Candidate) => Evaluation,
): Evaluation[] {
  let ranked = ranking;
  let first = ranked.find((e) => e.meetsSlo);
  const stepped = new Set<Candidate>();
  while (first && !stepped.has(first.candidate)) {
    stepped.add(first.candidate);
    for (const [index, skip] of skipped)
      if (skip.meets && nextTo(skip.candidate, first.candidate)) {
        ranked.push(simulate(skip.candidate));
        skipped.delete(index);
      }
    ranked = rank(ranked);
    first = ranked.find((e) => e.meetsSlo);
  }
  return ranked;
}

/** A candidate one step up in exactly one setting from another of its kind. */
function nextTo(candidate: Candidate, from: Candidate): boolean {
  const a = candidate.position;
  const b = from.position;
  if (!a || !b || a.group !== b.group) return false;
  const steps = a.coordinates.map((v, i) => v - (b.coordinates[i] as number));
  return steps.every((d) => d === 0 || d === 1) && steps.filter((d) => d === 1).length === 1;
}

/** An evaluation without its predictions' per-second timelines (see searchPlan). */
function withoutTimelines(result: Evaluation | Refusal): Evaluation | Refusal {
  if ('problem' in result) return result;
  const lean = (p: Prediction): Prediction => ({ ...p, timeline: [], timelineDropped: true });
  const { full, empty } = result.predictions;
  return { ...result, predictions: { full: full && lean(full), empty: lean(empty) } };
}

/**
 * The next cheapest candidates that meet the SLOs, tried with 25% more traffic than the profile (burst bucket
 * empty): the first that still meets them is the choice that stays safe if the profile is off.
 */
function findSaferRunnerUp(settings: PlanSettings, ranked: readonly Evaluation[], winner: Evaluation): Evaluation | undefined {
  const heavier = {
    ...settings.profile,
    name: `${settings.profile.name} +25%`,
    phases: settings.profile.phases.map((p) => scaledPhase(p, 1.25)),
  };
  // Past 0.1% of the heavier profile's requests a candidate is out: its run stops there.
  const budget = 0.001 * secondsOf(heavier).reduce((sum, s) => sum + s.requests, 0);
  for (const candidate of ranked.filter((e) => e.meetsSlo && e.candidate !== winner.candidate).slice(0, 12)) {
    const prediction = predict({ ...settings, profile: heavier }, candidate.model, false, heavier, budget);
    const errors = prediction.total.throttled.gateway + prediction.total.throttled.lambda + prediction.total.throttled.dynamodb;
    if (!prediction.stoppedEarly && errors / Math.max(1, prediction.total.requests) < 0.001) return candidate;
  }
  return undefined;
}
