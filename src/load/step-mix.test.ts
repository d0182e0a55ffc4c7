import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { StepCounts } from '../history/step-counts.ts';
import { profileYaml, tracedProfile } from '../history/traced-profile.ts';
import { handStack } from '../plan/plan-fixtures.test-support.ts';
import type { RequestDemand } from '../plan/request-demand.ts';
import { simulateSale } from '../plan/sale-simulation.ts';
import { parseProfile } from './load-profile.ts';
import { RequestMix } from './request-mix.ts';
import { mixAt } from './step-mix.ts';

const t0 = Date.UTC(2026, 10, 27, 8, 0, 0);

describe('a mix per step', () => {
  it('is written by techmoda profile --mix-per-step and read back into the phases, aligned with the rates', () => {
    const counts = new StepCounts(1_000);
    counts.add(t0, 'get', 8);
    counts.add(t0 + 1_000, 'create', 2);
    counts.add(t0 + 1_000, 'get', 6);
    const options = { name: 't', scale: 1, gaps: 'zero', categoryShare: 0, source: 'test', mixPerStep: true } as const;
    const { profile } = tracedProfile(counts, options);
    expect(profile.trace.mixes).toEqual([{ get: 100 }, { get: 75, create: 25 }]);
    expect(profile.mix).toEqual({ get: 87.5, create: 12.5 });
    const read = parseProfile(parseYaml(profileYaml(profile)), 't.yaml');
    const phase = read.phases[0];
    expect(phase?.mixes).toEqual([{ get: 100 }, { get: 75, create: 25 }]);
    expect(mixAt(phase, 1.5, read.mix)).toEqual({ get: 75, create: 25 });
    // Without it, one mix for all.
    expect(tracedProfile(counts, { ...options, mixPerStep: false }).profile.trace.mixes).toBeUndefined();
  });

  it('is what the load generator draws a step’s requests from', () => {
    const mix = new RequestMix({ list: 1 }, () => 0.5, '/prod', 'run');
    expect(mix.next().kind).toBe('list');
    expect(mix.next({ create: 1 }).kind).toBe('create');
    expect(mix.next().kind).toBe('list');
  });

  it('is what the planner prices a step’s requests with', () => {
    // Listings read 1 unit, gets 2; the overall mix lists, the first step's own mix gets.
    const demand: RequestDemand[] = [
      {
        kind: 'list',
        method: 'GET',
        resourcePath: '/products',
        operations: [{ operation: 'Scan', tableName: 'products', kind: 'read', units: 1 }],
      },
      {
        kind: 'get',
        method: 'GET',
        resourcePath: '/products/{id}',
        operations: [{ operation: 'GetItem', tableName: 'products', kind: 'read', units: 2 }],
      },
    ];
    const profile = {
      name: 'p',
      phases: [{ name: 't', durationSeconds: 2, ratePerSecond: 10, stepSeconds: 1, rates: [10, 10], mixes: [{ get: 1 }, null] }],
      mix: { list: 1 },
    };
    const prediction = simulateSale({
      model: handStack({ billingMode: 'PAY_PER_REQUEST' }),
      profile,
      demand,
      burstStartsFull: true,
      startMs: 0,
    });
    expect(prediction.usage.consumed.products?.read).toBeCloseTo(10 * 2 + 10 * 1, 6);
  });
});
