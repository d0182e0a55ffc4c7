import { describe, expect, it } from 'vitest';
import { parseCheck } from '../load/load-checks.ts';
import { builtInProfiles } from '../load/load-profile.ts';
import { handStack } from './plan-fixtures.test-support.ts';
import { planSale } from './plan-sale.ts';
import { defaultPrices } from './prices.ts';
import type { TrafficProfile } from './traffic-profile.ts';

// The planner as a library: no CLI, no synthesis, no I/O. The stack is the hand-made one of the fixtures.
const lab = builtInProfiles.lab as TrafficProfile;
const input = {
  profile: lab,
  bases: { provisioned: handStack({ autoScaling: true }), 'on-demand': handStack({ billingMode: 'PAY_PER_REQUEST' }) },
  userContext: {},
  checks: [parseCheck('errors<0.1%')],
  prices: defaultPrices,
  alarmDelayMs: 0,
  capacityApplyMs: 60_000,
  baselineRatePerSecond: 5,
  seed: 50,
  nowMs: Date.parse('2026-12-01T00:00:00Z'),
};

describe('planSale, called as a library', () => {
  it('evaluates the given configuration under both burst assumptions without a search unless asked', () => {
    const plan = planSale(input);
    expect(plan.search).toBeUndefined();
    expect(plan.baseline.predictions.empty.total.requests).toBeGreaterThan(0);
    expect(plan.baseline.predictions.full).toBeDefined();
    expect(plan.settings.anchorMs).toBe(input.nowMs);
  });

  it('recommends the cheapest ranked configuration that meets the SLOs', () => {
    const { search } = planSale(input, { search: true });
    if (!search?.recommendation) throw new Error('no recommendation');
    const meeting = search.ranked.filter((e) => e.meetsSlo);
    expect(search.recommendation).toBe(meeting[0]);
    for (const other of meeting) expect(other.cost.perMonthUsd).toBeGreaterThanOrEqual(search.recommendation.cost.perMonthUsd);
    expect(search.candidates).toBe(search.ranked.length + search.refused.length);
  });

  it('refuses to search a template taken as it is', () => {
    expect(() => planSale({ ...input, fixedTemplate: true }, { search: true })).toThrow(/cannot search a --template/);
  });
});
