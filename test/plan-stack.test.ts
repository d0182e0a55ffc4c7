import { describe, expect, it } from 'vitest';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { candidateStack } from '../src/plan/candidate-stack.ts';
import type { StackModel } from '../src/scaling/stack-model.ts';
import { cachedSynthesis } from '../src/stack/synthesis-cache.ts';

const synthesize = async (context: Record<string, string>) => readStackModel(await cachedSynthesis(context, {}));

/** What the planner's simulation reads from a stack, for comparison. */
function essentials(model: StackModel) {
  return {
    tables: model.tables.map((t) => ({ ...t, logicalId: undefined })),
    functions: model.functions.map((f) => ({ name: f.name, reserved: f.reservedConcurrency, provisioned: f.provisioned })),
    api: model.api?.defaultThrottle,
    targets: model.scalableTargets,
    policies: model.scalingPolicies.map((p) => ({ resourceId: p.resourceId, dimension: p.scalableDimension, target: p.targetValue })),
    alarms: model.alarms.map((a) => ({ name: a.alarmName, threshold: a.threshold })),
  };
}

describe('a candidate stack without synthesis', () => {
  it('matches what the CDK app synthesizes for the same context, in both billing modes', async () => {
    const bases = { provisioned: await synthesize({}), 'on-demand': await synthesize({ billingMode: 'on-demand' }) };
    const anchor = '2026-12-01T10:00:00.000Z';
    const contexts: Record<string, string>[] = [
      {
        minReadCapacity: '150',
        maxReadCapacity: '300',
        minWriteCapacity: '7',
        targetUtilizationPercent: '50',
        getProductsReservedConcurrency: '200',
        createProductProvisionedConcurrency: '2',
        apiThrottleRatePerSecond: '500',
        apiThrottleBurst: '800',
        salesAnchor: anchor,
        sales: JSON.stringify([
          {
            name: 'flash',
            startsAt: '+PT1M',
            endsAt: '+PT5M',
            minReadCapacity: 400,
            minWriteCapacity: 20,
            minProvisionedConcurrency: 3,
            leadMinutes: 1,
          },
        ]),
      },
      { billingMode: 'on-demand', maxReadRequestUnits: '900', getProductsReservedConcurrency: '50' },
    ];
    for (const context of contexts) {
      const candidate = candidateStack(bases, context, Date.parse(anchor));
      if ('problem' in candidate) throw new Error(candidate.problem);
      expect(essentials(candidate.model)).toEqual(essentials(await synthesize(context)));
    }
  }, 120_000);

  it('refuses a context the stack refuses, with the stack’s words', async () => {
    const base = await synthesize({});
    const refused = candidateStack({ provisioned: base, 'on-demand': base }, { minReadCapacity: '143' }, 0);
    expect(refused).toEqual({ problem: expect.stringMatching(/minReadCapacity: must not exceed maxReadCapacity \(100\)/) });
  }, 60_000);
});
