/**
 * Counts of values in logarithmic buckets: every value is represented within `relativeAccuracy` of itself, and a
 * second's worth of values costs at most one entry per distinct bucket, whatever the traffic (the DDSketch mapping:
 * bucket i holds (gamma^(i-1), gamma^i], represented by 2 gamma^i / (gamma + 1)). Zero and below share one bucket.
 */
export class LogBuckets {
  readonly gamma: number;
  private readonly logGamma: number;

  constructor(readonly relativeAccuracy = 0.02) {
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
  }

  /** The bucket of `value`; values at or below 0 go to the zero bucket, numbered below every other. */
  indexOf(value: number): number {
    return value > 0 ? Math.ceil(Math.log(value) / this.logGamma) : zeroBucket;
  }

  /** The value a bucket stands for: within the relative accuracy of every value in it. */
  valueOf(index: number): number {
    return index === zeroBucket ? 0 : (2 * this.gamma ** index) / (this.gamma + 1);
  }
}

const zeroBucket = -1_000_000;

/** A histogram being filled: bucket -> count. */
export class OpenHistogram {
  private readonly counts = new Map<number, number>();

  /** @param packed counts to start from: a second's packed histogram, reopened when a late value arrives for it */
  constructor(
    private readonly buckets: LogBuckets,
    packed?: Float64Array,
  ) {
    for (let at = 0; packed && at < packed.length; at += 2) this.counts.set(packed[at] as number, packed[at + 1] as number);
  }

  add(value: number, weight: number): void {
    const index = this.buckets.indexOf(value);
    this.counts.set(index, (this.counts.get(index) ?? 0) + weight);
  }

  /** The same counts packed into one typed array of [bucket, count] pairs, a few bytes per distinct bucket. */
  freeze(): Float64Array {
    const packed = new Float64Array(this.counts.size * 2);
    let at = 0;
    for (const [index, count] of this.counts) {
      packed[at++] = index;
      packed[at++] = count;
    }
    return packed;
  }
}

/**
 * The nearest-rank percentile `p` (0-100) of the values in `histograms` (packed [bucket, count] pairs), as the
 * represented value of its bucket; undefined when they hold nothing.
 */
export function histogramPercentile(buckets: LogBuckets, histograms: readonly Float64Array[], p: number): number | undefined {
  const merged = new Map<number, number>();
  let total = 0;
  for (const packed of histograms) {
    for (let at = 0; at < packed.length; at += 2) {
      const index = packed[at] as number;
      const count = packed[at + 1] as number;
      merged.set(index, (merged.get(index) ?? 0) + count);
      total += count;
    }
  }
  if (total === 0) return undefined;
  // Nearest rank; the tolerance keeps 0.9 x 10 = 9.000000000000002 at rank 9.
  const rank = Math.max(Number.MIN_VALUE, (p / 100) * total * (1 - 1e-12));
  let seen = 0;
  for (const index of [...merged.keys()].sort((a, b) => a - b)) {
    seen += merged.get(index) as number;
    if (seen >= rank) return buckets.valueOf(index);
  }
  return undefined;
}
