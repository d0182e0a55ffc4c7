import { readFileSync } from 'node:fs';
import { inputError } from './step-counts.ts';

/** One metric's datapoints from CloudWatch exports, oldest first, pages joined. */
export interface MetricSeries {
  /** The label the query gave it: `Count GET /products`, `Invocations GetProducts`, `ProvisionedReadCapacityUnits T`. */
  readonly label: string;
  readonly metricName: string;
  /** What the label names after the metric: a route, a function, a table. */
  readonly subject: string;
  readonly points: { timeMs: number; value: number }[];
  /** Seconds between datapoints (the query's period), from the data. */
  readonly periodSeconds: number;
  readonly file: string;
}

/** Metrics that count requests (their Sum per period); anything else is refused as another unit. */
const countMetrics = new Set(['Count', 'Invocations']);
const capacityMetrics = new Set(['ProvisionedReadCapacityUnits', 'ProvisionedWriteCapacityUnits']);

/**
 * Reads what the AWS CLI prints for `aws cloudwatch get-metric-data` (`MetricDataResults` with `Id`, `Label`,
 * `Timestamps`, `Values`, `StatusCode`; a `NextToken` page per file, newest first as AWS gives them) and for
 * `aws cloudwatch get-metric-statistics` (`Label`, `Datapoints` with `Timestamp`, `Sum`, `Unit`). Neither names the
 * query's dimensions, so each result's label must: the queries in docs/traffic-history.md set them.
 */
export function readCloudWatchExports(files: readonly string[]): MetricSeries[] {
  const byLabel: Collected = new Map();
  for (const file of files) {
    const document = readJson(file);
    if (Array.isArray((document as { MetricDataResults?: unknown }).MetricDataResults))
      readMetricData(file, document as { MetricDataResults: unknown[] }, byLabel);
    else if (Array.isArray((document as { Datapoints?: unknown }).Datapoints))
      readStatistics(file, document as { Datapoints: unknown[]; Label?: unknown }, byLabel);
    else
      throw inputError(file, undefined, 'neither get-metric-data output (MetricDataResults) nor get-metric-statistics output (Datapoints)');
  }
  return [...byLabel].map(([label, { file, points }]) => series(label, file, points));
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw inputError(file, undefined, 'no such file, or not readable');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw inputError(file, at ? `at character ${at}` : undefined, `truncated or malformed JSON (${text.length} characters read)`);
  }
}

/** A datapoint as read, with the file and the position it came from (for errors). */
interface ReadPoint {
  readonly timeMs: number;
  readonly value: number;
  readonly file: string;
  readonly where: string;
}
type Collected = Map<string, { file: string; points: ReadPoint[] }>;

function collect(byLabel: Collected, label: string, file: string): ReadPoint[] {
  let entry = byLabel.get(label);
  if (!entry) {
    entry = { file, points: [] };
    byLabel.set(label, entry);
  }
  return entry.points;
}

function checkedLabel(file: string, where: string, label: unknown): string {
  if (typeof label !== 'string' || label.trim() === '') throw inputError(file, where, 'no Label');
  const [metricName = ''] = label.split(' ');
  if (!countMetrics.has(metricName) && !capacityMetrics.has(metricName))
    throw inputError(
      file,
      where,
      `label "${label}": ${metricName} is not a count of requests (Count, Invocations) nor provisioned capacity; give each query the label docs/traffic-history.md shows ("Count GET /products")`,
    );
  if (!label.includes(' '))
    throw inputError(file, where, `label "${label}" does not say which route, function or table it counts ("Count GET /products")`);
  return label;
}

function readMetricData(file: string, document: { MetricDataResults: unknown[] }, byLabel: Collected): void {
  document.MetricDataResults.forEach((raw, i) => {
    const result = raw as { Id?: unknown; Label?: unknown; Timestamps?: unknown; Values?: unknown; StatusCode?: unknown };
    const where = `MetricDataResults[${i}]${typeof result.Id === 'string' ? ` (Id ${result.Id})` : ''}`;
    const label = checkedLabel(file, where, result.Label);
    if (!Array.isArray(result.Timestamps) || !Array.isArray(result.Values) || result.Timestamps.length !== result.Values.length)
      throw inputError(file, where, 'Timestamps and Values are not two lists of one length');
    if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError')
      throw inputError(file, where, `StatusCode ${result.StatusCode}: CloudWatch did not answer this query`);
    const points = collect(byLabel, label, file);
    const values = result.Values as unknown[];
    const times = (result.Timestamps as unknown[]).map((t, j) => timeOf(t, file, `${where} Timestamps[${j}]`));
    // AWS gives each page newest first (ScanBy TimestampDescending) or oldest first: either, but one order.
    const ascending = times.every((t, j) => j === 0 || t > (times[j - 1] as number));
    const descending = times.every((t, j) => j === 0 || t < (times[j - 1] as number));
    if (!ascending && !descending) {
      const j = times.findIndex(
        (t, k) => k > 1 && Math.sign(t - (times[k - 1] as number)) !== Math.sign((times[1] as number) - (times[0] as number)),
      );
      throw inputError(file, `${where} Timestamps[${j}]`, 'timestamps out of order or duplicated');
    }
    times.forEach((timeMs, j) => {
      const value = values[j];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw inputError(file, `${where} Values[${j}]`, `not a count: ${JSON.stringify(value)}`);
      points.push({ timeMs, value, file, where: `${where} Timestamps[${j}]` });
    });
  });
}

function readStatistics(file: string, document: { Datapoints: unknown[]; Label?: unknown }, byLabel: Collected): void {
  const label = checkedLabel(file, 'Label', document.Label);
  const points = collect(byLabel, label, file);
  const capacity = capacityMetrics.has(label.split(' ')[0] ?? '');
  document.Datapoints.forEach((raw, i) => {
    const point = raw as { Timestamp?: unknown; Sum?: unknown; SampleCount?: unknown; Average?: unknown; Unit?: unknown };
    const where = `Datapoints[${i}]`;
    if (point.Unit !== undefined && point.Unit !== 'Count')
      throw inputError(file, where, `Unit ${String(point.Unit)}: a count of requests has Unit Count`);
    // API Gateway documents SampleCount for Count; Sum gives the same number. Either is taken.
    const value = capacity ? point.Average : (point.Sum ?? point.SampleCount);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw inputError(
        file,
        where,
        capacity ? 'no Average (provisioned capacity is read as Average)' : 'no Sum or SampleCount (ask for --statistics Sum)',
      );
    points.push({ timeMs: timeOf(point.Timestamp, file, `${where} Timestamp`), value, file, where });
  });
}

function timeOf(value: unknown, file: string, where: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw inputError(file, where, `not an ISO-8601 timestamp: ${JSON.stringify(value)}`);
  return ms;
}

/** One series, oldest first; a timestamp twice (within or across pages) is refused. */
function series(label: string, file: string, points: readonly ReadPoint[]): MetricSeries {
  const sorted = [...points].sort((a, b) => a.timeMs - b.timeMs);
  let periodMs = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) {
    const point = sorted[i] as ReadPoint;
    const gap = point.timeMs - (sorted[i - 1] as ReadPoint).timeMs;
    if (gap === 0)
      throw inputError(point.file, point.where, `timestamp ${new Date(point.timeMs).toISOString()} of "${label}" appears twice`);
    periodMs = Math.min(periodMs, gap);
  }
  const [metricName = '', ...rest] = label.split(' ');
  return {
    label,
    metricName,
    subject: rest.join(' '),
    points: sorted.map(({ timeMs, value }) => ({ timeMs, value })),
    periodSeconds: Number.isFinite(periodMs) ? periodMs / 1000 : 60,
    file,
  };
}
