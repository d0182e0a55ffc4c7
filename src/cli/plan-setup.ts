import type { LoadCheck } from '../load/load-checks.ts';
import type { PriceTable } from '../plan/prices.ts';
import { defaultTimings } from '../plan/sale-simulation.ts';
import { mixShares, secondsOf, type TrafficProfile } from '../plan/traffic-profile.ts';
import { UsageError } from './cli-error.ts';
import type { FidelityOptions } from './fidelity-options.ts';
import { productApiDemand } from './plan-demand.ts';
import { type Evaluation, evaluate, type PlanSettings, predict, type Refusal, rank } from './plan-evaluation.ts';
import { candidateSpace, type PeakDemand, peakDemand } from './plan-space.ts';
import type { StackBases } from './plan-stack.ts';
import { loadStackModel } from './stack-source.ts';

/** What a plan starts from. */
export interface PlanInput {
  readonly profile: TrafficProfile;
  readonly userContext: Readonly<Record<string, string>>;
  readonly template?: string | undefined;
  /** AWS::StackName of the --template. */
  readonly stackName?: string | undefined;
  readonly checks: readonly LoadCheck[];
  readonly prices: PriceTable;
  readonly fidelity: FidelityOptions;
  readonly baselineRatePerSecond: number;
  /** Catalogue size the demand is priced on. */
  readonly seed: number;
  readonly saleStartMs?: number | undefined;
  readonly noCache?: boolean | undefined;
}

/** A prepared plan: its settings, the profile's peak, and the given configuration evaluated. */
export interface PreparedPlan {
  readonly settings: PlanSettings;
  readonly peak: PeakDemand;
  readonly baseline: Evaluation;
}

/** Synthesizes (or reads) the stack, prices the demand, and evaluates the given configuration under both burst assumptions. */
export async function preparePlan(input: PlanInput): Promise<PreparedPlan> {
  const bases = await stackBases(input.template, input.stackName, input.userContext, input.noCache === true);
  const demand = productApiDemand(bases.provisioned.tables, catalogueSize(input.profile, input.seed));
  const peak = peakDemand(input.profile, demand);
  const anchorMs =
    input.saleStartMs !== undefined ? input.saleStartMs - peak.saleStartSecond * 1000 : Math.floor(Date.now() / 60_000) * 60_000;
  const settings: PlanSettings = {
    bases,
    userContext: input.userContext,
    profile: input.profile,
    demand,
    prices: input.prices,
    timings: defaultTimings,
    checks: input.checks,
    baselineRatePerSecond: input.baselineRatePerSecond,
    alarmDelayMs: input.fidelity.alarmDelayMs,
    capacityApplyMs: input.fidelity.updateApplyDelayMs,
    anchorMs,
    retryQuotaScope: 'environment',
    fixedModel: input.template ? bases.provisioned : undefined,
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
  readonly recommendation: Evaluation | undefined;
  readonly saferRunnerUp: Evaluation | undefined;
  readonly candidates: number;
  readonly seconds: number;
}

/** Evaluates every candidate of the space, ranks them, and picks the recommendation and a safer runner-up. */
export function searchPlan(plan: PreparedPlan, saleStartMs: number | undefined): SearchResult {
  const started = performance.now();
  if (!plan.baseline.config) throw new UsageError('--search varies the CDK app’s context; it cannot search a --template');
  const candidates = candidateSpace({ peak: plan.peak, base: plan.baseline.config, saleStartMs });
  // A candidate past the SLOs' error budget is stopped there: the search needs to know it fails, not by how much.
  let results = candidates.map((c) => evaluate(plan.settings, c, false, true));
  // If none meets them, the closest are listed: simulate the failures to the end for their real error shares.
  if (!results.some((r) => !('problem' in r) && r.meetsSlo)) results = candidates.map((c) => evaluate(plan.settings, c));
  const refused = results.filter((r): r is Refusal => 'problem' in r);
  const ranked = rank(results.filter((r): r is Evaluation => !('problem' in r)));
  const recommendation = ranked.find((e) => e.meetsSlo);
  const saferRunnerUp = recommendation && findSaferRunnerUp(plan.settings, ranked, recommendation);
  return { ranked, refused, recommendation, saferRunnerUp, candidates: candidates.length, seconds: (performance.now() - started) / 1000 };
}

/** The stack in both billing modes, synthesized with the user's context (sales are the plan's to set). */
async function stackBases(
  template: string | undefined,
  stackName: string | undefined,
  context: Readonly<Record<string, string>>,
  noCache: boolean,
): Promise<StackBases> {
  if (template || stackName !== undefined) {
    const model = await loadStackModel({ template, stackName, context: {}, noCache });
    return { provisioned: model, 'on-demand': model };
  }
  // Provisioned is the stack's default: leaving billingMode out shares the cache entry npm run lab uses.
  const { sales: _sales, salesAnchor: _anchor, billingMode: _mode, ...rest } = context;
  return {
    provisioned: await loadStackModel({ context: rest, noCache }),
    'on-demand': await loadStackModel({ context: { ...rest, billingMode: 'on-demand' }, noCache }),
  };
}

/**
 * The next cheapest candidates that meet the SLOs, tried with 25% more traffic than the profile (burst bucket
 * empty): the first that still meets them is the choice that stays safe if the profile is off.
 */
function findSaferRunnerUp(settings: PlanSettings, ranked: readonly Evaluation[], winner: Evaluation): Evaluation | undefined {
  const heavier = {
    ...settings.profile,
    name: `${settings.profile.name} +25%`,
    phases: settings.profile.phases.map((p) => ({
      ...p,
      ratePerSecond: p.ratePerSecond * 1.25,
      ...(p.rampToRatePerSecond !== undefined && { rampToRatePerSecond: p.rampToRatePerSecond * 1.25 }),
    })),
  };
  for (const candidate of ranked.filter((e) => e.meetsSlo && e !== winner).slice(0, 12)) {
    const prediction = predict({ ...settings, profile: heavier }, candidate.model, false);
    const errors = prediction.total.throttled.gateway + prediction.total.throttled.lambda + prediction.total.throttled.dynamodb;
    if (errors / Math.max(1, prediction.total.requests) < 0.001) return candidate;
  }
  return undefined;
}
