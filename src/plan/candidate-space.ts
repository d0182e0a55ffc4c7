import type { StackConfig } from '../../infra/stack-config.ts';
import { relativeTimeText } from '../common/relative-time.ts';
import { peakRateOf } from '../load/phase-segments.ts';
import { lambdaDefaults } from '../scaling/lambda-concurrency.ts';
import { initialOnDemandPeak } from '../scaling/on-demand-capacity.ts';
import type { Candidate } from './evaluation.ts';
import { type RequestDemand, steadyDemand } from './request-demand.ts';
import { mixShares, type TrafficProfile } from './traffic-profile.ts';

/** The profile's peak, as the search sizes candidates from it. */
export interface PeakDemand {
  readonly ratePerSecond: number;
  /** Highest read and write units per second any one table or GSI sees at the peak rate. */
  readonly readUnitsPerSecond: number;
  readonly writeUnitsPerSecond: number;
  /** Requests per second at the peak that GetProducts and CreateProduct serve. */
  readonly getProductsPerSecond: number;
  readonly createProductPerSecond: number;
  /** Seconds from the profile's start to its first phase near the peak (at least half of it), and to the end of the last. */
  readonly saleStartSecond: number;
  readonly saleEndSecond: number;
}

/** The peak of a profile, priced with the demand model. */
export function peakDemand(profile: TrafficProfile, demand: readonly RequestDemand[]): PeakDemand {
  const rates = profile.phases.map(peakRateOf);
  const peak = Math.max(0, ...rates);
  const atPeak = steadyDemand(mixShares(profile), demand, peak);
  const perSecond = (matches: (d: RequestDemand) => boolean) =>
    atPeak.kinds.filter((k) => matches(k.demand)).reduce((sum, k) => sum + k.perSecond, 0);
  const get = perSecond((d) => d.method === 'GET');
  const create = perSecond((d) => d.kind === 'create');
  let start = 0;
  let end = 0;
  let elapsed = 0;
  let found = false;
  profile.phases.forEach((phase, i) => {
    if ((rates[i] ?? 0) >= peak / 2) {
      if (!found) start = elapsed;
      found = true;
      end = elapsed + phase.durationSeconds;
    }
    elapsed += phase.durationSeconds;
  });
  const values = [...atPeak.units.values()];
  return {
    ratePerSecond: peak,
    readUnitsPerSecond: Math.max(0, ...values.map((u) => u.read)),
    writeUnitsPerSecond: Math.max(0, ...values.map((u) => u.write)),
    getProductsPerSecond: get,
    createProductPerSecond: create,
    saleStartSecond: start,
    saleEndSecond: end,
  };
}

/** Options of {@link candidateSpace}. */
export interface SpaceOptions {
  readonly peak: PeakDemand;
  /** The configuration the user starts from. */
  readonly base: StackConfig;
  /** Absolute sale times from this instant (the profile's peak starts at `saleStartIso`); relative ("+PT1M") otherwise. */
  readonly saleStartMs?: number | undefined;
}

/** The name of the sale a plan schedules. */
export const plannedSaleName = 'planned-sale';

const targets = [50, 60, 70, 80, 90] as const;
/** Minutes before the sale a scheduled raise may come: none, and the leads teams use (as far as the run allows). */
const raiseLeads = [0, 5, 15, 30] as const;
const capacityFactors = [0.5, 0.75, 1, 1.25, 1.5] as const;

/**
 * The configurations `techmoda plan --search` compares: on-demand; provisioned with a permanent floor sized from the
 * peak; provisioned with the lab's bounds and a scheduled raise for the sale (as early as the run allows, or just in
 * time); each across target utilizations and capacity factors, and with provisioned concurrency cut to what the
 * creates need or kept. Reserved concurrency and stage throttling rise only where the peak would hit them.
 */
export function candidateSpace(options: SpaceOptions): Candidate[] {
  const { peak, base } = options;
  const candidates: Candidate[] = [];
  // Lambda: a provisioned alias serves at most 10 requests per second per environment (B 5.5).
  const perEnvironment = lambdaDefaults.requestsPerSecondPerEnvironment;
  const neededProvisioned = Math.max(1, Math.ceil((peak.createProductPerSecond * 1.25) / perEnvironment));
  const provisionedOptions = [
    ...new Set([neededProvisioned, neededProvisioned + 1, Math.max(neededProvisioned, base.createProductProvisionedConcurrency)]),
  ].sort((a, b) => a - b);
  const lambda = (provisioned: number): Record<string, string> => {
    const context: Record<string, string> = { createProductProvisionedConcurrency: String(provisioned) };
    if (provisioned > base.createProductMaxProvisionedConcurrency) context.createProductMaxProvisionedConcurrency = String(provisioned);
    const reserved = Math.ceil((peak.getProductsPerSecond * 1.25) / perEnvironment);
    if (reserved > base.getProductsReservedConcurrency) context.getProductsReservedConcurrency = String(reserved);
    if (peak.ratePerSecond * 1.1 > base.apiThrottleRatePerSecond) {
      context.apiThrottleRatePerSecond = String(Math.ceil(peak.ratePerSecond * 1.25));
      context.apiThrottleBurst = String(Math.max(base.apiThrottleBurst, Math.ceil(peak.ratePerSecond * 2)));
    }
    return context;
  };
  const pcLabel = (provisioned: number) => `PC ${provisioned}`;
  // Above what a new on-demand table serves at once (12,000 read / 4,000 write units, B 3.3), on-demand throttles
  // until it has doubled its way up: pre-warm the table and its GSI for the peak (B 3.8), and pay for it.
  const warm = {
    read: peak.readUnitsPerSecond > 2 * initialOnDemandPeak.read ? Math.ceil(peak.readUnitsPerSecond * 1.25) : undefined,
    write: peak.writeUnitsPerSecond > 2 * initialOnDemandPeak.write ? Math.ceil(peak.writeUnitsPerSecond * 1.25) : undefined,
  };
  const preWarm: Record<string, string> = {
    ...(warm.read ? { warmReadUnitsPerSecond: String(warm.read) } : {}),
    ...(warm.write ? { warmWriteUnitsPerSecond: String(warm.write) } : {}),
  };
  const warmLabel =
    warm.read || warm.write ? `, pre-warmed to ${warm.read ?? 'default'} read / ${warm.write ?? 'default'} write units/s` : '';
  // Each setting's options in increasing order of capacity: a candidate's position among those of its kind.
  for (const [pc, provisioned] of provisionedOptions.entries())
    candidates.push({
      label: `on-demand${warmLabel}, ${pcLabel(provisioned)}`,
      context: { billingMode: 'on-demand', ...preWarm, ...lambda(provisioned) },
      family: 'on-demand',
      position: { group: 'on-demand', coordinates: [pc] },
    });
  const leads = raiseLeadsFor(peak);
  // A raise with no lead is its own kind of answer (plan-explanation.ts): its own group, so it is always judged.
  const raiseGroup = (target: number, lead: number) => (lead === 0 ? `raise with no lead at ${target}%` : `raise ahead at ${target}%`);
  const leadCoordinate = (lead: number) => leads.filter((l) => l > 0 && l < lead).length;
  for (const target of targets) {
    for (const [f, factor] of capacityFactors.entries()) {
      const read = Math.max(1, Math.ceil((factor * peak.readUnitsPerSecond) / (target / 100)));
      const write = Math.max(1, Math.ceil((factor * peak.writeUnitsPerSecond) / (target / 100)));
      for (const [pc, provisioned] of provisionedOptions.entries()) {
        const common = { billingMode: 'provisioned', targetUtilizationPercent: String(target), ...lambda(provisioned) };
        candidates.push({
          label: `provisioned floor ${read} RCU / ${write} WCU at ${target}%, ${pcLabel(provisioned)}`,
          context: {
            ...common,
            minReadCapacity: String(read),
            maxReadCapacity: String(Math.max(base.maxReadCapacity, read)),
            minWriteCapacity: String(write),
            maxWriteCapacity: String(Math.max(base.maxWriteCapacity, write)),
            sales: '[]',
          },
          family: 'floor',
          position: { group: `floor at ${target}%`, coordinates: [f, pc] },
        });
        for (const lead of leads) {
          // A raise never lowers a minimum the stack already has.
          const sale = saleEntry(options, Math.max(read, base.minReadCapacity), Math.max(write, base.minWriteCapacity), provisioned, lead);
          candidates.push({
            label: `provisioned ${base.minReadCapacity}..${Math.max(base.maxReadCapacity, read)} RCU at ${target}%, sale raises to ${Math.max(read, base.minReadCapacity)} RCU / ${Math.max(write, base.minWriteCapacity)} WCU ${lead} min ahead, ${pcLabel(provisioned)}`,
            context: {
              ...common,
              minReadCapacity: String(base.minReadCapacity),
              maxReadCapacity: String(Math.max(base.maxReadCapacity, read)),
              minWriteCapacity: String(base.minWriteCapacity),
              maxWriteCapacity: String(Math.max(base.maxWriteCapacity, write)),
              sales: JSON.stringify([sale]),
            },
            family: 'raise',
            leadMinutes: lead,
            // An earlier raise to capacity the table holds by then costs no more, and ranks first at the same price.
            position: { group: raiseGroup(target, lead), coordinates: [f, pc, leadCoordinate(lead)], tiesAlong: [2] },
          });
        }
      }
    }
  }
  return candidates;
}

/**
 * The raise leads a run leaves room for: none, and 5, 15 and 30 minutes as far as the traffic before the sale
 * reaches (`--lead` makes room); a run with less than 5 minutes before the sale tries none and as early as it allows.
 */
export function raiseLeadsFor(peak: PeakDemand): number[] {
  const room = Math.floor(peak.saleStartSecond / 60);
  const fitting = raiseLeads.filter((lead) => lead <= room);
  return fitting.length > 1 ? fitting : [...new Set([0, room])];
}

/** The sale entry of the stack's `sales` option for the profile's peak: relative to the run, or absolute. */
function saleEntry(options: SpaceOptions, read: number, write: number, provisioned: number, leadMinutes: number) {
  const { peak, saleStartMs } = options;
  const time = (second: number) =>
    saleStartMs === undefined
      ? relativeTimeText(second * 1000)
      : new Date(saleStartMs + (second - peak.saleStartSecond) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    name: plannedSaleName,
    startsAt: time(peak.saleStartSecond),
    endsAt: time(peak.saleEndSecond),
    minReadCapacity: read,
    minWriteCapacity: write,
    minProvisionedConcurrency: provisioned,
    leadMinutes,
  };
}
