import { parseCheck } from '../load/load-checks.ts';
import type { PlanSettings } from './evaluation.ts';
import { handDemand, handStack } from './plan-fixtures.test-support.ts';
import { defaultPrices } from './prices.ts';
import { defaultTimings } from './sale-simulation.ts';
import type { TrafficProfile } from './traffic-profile.ts';

/** Plan settings on the hand-made stack (no synthesis): one SLO, errors under 0.1%, and the default assumptions. */
export function handPlanSettings(profile: TrafficProfile, baselineRatePerSecond: number, base = handStack({})): PlanSettings {
  return {
    bases: { provisioned: base, 'on-demand': base },
    userContext: {},
    profile,
    demand: handDemand,
    prices: defaultPrices,
    timings: defaultTimings,
    checks: [parseCheck('errors<0.1%')],
    baselineRatePerSecond,
    alarmDelayMs: 0,
    capacityApplyMs: 60_000,
    anchorMs: Date.parse('2026-12-01T00:00:00Z'),
    retryQuotaScope: 'environment',
  };
}
