import { describe, expect, it } from 'vitest';
import type { StackModel } from '../scaling/stack-model.ts';
import { TableCapacity, tableCapacitySpec } from '../scaling/table-capacity.ts';
import { handDemand, handStack, steadyHour } from './plan-fixtures.test-support.ts';
import type { RequestDemand } from './request-demand.ts';
import { defaultTimings, simulateSale } from './sale-simulation.ts';
import { warmStarted } from './warm-start.ts';

describe('warmStarted', () => {
  it('starts a provisioned table where target tracking settles on the first phase: the capacity an hour of it reaches', () => {
    const cold = handStack({ autoScaling: true });
    // 35 gets/s of one unit at a 70% target: ceil(35 / 0.7) = 50 read units; writes have no target and keep 5.
    const warm = warmStarted(cold, steadyHour(35), handDemand, defaultTimings);
    expect(warm.tables[0]).toMatchObject({ readUnits: 50, writeUnits: 5 });
    // The same answer the simulation reaches by running the hour from the deployed minimum.
    const hour = simulateSale({ model: cold, profile: steadyHour(35), demand: handDemand, burstStartsFull: true, startMs: 0 });
    expect(hour.phases[0]?.capacity.products?.read[1]).toBe(50);
    // Nothing else of the stack changes.
    expect(warm.scalableTargets).toEqual(cold.scalableTargets);
    expect(warm.functions).toEqual(cold.functions);
  });

  it('takes what a rebuilt profile says the table was provisioned with over the computed settling', () => {
    const cold = handStack({ autoScaling: true });
    const seen = { ...steadyHour(35), startCapacity: [{ table: 'TechModaProductApi-Products-1A2B3C', read: 80 }] };
    // Named as CloudFormation names it on AWS (it holds the logical id); writes were not exported and keep the rule.
    expect(warmStarted(cold, seen, handDemand, defaultTimings).tables[0]).toMatchObject({ readUnits: 80, writeUnits: 5 });
  });

  it('gives an on-demand table a previous peak only where the first phase is above a new table’s default', () => {
    const onDemand = handStack({ billingMode: 'PAY_PER_REQUEST' });
    expect(warmStarted(onDemand, steadyHour(100), handDemand, defaultTimings).tables[0]?.warmThroughput).toBeUndefined();
    // 10,000 reads a second held: the table serves twice that at once, above the default 12,000.
    const warm = warmStarted(onDemand, steadyHour(10_000), handDemand, defaultTimings).tables[0];
    expect(warm?.warmThroughput).toEqual({ readUnitsPerSecond: 20_000, writeUnitsPerSecond: 0 });
    const capacity = new TableCapacity({ spec: tableCapacitySpec(warm as NonNullable<typeof warm>), startMs: 0 });
    expect(capacity.admissibleUnits(undefined, 'read', 0)).toBe(20_000);
  });

  it('starts an alias at the provisioned concurrency its target tracking settles on', () => {
    const base = handStack({ provisionedFunction: { provisioned: 1, memoryMb: 512, architecture: 'arm64' } });
    const model: StackModel = {
      ...base,
      api: base.api && {
        ...base.api,
        routes: [...base.api.routes, { resourcePath: '/products', method: 'POST', functionName: 'CreateProduct', qualifier: 'live' }],
      },
      scalableTargets: [
        {
          serviceNamespace: 'lambda',
          resourceId: 'function:CreateProduct:live',
          scalableDimension: 'lambda:function:ProvisionedConcurrency',
          minCapacity: 1,
          maxCapacity: 20,
          scheduledActions: [],
        },
      ],
      scalingPolicies: [
        {
          policyName: 'pc',
          resourceId: 'function:CreateProduct:live',
          scalableDimension: 'lambda:function:ProvisionedConcurrency',
          predefinedMetricType: 'LambdaProvisionedConcurrencyUtilization',
          targetValue: 0.7,
        },
      ],
    };
    const create: RequestDemand = {
      kind: 'create',
      method: 'POST',
      resourcePath: '/products',
      operations: [{ operation: 'PutItem', tableName: 'products', kind: 'write', units: 1 }],
    };
    // 700 creates/s of 10 ms keep 7 environments busy: ceil(7 / 0.7) = 10.
    const profile = { name: 'creates', phases: [{ name: 'hour', durationSeconds: 3_600, ratePerSecond: 700 }], mix: { create: 1 } };
    const warm = warmStarted(model, profile, [create], defaultTimings);
    expect(warm.functions.find((f) => f.name === 'CreateProduct')?.provisioned).toEqual({ live: 10 });
  });
});
