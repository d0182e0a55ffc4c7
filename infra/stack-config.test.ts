import { describe, expect, it } from 'vitest';
import { hasRelativeSales, stackConfigFromContext } from './stack-config.ts';

const from = (context: Record<string, unknown>) => stackConfigFromContext((key) => context[key]);

describe('stack configuration from context', () => {
  it('defaults to the lab: provisioned 5..100 at 70%, reserved 100, provisioned concurrency 10', () => {
    expect(from({})).toMatchObject({
      billingMode: 'provisioned',
      minReadCapacity: 5,
      maxReadCapacity: 100,
      targetUtilizationPercent: 70,
      getProductsReservedConcurrency: 100,
      createProductProvisionedConcurrency: 10,
    });
  });

  it('reads -c strings as numbers and sales as JSON', () => {
    const config = from({ maxReadCapacity: '400', sales: '[]' });
    expect(config.maxReadCapacity).toBe(400);
    expect(config.sales).toEqual([]);
  });

  it('names every bad option in one error', () => {
    expect(() => from({ billingMode: 'serverless', targetUtilizationPercent: '95' })).toThrow(
      /billingMode: .*; targetUtilizationPercent: .*<=90/,
    );
    expect(() => from({ minReadCapacity: '200' })).toThrow(/minReadCapacity: must not exceed maxReadCapacity \(100\)/);
    expect(() => from({ sales: '[{' })).toThrow(/sales: is not valid JSON/);
    expect(() =>
      from({
        sales: [
          {
            name: 'x',
            startsAt: '2027-01-02T00:00:00Z',
            endsAt: '2027-01-01T00:00:00Z',
            minReadCapacity: 1,
            minWriteCapacity: 1,
            minProvisionedConcurrency: 1,
          },
        ],
      }),
    ).toThrow(/sales\.0\.endsAt: must be after startsAt/);
  });
});

describe('relative sale times', () => {
  const sale = { name: 'flash', minReadCapacity: 150, minWriteCapacity: 10, minProvisionedConcurrency: 2, leadMinutes: 1 };

  it('resolves "+PT..." against salesAnchor, so a plan replays in a run that starts at the anchor', () => {
    const config = from({
      salesAnchor: '2026-12-01T10:00:00Z',
      sales: JSON.stringify([{ ...sale, startsAt: '+PT1M', endsAt: '+PT4M' }]),
    });
    expect(config.sales[0]).toMatchObject({ startsAt: '2026-12-01T10:01:00.000Z', endsAt: '2026-12-01T10:04:00.000Z' });
  });

  it('counts from the time of synthesis without an anchor', () => {
    const config = stackConfigFromContext(
      (key) => ({ sales: [{ ...sale, startsAt: '+PT30S', endsAt: '+PT1H' }] })[key],
      Date.parse('2027-01-08T08:00:00Z'),
    );
    expect(config.sales[0]).toMatchObject({ startsAt: '2027-01-08T08:00:30.000Z', endsAt: '2027-01-08T09:00:00.000Z' });
  });

  it('says what a sale time must look like', () => {
    expect(() => from({ sales: JSON.stringify([{ ...sale, startsAt: 'in two minutes', endsAt: '+PT4M' }]) })).toThrow(
      /sales\.0\.startsAt: must be an ISO-8601 UTC time .* or relative to salesAnchor \("\+PT2M"\)/,
    );
  });

  it('tells relative sales apart', () => {
    expect(hasRelativeSales(JSON.stringify([{ ...sale, startsAt: '+PT1M', endsAt: '+PT4M' }]))).toBe(true);
    expect(hasRelativeSales([{ ...sale, startsAt: '2027-01-08T08:00:00Z', endsAt: '2027-01-08T09:00:00Z' }])).toBe(false);
    expect(hasRelativeSales('[{')).toBe(false);
  });
});
