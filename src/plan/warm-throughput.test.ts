import { describe, expect, it } from 'vitest';
import { TableCapacity, tableCapacitySpec } from '../scaling/table-capacity.ts';
import { candidateSpace, type PeakDemand } from './candidate-space.ts';
import { candidateStack } from './candidate-stack.ts';
import { handDemand, handStack, steadyHour } from './plan-fixtures.test-support.ts';
import { defaultPrices } from './prices.ts';
import { costOfSale } from './sale-cost.ts';
import { defaultTimings, simulateSale } from './sale-simulation.ts';

const bases = { provisioned: handStack({ autoScaling: true }), 'on-demand': handStack({ billingMode: 'PAY_PER_REQUEST' }) };
const peakOf = (read: number, write: number): PeakDemand => ({
  ratePerSecond: read,
  readUnitsPerSecond: read,
  writeUnitsPerSecond: write,
  getProductsPerSecond: read,
  createProductPerSecond: 0,
  saleStartSecond: 60,
  saleEndSecond: 180,
});

describe('on-demand warm throughput (pre-warming) in the search', () => {
  const base = candidateStack(bases, {}, 0);
  if ('problem' in base) throw new Error(base.problem);

  it('pre-warms an on-demand candidate only for a peak above what a new table serves at once (12,000 / 4,000)', () => {
    const onDemand = (read: number, write: number) =>
      candidateSpace({ peak: peakOf(read, write), base: base.config }).filter((c) => c.family === 'on-demand');
    for (const c of onDemand(5_000, 1_000)) expect(c.context.warmReadUnitsPerSecond).toBeUndefined();
    for (const c of onDemand(30_000, 1_000)) {
      expect(c.context).toMatchObject({ warmReadUnitsPerSecond: '37500' });
      expect(c.context.warmWriteUnitsPerSecond).toBeUndefined();
      expect(c.label).toMatch(/pre-warmed to 37500 read/);
    }
  });

  it('serves the pre-warmed rate at once, and bills the raise once per event at the given price', () => {
    const stack = candidateStack(bases, { billingMode: 'on-demand', warmReadUnitsPerSecond: '30000' }, 0);
    if ('problem' in stack) throw new Error(stack.problem);
    const table = stack.model.tables[0];
    if (!table) throw new Error('no table');
    expect(new TableCapacity({ spec: tableCapacitySpec(table), startMs: 0 }).admissibleUnits(undefined, 'read', 0)).toBe(30_000);
    const profile = steadyHour(10);
    const prediction = simulateSale({
      model: stack.model,
      profile,
      demand: handDemand,
      burstStartsFull: true,
      startMs: 0,
      drainSeconds: 0,
    });
    const bill = (prices: typeof defaultPrices) =>
      costOfSale({
        model: stack.model,
        profile,
        demand: handDemand,
        prediction,
        prices,
        timings: defaultTimings,
        baselineRatePerSecond: 10,
        simulatedSeconds: 3_600,
      }).lines.find((l) => l.item.startsWith('warm throughput'));
    // 30,000 - 12,000 read units per second raised; unpriced, the line says so.
    expect(bill(defaultPrices)).toMatchObject({ usd: 0, item: expect.stringMatching(/raised by 18000 units\/s.*price not published/) });
    const priced = { ...defaultPrices, dynamodb: { ...defaultPrices.dynamodb, warmThroughputUnit: 0.0001 } };
    expect(bill(priced)?.usd).toBeCloseTo(1.8, 9);
  });
});
