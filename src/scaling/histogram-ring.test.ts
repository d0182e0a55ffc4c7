import { describe, expect, it } from 'vitest';
import { HistogramRing } from './histogram-ring.ts';
import { histogramPercentile, LogBuckets } from './log-histogram.ts';

const buckets = new LogBuckets(0.02);
const countOf = (packed: Float64Array | undefined) =>
  (packed ?? new Float64Array()).filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0);

describe('histogram ring', () => {
  it('holds the latest units only, each with its own values', () => {
    const ring = new HistogramRing(buckets, 3);
    for (let unit = 0; unit < 5; unit++) ring.add(unit, 10 * (unit + 1), 1);
    expect(ring.holds(1)).toBe(false);
    expect(ring.get(1)).toBeUndefined();
    expect(ring.holds(2)).toBe(true);
    expect(histogramPercentile(buckets, [ring.get(2) as Float64Array], 50)).toBeCloseTo(30, -0.5);
    expect(histogramPercentile(buckets, [ring.get(4) as Float64Array], 50)).toBeCloseTo(50, -0.5);
  });

  it('reopens a packed unit for a late value, and drops a value older than it can hold', () => {
    const ring = new HistogramRing(buckets, 3);
    ring.add(5, 1, 1);
    ring.add(6, 1, 1);
    ring.add(5, 1, 2); // late, still held: joins unit 5
    expect(countOf(ring.get(5))).toBe(3);
    ring.add(1, 1, 1); // older than the ring: would overwrite a newer unit's slot
    ring.add(7, 1, 1);
    expect(countOf(ring.get(1))).toBe(0);
    expect(countOf(ring.get(6))).toBe(1);
  });
});
