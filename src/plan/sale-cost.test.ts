import { describe, expect, it } from 'vitest';
import { handDemand, handStack, steadyHour } from './plan-fixtures.test-support.ts';
import { defaultPrices, pricesWith } from './prices.ts';
import { costOfSale } from './sale-cost.ts';
import { defaultTimings, simulateSale } from './sale-simulation.ts';
import type { TrafficProfile } from './traffic-profile.ts';

const startMs = Date.parse('2026-12-01T00:00:00Z');

function billOf(model: ReturnType<typeof handStack>, profile: TrafficProfile) {
  const prediction = simulateSale({ model, profile, demand: handDemand, burstStartsFull: true, startMs, drainSeconds: 0 });
  const cost = costOfSale({
    model,
    profile,
    demand: handDemand,
    prediction,
    prices: defaultPrices,
    timings: defaultTimings,
    baselineRatePerSecond: profile.phases[0]?.ratePerSecond ?? 0,
    simulatedSeconds: 3_600,
  });
  const line = (service: string, item: RegExp) => cost.lines.find((l) => l.service === service && item.test(l.item))?.usd ?? Number.NaN;
  const monthLine = (service: string, item: RegExp) =>
    cost.monthLines.find((l) => l.service === service && item.test(l.item))?.usd ?? Number.NaN;
  return { cost, line, monthLine };
}

describe('the bill of an hour at 10 gets a second (36,000 requests, 1 read unit each, 512 MB arm64, 10 ms each)', () => {
  it('on-demand: request units, Lambda requests and GB-seconds, REST requests, alarms by the hour', () => {
    const { line, monthLine } = billOf(handStack({ billingMode: 'PAY_PER_REQUEST' }), steadyHour(10));
    expect(line('DynamoDB', /on-demand read/)).toBeCloseTo((36_000 * 0.125) / 1e6, 9); // $0.0045
    expect(line('DynamoDB', /on-demand write/)).toBe(0);
    expect(line('Lambda', /^requests/)).toBeCloseTo((36_000 * 0.2) / 1e6, 9); // $0.0072
    // $0.0024; the first second's cold start (a tenth of one environment, 250 ms) adds under a millionth of a dollar.
    expect(line('Lambda', /^duration \(/)).toBeCloseTo(36_000 * 0.01 * 0.5 * 0.0000133334, 6);
    expect(line('API Gateway', /REST/)).toBeCloseTo((36_000 * 3.5) / 1e6, 9); // $0.126
    // The month: 720 hours at the same rate.
    expect(monthLine('API Gateway', /REST/)).toBeCloseTo((10 * 720 * 3_600 * 3.5) / 1e6, 6); // $90.72
    expect(monthLine('DynamoDB', /on-demand read/)).toBeCloseTo((10 * 720 * 3_600 * 0.125) / 1e6, 6); // $3.24
  });

  it('provisioned: 20 RCU and 5 WCU for the hour, whatever the traffic', () => {
    const { line, monthLine } = billOf(handStack({ readUnits: 20, writeUnits: 5 }), steadyHour(10));
    expect(line('DynamoDB', /provisioned read/)).toBeCloseTo(20 * 0.00013, 9); // $0.0026
    expect(line('DynamoDB', /provisioned write/)).toBeCloseTo(5 * 0.00065, 9); // $0.00325
    expect(monthLine('DynamoDB', /provisioned read/)).toBeCloseTo(20 * 0.00013 * 720, 6); // $1.872
  });

  it('provisioned concurrency: 4 environments of 1 GB x86 for an hour, idle', () => {
    const model = handStack({ provisionedFunction: { provisioned: 4, memoryMb: 1_024, architecture: 'x86_64' } });
    const { line, monthLine } = billOf(model, steadyHour(0));
    expect(line('Lambda', /provisioned concurrency/)).toBeCloseTo(4 * 1 * 3_600 * 0.0000041667, 9); // $0.06
    expect(monthLine('Lambda', /provisioned concurrency/)).toBeCloseTo(4 * 1 * 720 * 3_600 * 0.0000041667, 4); // $43.20
    expect(line('Lambda', /^requests/)).toBe(0);
  });

  it('bills the four alarms DynamoDB target tracking creates per policy (B 4.4), prorated by the hour', () => {
    const { line } = billOf(handStack({ readUnits: 20, autoScaling: true }), steadyHour(10));
    expect(line('CloudWatch', /^alarms \(4,/)).toBeCloseTo((4 * 0.1) / 720, 9);
  });

  it('takes other prices from a file, field by field, and names a bad field', () => {
    const result = pricesWith({ asOf: '2027-01-01', apiGateway: { restRequestsPerMillion: 1 } });
    expect('prices' in result && result.prices.apiGateway.restRequestsPerMillion).toBe(1);
    expect('prices' in result && result.prices.dynamodb.readCapacityUnitHour).toBe(0.00013);
    expect(pricesWith({ lambda: { requestsPerMillion: -1 } })).toEqual({ problem: expect.stringMatching(/^lambda\.requestsPerMillion: /) });
    expect(pricesWith({ asOf: 'yesterday' })).toEqual({ problem: expect.stringMatching(/^asOf: /) });
  });
});
