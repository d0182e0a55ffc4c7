import { describe, expect, it } from 'vitest';
import { stackConfigFromContext } from './stack-config.ts';

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
