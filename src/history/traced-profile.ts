import { Document, isCollection, isSeq } from 'yaml';
import { UsageError } from '../common/usage-error.ts';
import { findPhases, type TraceSpan } from './phase-finder.ts';
import type { RouteKind } from './route-kinds.ts';
import type { StepCounts } from './step-counts.ts';

/** Capacity a table or GSI was provisioned with at the profile's first step. */
export interface StartCapacity {
  table: string;
  index?: string;
  read?: number;
  write?: number;
}

/** How `techmoda profile` turns counts into a profile. */
export interface TraceOptions {
  readonly name: string;
  /** The profile's step; default the data's own resolution (1 s for access logs, the metric period for CloudWatch). */
  readonly stepSeconds?: number | undefined;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
  /** This year's sale is `scale` times last year's: every rate times it. */
  readonly scale: number;
  /** A minute without data: zero traffic (the default: CloudWatch sends no datapoint for a period without requests) or an error. */
  readonly gaps: 'zero' | 'error';
  /** Share of `GET /products` that lists by category, which neither source can tell (route-kinds.ts). */
  readonly categoryShare: number;
  /** Where the counts came from, for the profile's description. */
  readonly source: string;
  /** Write each step's own mix beside the overall one (`--mix-per-step`). */
  readonly mixPerStep?: boolean | undefined;
}

/** The profile in the trace form, and what went into it. */
export interface TracedProfile {
  readonly profile: {
    name: string;
    description: string;
    trace: { start: string; stepSeconds: number; rates: number[]; mixes?: (Record<string, number> | null)[] };
    phases: TraceSpan[];
    mix: Record<string, number>;
    startCapacity?: StartCapacity[];
  };
  /** Requests counted per kind (before the scale). */
  readonly counted: Map<RouteKind, number>;
  /** Requests the profile leaves out: routes the product API does not have. */
  readonly leftOut: Map<string, number>;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Builds the traced profile: rates per step, the overall mix, and the phases found in it. */
export function tracedProfile(counts: StepCounts, options: TraceOptions): TracedProfile {
  const dataStepS = counts.stepMs / 1000;
  const stepS = options.stepSeconds ?? dataStepS;
  if (stepS % dataStepS !== 0)
    throw new UsageError(
      `--step ${stepS}: the data comes in ${dataStepS} s periods, and a step must hold whole periods (a multiple of ${dataStepS})`,
    );
  const stepMs = stepS * 1000;
  const steps = [...counts.byStep.keys()].sort((a, b) => a - b);
  if (steps.length === 0) throw new UsageError(`no requests of the product API's routes in ${options.source}`);
  const fromMs = Math.floor((options.fromMs ?? (steps[0] as number)) / stepMs) * stepMs;
  const toMs = options.toMs ?? (steps[steps.length - 1] as number) + counts.stepMs;
  if (!(toMs > fromMs)) throw new UsageError('--to must come after --from, and the range must hold data');
  const stepCount = Math.ceil((toMs - fromMs) / stepMs);
  if (stepCount > 86_400)
    throw new UsageError(`${stepCount} steps of ${stepS} s: a profile holds at most 86,400; choose a longer --step or a shorter range`);
  const requests = new Array<number>(stepCount).fill(0);
  const perStep: Map<RouteKind, number>[] = options.mixPerStep ? Array.from({ length: stepCount }, () => new Map()) : [];
  const minutesWithData = new Set<number>();
  const counted = new Map<RouteKind, number>();
  for (const [at, byKind] of counts.byStep) {
    if (at < fromMs || at >= toMs) continue;
    minutesWithData.add(Math.floor(at / Math.max(60_000, counts.stepMs)));
    for (const [kind, n] of byKind) {
      counted.set(kind, (counted.get(kind) ?? 0) + n);
      const i = Math.floor((at - fromMs) / stepMs);
      requests[i] = (requests[i] ?? 0) + n;
      const step = perStep[i];
      if (step) step.set(kind, (step.get(kind) ?? 0) + n);
    }
  }
  if (options.gaps === 'error') {
    const periodMs = Math.max(60_000, counts.stepMs);
    for (let t = Math.ceil(fromMs / periodMs) * periodMs; t < toMs; t += periodMs)
      if (!minutesWithData.has(t / periodMs))
        throw new UsageError(
          `no data for ${new Date(t).toISOString()} (${periodMs / 1000} s) in ${options.source}, and --gaps error was given`,
        );
  }
  const rates = requests.map((n) => round((n / stepS) * options.scale, 4));
  const mix = mixOf(counted, options.categoryShare);
  if (!mix) throw new UsageError(`no reads or writes the load mix can send in ${options.source} between the given times`);
  const mixes = options.mixPerStep ? perStep.map((step) => mixOf(step, options.categoryShare) ?? null) : undefined;
  const leftOut = new Map(counts.unknownRoutes);
  const start = new Date(fromMs).toISOString();
  const description = `Rebuilt by techmoda profile from ${options.source}: ${stepCount} steps of ${stepS} s from ${start}${options.scale !== 1 ? `, rates times ${options.scale}` : ''}.`;
  return {
    profile: {
      name: options.name,
      description,
      trace: { start, stepSeconds: stepS, rates, ...(mixes ? { mixes } : {}) },
      phases: findPhases(rates),
      mix,
    },
    counted,
    leftOut,
  };
}

/** Counted requests by route kind as a mix in percent (listings split by `categoryShare`); undefined when none. */
function mixOf(counted: ReadonlyMap<RouteKind, number>, categoryShare: number): Record<string, number> | undefined {
  const lists = counted.get('list') ?? 0;
  const weights: Record<string, number> = {
    list: lists * (1 - categoryShare),
    listByCategory: lists * categoryShare,
    get: counted.get('get') ?? 0,
    create: counted.get('create') ?? 0,
    update: counted.get('update') ?? 0,
    delete: counted.get('delete') ?? 0,
  };
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  return Object.fromEntries(
    Object.entries(weights)
      .filter(([, w]) => w > 0)
      .map(([kind, w]) => [kind, round((100 * w) / total, 2)]),
  );
}

/** The profile as YAML, the rates and spans in flow style so a day of steps stays a short file. */
export function profileYaml(profile: TracedProfile['profile']): string {
  const document = new Document(profile);
  for (const path of [['trace', 'rates'], ['mix']]) {
    const node = document.getIn(path, true);
    if (isCollection(node)) node.flow = true;
  }
  const mixes = document.getIn(['trace', 'mixes'], true);
  if (isSeq(mixes)) for (const item of mixes.items) if (isCollection(item)) item.flow = true;
  const phases = document.get('phases', true);
  if (isSeq(phases)) for (const item of phases.items) if (isCollection(item)) item.flow = true;
  return document.toString({ lineWidth: 0 });
}
