import { HistogramRing } from './histogram-ring.ts';
import { histogramPercentile, LogBuckets } from './log-histogram.ts';

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
  /** How much virtual history to keep, in whole seconds. @default 3 hours (the issue asks for at least the last hour) */
  readonly retentionMs?: number;
  /** Relative accuracy of percentiles. @default 0.02 (every percentile within 2% of a recorded value) */
  readonly percentileAccuracy?: number;
  /**
   * How far back percentiles have per-second histograms; older percentiles come from per-minute ones, which AWS's
   * own service metrics never go below (B 7.7). @default 5 minutes
   */
  readonly secondHistogramsMs?: number;
}

/**
 * One metric's seconds in ring buffers: slot `second mod retention` holds that second's sum, count, minimum and
 * maximum: 5 numbers per second (8 bytes each); pages no second has touched yet are not resident. Percentile metrics
 * also keep histograms, one [bucket, count] pair per distinct 2%-wide bucket of values: per second for the last 5
 * minutes and per minute for the whole retention. The size is fixed by those spans, whatever the traffic (per-second
 * histograms for three hours would hold about 150 MB under a sale's traffic; bench/metric-store-size.ts).
 */
interface Series {
  readonly id: MetricId;
  /** Second + 1 held by each slot (0: never written), so a stale slot is told from a current one. */
  readonly secondOf: Float64Array;
  readonly sum: Float64Array;
  readonly count: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Percentile metrics only: the histograms of recent seconds, and of every retained minute. */
  readonly histograms: { readonly seconds: HistogramRing; readonly minutes: HistogramRing } | undefined;
  /** The same for whole minutes (minute + 1, sum, count, min, max), so minute periods read 60 times fewer slots. */
  readonly minutes: {
    readonly minuteOf: Float64Array;
    readonly sum: Float64Array;
    readonly count: Float64Array;
    readonly min: Float64Array;
    readonly max: Float64Array;
  };
}

/** Metric names whose values are kept (as histograms) for percentiles. */
const percentileMetrics = new Set(['Latency', 'IntegrationLatency', 'Duration', 'SuccessfulRequestLatency']);

/**
 * CloudWatch's metric store in miniature: values recorded at 1-second resolution (of virtual time), read back as
 * periods of any whole number of seconds with any statistic (B 7.7, 7.8). Memory is bounded by the retention and
 * does not grow with traffic (see Series). Pure: times come in as arguments.
 */
export class MetricStore {
  private readonly series = new Map<string, Series>();
  private readonly retentionSeconds: number;
  private readonly secondHistograms: number;
  private readonly buckets: LogBuckets;
  private latestSecond = Number.NEGATIVE_INFINITY;

  constructor(options: MetricStoreOptions = {}) {
    this.retentionSeconds = Math.ceil((options.retentionMs ?? 3 * 3_600_000) / 1000);
    this.secondHistograms = Math.min(this.retentionSeconds, Math.ceil((options.secondHistogramsMs ?? 5 * 60_000) / 1000));
    this.buckets = new LogBuckets(options.percentileAccuracy ?? 0.02);
  }

  /** Bytes the store may hold per metric at most, percentile histograms aside: the bound of its fixed part. */
  get bytesPerSeries(): number {
    return this.retentionSeconds * 5 * Float64Array.BYTES_PER_ELEMENT;
  }

  /** Records one value (a request's latency, one throttle event, units consumed) at `atMs`. */
  record(id: MetricId, value: number, atMs: number, weight = 1): void {
    const series = this.seriesOf(id);
    const second = Math.floor(atMs / 1000);
    this.add(series, second, value * weight, weight, value, value);
    if (series.histograms) {
      series.histograms.seconds.add(second, value, weight);
      series.histograms.minutes.add(Math.floor(second / 60), value, weight);
    }
  }

  /**
   * Records values already aggregated (CloudWatch's StatisticValues: sum, sample count, minimum, maximum) at `atMs`,
   * as PutMetricData accepts them. Not for percentile metrics, which need each value.
   */
  recordStatistics(id: MetricId, statistics: { sum: number; count: number; min: number; max: number }, atMs: number): void {
    if (statistics.count <= 0) return;
    this.add(this.seriesOf(id), Math.floor(atMs / 1000), statistics.sum, statistics.count, statistics.min, statistics.max);
  }

  /** Adds figures to a second's slot and to its minute's, starting either afresh when it held an older one. */
  private add(series: Series, second: number, sum: number, count: number, min: number, max: number): void {
    this.latestSecond = Math.max(this.latestSecond, second);
    const slot = this.slotOf(second);
    if (series.secondOf[slot] !== second + 1) {
      series.secondOf[slot] = second + 1;
      series.sum[slot] = 0;
      series.count[slot] = 0;
      series.min[slot] = Number.POSITIVE_INFINITY;
      series.max[slot] = Number.NEGATIVE_INFINITY;
    }
    series.sum[slot] = (series.sum[slot] as number) + sum;
    series.count[slot] = (series.count[slot] as number) + count;
    series.min[slot] = Math.min(series.min[slot] as number, min);
    series.max[slot] = Math.max(series.max[slot] as number, max);
    const minutes = series.minutes;
    const minute = Math.floor(second / 60);
    const m = ((minute % minutes.minuteOf.length) + minutes.minuteOf.length) % minutes.minuteOf.length;
    if (minutes.minuteOf[m] !== minute + 1) {
      minutes.minuteOf[m] = minute + 1;
      minutes.sum[m] = 0;
      minutes.count[m] = 0;
      minutes.min[m] = Number.POSITIVE_INFINITY;
      minutes.max[m] = Number.NEGATIVE_INFINITY;
    }
    minutes.sum[m] = (minutes.sum[m] as number) + sum;
    minutes.count[m] = (minutes.count[m] as number) + count;
    minutes.min[m] = Math.min(minutes.min[m] as number, min);
    minutes.max[m] = Math.max(minutes.max[m] as number, max);
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
    if (periodSeconds % 60 === 0 && !statistic.startsWith('p')) {
      for (let start = Math.floor(fromMs / periodMs) * periodMs; start < toMs; start += periodMs) {
        const value = this.aggregateMinutes(series, statistic, start / 60_000, (start + periodMs) / 60_000);
        if (value !== undefined) datapoints.push({ timestampMs: start, value });
      }
      return datapoints;
    }
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

  /** The aggregate of whole minutes [fromMinute, toMinute) from the minute rollups (not for percentiles). */
  private aggregateMinutes(series: Series, statistic: Statistic, fromMinute: number, toMinute: number): number | undefined {
    const { minutes } = series;
    const slots = minutes.minuteOf.length;
    let sum = 0;
    let count = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    // Minutes that started before the retained seconds are gone, as their seconds are.
    const oldest = Math.max(fromMinute, Math.ceil((this.latestSecond - this.retentionSeconds + 1) / 60));
    for (let minute = oldest; minute < toMinute; minute++) {
      const m = ((minute % slots) + slots) % slots;
      if (minutes.minuteOf[m] !== minute + 1) continue;
      sum += minutes.sum[m] as number;
      count += minutes.count[m] as number;
      min = Math.min(min, minutes.min[m] as number);
      max = Math.max(max, minutes.max[m] as number);
    }
    if (count === 0) return undefined;
    return statisticOf(statistic, sum, count, min, max);
  }

  /** The aggregate of one period [fromSecond, toSecond), or undefined when no data. */
  private aggregate(series: Series, statistic: Statistic, fromSecond: number, toSecond: number): number | undefined {
    let sum = 0;
    let count = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const oldest = Math.max(fromSecond, this.latestSecond - this.retentionSeconds + 1);
    for (let second = oldest; second < toSecond; second++) {
      const slot = this.slotOf(second);
      if (series.secondOf[slot] !== second + 1) continue;
      sum += series.sum[slot] as number;
      count += series.count[slot] as number;
      min = Math.min(min, series.min[slot] as number);
      max = Math.max(max, series.max[slot] as number);
    }
    if (count === 0) return undefined;
    switch (statistic) {
      case 'Sum':
      case 'SampleCount':
      case 'Average':
      case 'Minimum':
      case 'Maximum':
        return statisticOf(statistic, sum, count, min, max);
      default: {
        const p = Number(statistic.slice(1));
        // The extremes are exact: they are kept per second beside the histogram.
        if (p >= 100) return max;
        if (p <= 0) return min;
        const histograms = series.histograms ? histogramsOf(series.histograms, oldest, toSecond) : [];
        const value = histogramPercentile(this.buckets, histograms, p);
        return value === undefined ? undefined : Math.min(max, Math.max(min, value));
      }
    }
  }

  private slotOf(second: number): number {
    return ((second % this.retentionSeconds) + this.retentionSeconds) % this.retentionSeconds;
  }

  private seriesOf(id: MetricId): Series {
    const key = keyOf(id);
    let series = this.series.get(key);
    if (!series) {
      const n = this.retentionSeconds;
      series = {
        id,
        secondOf: new Float64Array(n),
        sum: new Float64Array(n),
        count: new Float64Array(n),
        min: new Float64Array(n),
        max: new Float64Array(n),
        histograms: percentileMetrics.has(id.metricName)
          ? {
              seconds: new HistogramRing(this.buckets, this.secondHistograms),
              minutes: new HistogramRing(this.buckets, Math.ceil(n / 60) + 1),
            }
          : undefined,
        minutes: (() => {
          const m = Math.ceil(n / 60) + 1;
          return {
            minuteOf: new Float64Array(m),
            sum: new Float64Array(m),
            count: new Float64Array(m),
            min: new Float64Array(m),
            max: new Float64Array(m),
          };
        })(),
      };
      this.series.set(key, series);
    }
    return series;
  }
}

/**
 * The histograms covering seconds [fromSecond, toSecond): whole minutes from the minute histograms, the seconds of a
 * partial minute from the second histograms while they are held. A partial minute older than those is represented by
 * its whole minute's histogram (the percentile is then clamped to the period's exact minimum and maximum).
 */
function histogramsOf(rings: NonNullable<Series['histograms']>, fromSecond: number, toSecond: number): Float64Array[] {
  const found: Float64Array[] = [];
  let second = fromSecond;
  while (second < toSecond) {
    const minute = Math.floor(second / 60);
    const wholeMinute = second === minute * 60 && second + 60 <= toSecond;
    if (!wholeMinute && rings.seconds.holds(second)) {
      const histogram = rings.seconds.get(second);
      if (histogram) found.push(histogram);
      second += 1;
      continue;
    }
    const histogram = rings.minutes.get(minute);
    if (histogram) found.push(histogram);
    second = (minute + 1) * 60;
  }
  return found;
}

/** A non-percentile statistic from a period's totals. */
function statisticOf(statistic: Statistic, sum: number, count: number, min: number, max: number): number {
  switch (statistic) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return count;
    case 'Average':
      return sum / count;
    case 'Minimum':
      return min;
    default:
      return max;
  }
}

/** Whether `text` names a statistic (Sum, ..., p0-p100 with decimals). */
export function isStatistic(text: string): text is Statistic {
  return ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'].includes(text) || /^p(100|\d{1,2}(\.\d{1,10})?)$/.test(text);
}

const keys = new WeakMap<MetricId, string>();

/** A stable key for a metric identity (dimension order does not matter); remembered per identity object. */
export function keyOf(id: MetricId): string {
  const known = keys.get(id);
  if (known !== undefined) return known;
  const key = computeKey(id);
  keys.set(id, key);
  return key;
}

function computeKey(id: MetricId): string {
  const dims = Object.entries(id.dimensions)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${id.namespace}|${id.metricName}|${dims}`;
}
