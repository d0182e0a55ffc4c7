import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricStore } from './metric-store.ts';

const latency = { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { ApiName: 'shop' } };
const count = { namespace: 'AWS/ApiGateway', metricName: 'Count', dimensions: { ApiName: 'shop' } };

/** Doubles held in the store's packed histograms (seconds and minutes), counted through its internals. */
function packedLengths(store: MetricStore): number {
  type Ring = { packed: (Float64Array | undefined)[]; open?: { histogram: { freeze(): Float64Array } } };
  const series = (store as unknown as { series: Map<string, { histograms?: { seconds: Ring; minutes: Ring } }> }).series;
  let total = 0;
  for (const { histograms } of series.values())
    for (const ring of histograms ? [histograms.seconds, histograms.minutes] : [])
      total += ring.packed.reduce((sum, packed) => sum + (packed?.length ?? 0), 0) + (ring.open?.histogram.freeze().length ?? 0);
  return total;
}

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
    // Values 5-105 ms span ln(21)/ln(1.0408) = 76 buckets: at most 77 [bucket, count] pairs for 100,000 values.
    expect(packedLengths(store)).toBeLessThanOrEqual(2 * 77 + 2 * 77 + 2 * 1);
    expect(store.aggregateWindow(latency, 'SampleCount', 0, 1000)).toBe(100_000);
    expect(store.bytesPerSeries).toBe(10_800 * 5 * 8);
  });

  it('keeps per-second histograms for 5 minutes and per-minute ones for 3 hours: a bound whatever the traffic', () => {
    const store = new MetricStore();
    const buckets = 40;
    // Three hours and a bit of a busy second every second, each with values in 40 distinct buckets.
    for (let second = 0; second < 3 * 3600 + 120; second++)
      for (let b = 0; b < buckets; b++) store.record(latency, 1.05 ** (b * 2), second * 1000);
    const pairs = packedLengths(store) / 2;
    expect(pairs).toBeLessThanOrEqual((5 * 60 + 181 + 2) * buckets);
    expect(pairs).toBeGreaterThanOrEqual(5 * 60 * buckets);
  });

  it('answers percentiles older than 5 minutes from whole minutes, and recent ones from seconds', () => {
    const store = new MetricStore();
    // Minute 0: seconds 0-29 at 10 ms, seconds 30-59 at 1,000 ms. Then an hour of 1 ms values.
    for (let second = 0; second < 60; second++) store.record(latency, second < 30 ? 10 : 1_000, second * 1000);
    for (let second = 60; second < 3_660; second++) store.record(latency, 1, second * 1000);
    // The whole minute: exact from the minute's histogram.
    expect(store.aggregateWindow(latency, 'p50', 0, 60_000)).toBeCloseTo(10, -0.5);
    // Its first half, an hour ago: the minute stands in, clamped to the half's exact extremes (both 10 ms).
    expect(store.aggregateWindow(latency, 'p99', 0, 30_000)).toBe(10);
    // A recent half minute with two values per second is read second by second.
    for (let second = 3_660; second < 3_690; second++) {
      store.record(latency, 2, second * 1000);
      store.record(latency, second < 3_675 ? 2 : 50, second * 1000 + 500);
    }
    expect(store.aggregateWindow(latency, 'p50', 3_660_000, 3_675_000)).toBeCloseTo(2, 0);
    expect(store.aggregateWindow(latency, 'p99', 3_675_000, 3_690_000)).toBeCloseTo(50, -0.5);
  });
});
