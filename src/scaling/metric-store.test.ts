import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricStore } from './metric-store.ts';

const latency = { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { ApiName: 'shop' } };
const count = { namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiName: 'shop' } };

describe('metric store (docs/aws-facts.md B 7.7, 7.8)', () => {
  it('aggregates seconds into periods with every statistic', () => {
    const store = new MetricStore();
    for (let i = 0; i < 120; i++) store.record(count, 1, i * 1000);
    store.record(latency, 10, 0);
    store.record(latency, 30, 500);
    expect(store.query(count, 'Sum', 60, 0, 120_000)).toEqual([
      { timestampMs: 0, value: 60 },
      { timestampMs: 60_000, value: 60 },
    ]);
    expect(store.aggregateWindow(latency, 'Average', 0, 1000)).toBe(20);
    expect(store.aggregateWindow(latency, 'Minimum', 0, 1000)).toBe(10);
    expect(store.aggregateWindow(latency, 'Maximum', 0, 1000)).toBe(30);
    expect(store.aggregateWindow(latency, 'SampleCount', 0, 1000)).toBe(2);
    expect(store.aggregateWindow(count, 'Sum', 200_000, 300_000)).toBeUndefined(); // missing data, not zero
  });

  it('answers percentiles within 2% of the exact nearest-rank value, over any spread of values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.05, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(50, 90, 99, 99.9),
        (values, p) => {
          const store = new MetricStore();
          for (const [i, value] of values.entries()) store.record(latency, value, (i % 7) * 1000);
          const sorted = [...values].sort((a, b) => a - b);
          const exact = sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number;
          const answered = store.aggregateWindow(latency, `p${p}`, 0, 7_000) as number;
          expect(Math.abs(answered - exact) / exact).toBeLessThanOrEqual(0.0201);
        },
      ),
    );
  });

  it('keeps the retention and forgets what is older', () => {
    const store = new MetricStore({ retentionMs: 3 * 3_600_000 });
    store.record(count, 1, 0);
    store.record(count, 1, 3 * 3_600_000 - 1000);
    expect(store.aggregateWindow(count, 'Sum', 0, 3 * 3_600_000)).toBe(2);
    store.record(count, 1, 3 * 3_600_000 + 5_000);
    expect(store.aggregateWindow(count, 'Sum', 0, 1000)).toBeUndefined();
    expect(store.aggregateWindow(count, 'Sum', 0, 4 * 3_600_000)).toBe(2);
  });

  it('holds a second of heavy traffic in the space of its distinct 2% buckets, not one slot per value', () => {
    const store = new MetricStore();
    for (let i = 0; i < 100_000; i++) store.record(latency, 5 + (i % 1000) / 10, 0);
    store.record(latency, 7, 1000); // closes second 0: its histogram is packed
    const packed = (store as unknown as { series: Map<string, { histograms: (Float64Array | undefined)[] }> }).series.values().next().value
      ?.histograms[0];
    // Values 5-105 ms span ln(21)/ln(1.0408) = 76 buckets: at most 77 [bucket, count] pairs for 100,000 values.
    expect(packed?.length).toBeLessThanOrEqual(2 * 77);
    expect(store.aggregateWindow(latency, 'SampleCount', 0, 1000)).toBe(100_000);
    expect(store.bytesPerSeries).toBe(10_800 * 5 * 8);
  });
});
