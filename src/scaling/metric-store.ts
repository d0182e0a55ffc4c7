/** A CloudWatch metric identity: namespace, name and dimensions. */
export interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** CloudWatch statistics: Sum, Average, Minimum, Maximum, SampleCount, or a percentile like p99 or p99.9. */
export type Statistic = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' | `p${number}`;

/** One aggregated datapoint of a period. */
export interface Datapoint {
  /** Start of the period (virtual time, ms). */
  readonly timestampMs: number;
  readonly value: number;
}

/** Options of {@link MetricStore}. */
export interface MetricStoreOptions {
  /** How much virtual history to keep. @default 3 hours (the issue asks for at least the last hour) */
  readonly retentionMs?: number;
}

interface Second {
  sum: number;
  count: number;
  min: number;
  max: number;
  /** Raw values, kept only for metrics whose percentiles are read (latency, duration). */
  values: number[] | undefined;
}

interface Series {
  readonly id: MetricId;
  readonly keepValues: boolean;
  readonly seconds: Map<number, Second>;
}

/** Metric names whose raw values are kept for percentiles. */
const percentileMetrics = new Set(['Latency', 'IntegrationLatency', 'Duration', 'SuccessfulRequestLatency']);

/**
 * CloudWatch's metric store in miniature: values recorded at 1-second resolution (of virtual time), read back as
 * periods of any whole number of seconds with any statistic (B 7.7, 7.8). Pure: times come in as arguments.
 */
export class MetricStore {
  private readonly series = new Map<string, Series>();
  private readonly retentionMs: number;

  constructor(options: MetricStoreOptions = {}) {
    this.retentionMs = options.retentionMs ?? 3 * 3_600_000;
  }

  /** Records one value (a request's latency, one throttle event, units consumed) at `atMs`. */
  record(id: MetricId, value: number, atMs: number, weight = 1): void {
    const series = this.seriesOf(id);
    const second = Math.floor(atMs / 1000);
    let bucket = series.seconds.get(second);
    if (!bucket) {
      bucket = {
        sum: 0,
        count: 0,
        min: Number.POSITIVE_INFINITY,
        max: Number.NEGATIVE_INFINITY,
        values: series.keepValues ? [] : undefined,
      };
      series.seconds.set(second, bucket);
      this.prune(series, second);
    }
    bucket.sum += value * weight;
    bucket.count += weight;
    bucket.min = Math.min(bucket.min, value);
    bucket.max = Math.max(bucket.max, value);
    bucket.values?.push(value);
  }

  /** Every metric recorded so far. */
  list(): MetricId[] {
    return [...this.series.values()].map((s) => s.id);
  }

  /**
   * Datapoints of `id` for each `periodSeconds` period overlapping [fromMs, toMs), aligned to the epoch as
   * CloudWatch aligns them. Periods without data are absent (missing data).
   */
  query(id: MetricId, statistic: Statistic, periodSeconds: number, fromMs: number, toMs: number): Datapoint[] {
    const series = this.series.get(keyOf(id));
    if (!series) return [];
    const periodMs = periodSeconds * 1000;
    const datapoints: Datapoint[] = [];
    for (let start = Math.floor(fromMs / periodMs) * periodMs; start < toMs; start += periodMs) {
      const value = this.aggregate(series, statistic, start / 1000, (start + periodMs) / 1000);
      if (value !== undefined) datapoints.push({ timestampMs: start, value });
    }
    return datapoints;
  }

  /** One statistic over the window [fromMs, toMs) (whole seconds), or undefined when no data. */
  aggregateWindow(id: MetricId, statistic: Statistic, fromMs: number, toMs: number): number | undefined {
    const series = this.series.get(keyOf(id));
    return series && this.aggregate(series, statistic, Math.floor(fromMs / 1000), Math.floor(toMs / 1000));
  }

  /** The aggregate of one period [fromSecond, toSecond), or undefined when no data. */
  private aggregate(series: Series, statistic: Statistic, fromSecond: number, toSecond: number): number | undefined {
    let sum = 0;
    let count = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const values: number[] = [];
    for (let second = fromSecond; second < toSecond; second++) {
      const bucket = series.seconds.get(second);
      if (!bucket) continue;
      sum += bucket.sum;
      count += bucket.count;
      min = Math.min(min, bucket.min);
      max = Math.max(max, bucket.max);
      if (bucket.values) values.push(...bucket.values);
    }
    if (count === 0) return undefined;
    switch (statistic) {
      case 'Sum':
        return sum;
      case 'SampleCount':
        return count;
      case 'Average':
        return sum / count;
      case 'Minimum':
        return min;
      case 'Maximum':
        return max;
      default:
        return percentile(values, Number(statistic.slice(1)));
    }
  }

  private seriesOf(id: MetricId): Series {
    const key = keyOf(id);
    let series = this.series.get(key);
    if (!series) {
      series = { id, keepValues: percentileMetrics.has(id.metricName), seconds: new Map() };
      this.series.set(key, series);
    }
    return series;
  }

  private prune(series: Series, nowSecond: number): void {
    const oldest = nowSecond - this.retentionMs / 1000;
    for (const second of series.seconds.keys()) {
      if (second >= oldest) break; // Map iterates in insertion order: oldest first
      series.seconds.delete(second);
    }
  }
}

/** Whether `text` names a statistic (Sum, ..., p0-p100 with decimals). */
export function isStatistic(text: string): text is Statistic {
  return ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'].includes(text) || /^p(100|\d{1,2}(\.\d{1,10})?)$/.test(text);
}

/** A stable key for a metric identity (dimension order does not matter). */
export function keyOf(id: MetricId): string {
  const dims = Object.entries(id.dimensions)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${id.namespace}|${id.metricName}|${dims}`;
}

/** Nearest-rank percentile, as CloudWatch computes it on raw datapoints. */
function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
