import type { ScalingActivity } from '../scaling/application-auto-scaling.ts';
import type { AlarmTransition } from '../scaling/cloudwatch-alarm.ts';
import { histogramPercentile, LogBuckets, OpenHistogram } from '../scaling/log-histogram.ts';
import type { MetricId, MetricStore } from '../scaling/metric-store.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import type { TableCapacity } from '../scaling/table-capacity.ts';
import type { FluidFunction } from './fluid-function.ts';
import type { LatencyPrediction, OutcomeCounts, PhasePrediction, Prediction, SecondSample, UsageTotals } from './prediction.ts';
import type { RetryOutcomes } from './retry-queue.ts';
import type { TableResource } from './table-resource.ts';
import type { TrafficProfile } from './traffic-profile.ts';

const buckets = new LogBuckets(0.01);

/** Most samples a timeline keeps: longer runs are sampled every few seconds (sums, and maxima of concurrency). */
const maxSamples = 3_600;

function newSample(): Omit<SecondSample, 'second' | 'seconds'> & { requests: number; ok: number; throttled: number } {
  return { requests: 0, ok: 0, throttled: 0, reads: {}, concurrency: {} };
}

function latencies(histogram: OpenHistogram): LatencyPrediction {
  const packed = [histogram.freeze()];
  const at = (p: number) => histogramPercentile(buckets, packed, p) ?? 0;
  return { p50Ms: at(50), p90Ms: at(90), p99Ms: at(99), p999Ms: at(99.9), maxMs: at(100) };
}

/** A table or one of its GSIs, as the recorder samples it every second. */
interface TablePart {
  readonly capacity: TableCapacity;
  readonly indexName: string | undefined;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly provisioned: boolean;
  readonly readKey: string;
  readonly writeKey: string;
  readonly hourlyPeaks: { read: number; write: number }[];
}

/**
 * Collects what a simulation predicts: outcomes and latencies per phase (by the second each request arrived in), a
 * per-second timeline, the alarm transitions and scaling activities, usage for the bill, and the AWS metrics the
 * alarms and target tracking read, named as CloudWatch names them.
 */
export class PredictionRecorder implements RetryOutcomes {
  private readonly phases: (PhasePrediction & { histogram: OpenHistogram })[];
  private readonly totalHistogram = new OpenHistogram(buckets);
  private readonly timeline: SecondSample[] = [];
  private readonly alarms: Prediction['alarms'] = [];
  private readonly activities: Prediction['activities'] = [];
  private readonly firstThrottleSecond: Prediction['firstThrottleSecond'] = {};
  private readonly usage: UsageTotals = {
    functions: {},
    provisionedSeconds: {},
    gatewayRequests: 0,
    alarms: 0,
    consumed: {},
    hourlyPeaks: {},
  };
  private step = this.newStep();
  private sample = newSample();
  private readonly sampleSeconds: number;
  private readonly parts: TablePart[];
  private readonly apiDimensions: Record<string, string>[];

  constructor(
    model: StackModel,
    profile: TrafficProfile,
    private readonly tables: ReadonlyMap<string, TableCapacity>,
    private readonly functions: ReadonlyMap<string, FluidFunction>,
    private readonly metrics: MetricStore,
    totalSteps: number,
    private readonly watches: (id: MetricId) => boolean,
    /** Metrics are written per window of this length, aligned to the epoch as alarm periods are. */
    private readonly metricWindowMs = 1000,
  ) {
    this.sampleSeconds = Math.max(1, Math.ceil(totalSteps / maxSamples));
    this.parts = model.tables.flatMap((table) => {
      const capacity = tables.get(table.tableName) as TableCapacity;
      return [undefined, ...capacity.indexNames].map((indexName) => {
        const name = indexName ? `${table.tableName}/${indexName}` : table.tableName;
        const hourlyPeaks: { read: number; write: number }[] = [];
        if (table.billingMode === 'PROVISIONED') this.usage.hourlyPeaks[name] = hourlyPeaks;
        return {
          capacity,
          indexName,
          name,
          dimensions: { TableName: table.tableName, ...(indexName && { GlobalSecondaryIndexName: indexName }) },
          provisioned: table.billingMode === 'PROVISIONED',
          readKey: `${name}|read`,
          writeKey: `${name}|write`,
          hourlyPeaks,
        };
      });
    });
    this.phases = profile.phases.map((phase) => ({
      name: phase.name,
      requests: 0,
      ok: 0,
      throttled: { gateway: 0, lambda: 0, dynamodb: 0 },
      p50Ms: 0,
      p90Ms: 0,
      p99Ms: 0,
      p999Ms: 0,
      maxMs: 0,
      peakConcurrency: {},
      capacity: {},
      histogram: new OpenHistogram(buckets),
    }));
    const api = model.api;
    this.apiDimensions = api ? [{ ApiName: api.name }, { ApiName: api.name, Stage: api.stageName }] : [];
    for (const fn of model.functions) this.usage.functions[fn.name] = { invocations: 0, busySeconds: 0, provisionedBusySeconds: 0 };
  }

  /** Requests offered to the gateway in `step`, and how many it refused (429). */
  arrived(step: number, phase: number | undefined, offered: number, refused: number, latencyMs: number): void {
    if (phase === undefined || offered <= 0) return;
    const p = this.phases[phase] as PhasePrediction & { histogram: OpenHistogram };
    p.requests += offered;
    this.sample.requests += offered;
    this.usage.gatewayRequests += offered - refused;
    if (refused <= 0) return;
    p.throttled.gateway += refused;
    this.firstThrottleSecond.gateway ??= step;
    this.respond(phase, refused, latencyMs, 429);
  }

  /** Requests the gateway passed on and Lambda refused (the client sees 500). */
  lambdaThrottled(step: number, phase: number | undefined, functionName: string, count: number, latencyMs: number): void {
    if (phase === undefined || count <= 1e-9) return;
    this.metric('AWS/Lambda', 'Throttles', this.functionDimensions(functionName), 1, count);
    (this.phases[phase] as PhasePrediction).throttled.lambda += count;
    this.firstThrottleSecond.lambda ??= step;
    this.respond(phase, count, latencyMs, 500);
  }

  /** Invocations that started, and the busy seconds they hold in this second. */
  invoked(functionName: string, _qualifier: string, count: number, busySeconds: number): void {
    const usage = this.usage.functions[functionName];
    if (!usage) return;
    this.metric('AWS/Lambda', 'Invocations', this.functionDimensions(functionName), 1, count);
    this.metric('AWS/Lambda', 'Errors', this.functionDimensions(functionName), 0, count);
    usage.invocations += count;
    usage.busySeconds += busySeconds;
  }

  /** Requests whose last call succeeded. */
  completed(_step: number, phase: number, count: number, latencyMs: number): void {
    if (count <= 0) return;
    (this.phases[phase] as PhasePrediction).ok += count;
    this.sample.ok += count;
    this.respond(phase, count, latencyMs, 200);
  }

  gaveUp(_step: number, phase: number, count: number, latencyMs: number): void {
    (this.phases[phase] as PhasePrediction).throttled.dynamodb += count;
    this.respond(phase, count, latencyMs, 503);
  }

  /** Units calls asked of a table or index this second (every attempt). */
  demanded(resource: TableResource, units: number): void {
    if (resource.kind === 'read') this.readSample(resource.name).demanded += units;
  }

  /** Units calls consumed. */
  consumed(resource: TableResource, units: number): void {
    const totals = this.usage.consumed[resource.name] ?? { read: 0, write: 0 };
    this.usage.consumed[resource.name] = totals;
    totals[resource.kind] += units;
    const metricName = resource.kind === 'read' ? 'ConsumedReadCapacityUnits' : 'ConsumedWriteCapacityUnits';
    this.metric('AWS/DynamoDB', metricName, resource.dimensions, units, 1);
    if (resource.kind === 'read') this.readSample(resource.name).consumed += units;
    this.step.traffic.add(resource.key);
  }

  /** Calls refused by a table or index (before the SDK's retry). */
  dynamoDbThrottled(resource: TableResource, operation: string, count: number): void {
    this.firstThrottleSecond.dynamodb ??= Math.floor((this.nowMs - (this.startMs ?? this.nowMs)) / 1000);
    this.metric('AWS/DynamoDB', resource.kind === 'read' ? 'ReadThrottleEvents' : 'WriteThrottleEvents', resource.dimensions, 1, count);
    const dimensions = this.dimensionsOf(`${resource.tableName}|${operation}`, () => ({
      TableName: resource.tableName,
      Operation: operation,
    }));
    this.metric('AWS/DynamoDB', 'ThrottledRequests', dimensions, 1, count);
    this.sample.throttled += count;
    this.step.throttleEvents.add(resource.key);
  }

  alarm(transition: AlarmTransition, step: number): void {
    this.alarms.push({ ...transition, second: step });
  }

  activity(activity: ScalingActivity, step: number): void {
    this.activities.push({ ...activity, second: step });
  }

  /** Closes a second: gauges AWS samples (concurrency, provisioned capacity), the timeline, the per-phase peaks. */
  endStep(step: number, nowMs: number, phase: number | undefined): void {
    const sample = this.sample;
    for (const fn of this.functions.values()) {
      const busy = fn.busyAt(step);
      sample.concurrency[fn.name] = Math.max(sample.concurrency[fn.name] ?? 0, busy);
      this.metric('AWS/Lambda', 'ConcurrentExecutions', this.functionDimensions(fn.name), busy, 1);
      const usage = this.usage.functions[fn.name];
      if (usage) usage.provisionedBusySeconds += Math.min(busy, fn.provisionedTotal);
      this.usage.provisionedSeconds[fn.name] = (this.usage.provisionedSeconds[fn.name] ?? 0) + fn.provisionedTotal;
      for (const [qualifier, count] of fn.provisioned) {
        if (count <= 0) continue;
        const dimensions = this.aliasDimensions(fn.name, qualifier);
        this.metric('AWS/Lambda', 'ProvisionedConcurrencyUtilization', dimensions, Math.min(busy, count) / count, 1);
      }
      if (phase !== undefined) {
        const peaks = (this.phases[phase] as PhasePrediction).peakConcurrency;
        if (busy > (peaks[fn.name] ?? 0)) peaks[fn.name] = busy;
      }
    }
    const hour = Math.floor(step / 3600);
    for (const part of this.parts) {
      const described = part.capacity.describe(part.indexName, nowMs);
      if (part.provisioned) {
        this.metric('AWS/DynamoDB', 'ProvisionedReadCapacityUnits', part.dimensions, described.readUnitsPerSecond, 1);
        this.metric('AWS/DynamoDB', 'ProvisionedWriteCapacityUnits', part.dimensions, described.writeUnitsPerSecond, 1);
        const peak = part.hourlyPeaks[hour] ?? { read: 0, write: 0 };
        part.hourlyPeaks[hour] = peak;
        peak.read = Math.max(peak.read, described.readUnitsPerSecond);
        peak.write = Math.max(peak.write, described.writeUnitsPerSecond);
        this.readSample(part.name).provisioned = described.readUnitsPerSecond;
      }
      // Traffic without throttles reports zero throttle events, so throttle alarms can return to OK.
      if (this.step.traffic.has(part.readKey) && !this.step.throttleEvents.has(part.readKey))
        this.metric('AWS/DynamoDB', 'ReadThrottleEvents', part.dimensions, 0, 1);
      if (this.step.traffic.has(part.writeKey) && !this.step.throttleEvents.has(part.writeKey))
        this.metric('AWS/DynamoDB', 'WriteThrottleEvents', part.dimensions, 0, 1);
      if (phase !== undefined) {
        const capacityOf = (this.phases[phase] as PhasePrediction).capacity;
        const entry = capacityOf[part.name] ?? {
          read: [described.readUnitsPerSecond, described.readUnitsPerSecond],
          write: [described.writeUnitsPerSecond, described.writeUnitsPerSecond],
        };
        capacityOf[part.name] = entry;
        entry.read[1] = described.readUnitsPerSecond;
        entry.write[1] = described.writeUnitsPerSecond;
      }
    }
    this.flushResponses();
    this.flushMetrics();
    this.step.traffic.clear();
    this.step.throttleEvents.clear();
    const responses = this.step.responses;
    responses.count = 0;
    responses.clientErrors = 0;
    responses.serverErrors = 0;
    responses.latencies.clear();
    if ((step + 1) % this.sampleSeconds === 0) this.closeSample(step + 1 - this.sampleSeconds);
  }

  private closeSample(second: number, seconds = this.sampleSeconds): void {
    const { requests, ok, throttled, reads, concurrency } = this.sample;
    this.timeline.push({ second, seconds, requests, ok, throttled, reads, concurrency });
    this.sample = newSample();
  }

  /** The prediction, percentiles computed; `alarms` is how many alarms the stack ran. */
  finish(alarms: number, totalSteps: number): Prediction {
    this.usage.alarms = alarms;
    const rest = totalSteps % this.sampleSeconds;
    if (rest !== 0) this.closeSample(totalSteps - rest, rest);
    const phases = this.phases.map(({ histogram, ...phase }) => ({ ...phase, ...latencies(histogram) }));
    const total: OutcomeCounts = { requests: 0, ok: 0, throttled: { gateway: 0, lambda: 0, dynamodb: 0 } };
    for (const p of phases) {
      total.requests += p.requests;
      total.ok += p.ok;
      total.throttled.gateway += p.throttled.gateway;
      total.throttled.lambda += p.throttled.lambda;
      total.throttled.dynamodb += p.throttled.dynamodb;
    }
    return {
      phases,
      total: { ...total, ...latencies(this.totalHistogram) },
      timeline: this.timeline,
      alarms: this.alarms,
      activities: this.activities,
      firstThrottleSecond: this.firstThrottleSecond,
      usage: this.usage,
    };
  }

  /** A response the client sees: its latency, and the gateway's Count, 4XXError, 5XXError and Latency. */
  private respond(phase: number, count: number, latencyMs: number, statusCode: number): void {
    (this.phases[phase] as { histogram: OpenHistogram }).histogram.add(latencyMs, count);
    this.totalHistogram.add(latencyMs, count);
    const responses = this.step.responses;
    responses.count += count;
    if (statusCode >= 400 && statusCode < 500) responses.clientErrors += count;
    if (statusCode >= 500) responses.serverErrors += count;
    responses.latencies.set(latencyMs, (responses.latencies.get(latencyMs) ?? 0) + count);
  }

  /** The gateway's metrics of this second's responses, written once. */
  private flushResponses(): void {
    const { count, clientErrors, serverErrors, latencies } = this.step.responses;
    if (count <= 0) return;
    for (const dimensions of this.apiDimensions) {
      this.metric('AWS/ApiGateway', 'Count', dimensions, 1, count);
      this.metric('AWS/ApiGateway', '4XXError', dimensions, clientErrors / count, count);
      this.metric('AWS/ApiGateway', '5XXError', dimensions, serverErrors / count, count);
      for (const [latencyMs, weight] of latencies) this.metric('AWS/ApiGateway', 'Latency', dimensions, latencyMs, weight);
    }
  }

  /**
   * Adds to a metric of this second. Values of one metric in one second are summed (value x weight) and written once
   * when the second closes, except latencies, whose percentiles need each value.
   */
  private metric(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>, value: number, weight: number): void {
    const id = this.idOf(namespace, metricName, dimensions);
    if (!id) return;
    if (metricName === 'Latency') {
      const values = this.pendingLatencies.get(id) ?? new Map<number, number>();
      values.set(value, (values.get(value) ?? 0) + weight);
      this.pendingLatencies.set(id, values);
      return;
    }
    const pending = this.pendingMetrics.get(id);
    if (pending) {
      pending.sum += value * weight;
      pending.count += weight;
      if (value < pending.min) pending.min = value;
      if (value > pending.max) pending.max = value;
    } else this.pendingMetrics.set(id, { sum: value * weight, count: weight, min: value, max: value });
  }

  /** Metrics of the current window: statistic sets, and latencies by value for their percentiles. */
  private readonly pendingMetrics = new Map<MetricId, { sum: number; count: number; min: number; max: number }>();
  private readonly pendingLatencies = new Map<MetricId, Map<number, number>>();
  private readonly ids = new WeakMap<Readonly<Record<string, string>>, Map<string, MetricId | undefined>>();
  private readonly dimensionObjects = new Map<string, Readonly<Record<string, string>>>();

  /**
   * One identity object per metric (dimension objects are kept, so this is a lookup), for the store's key; undefined
   * for a metric no alarm or policy reads, which is not recorded at all.
   */
  private idOf(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>): MetricId | undefined {
    let byName = this.ids.get(dimensions);
    if (!byName) {
      byName = new Map();
      this.ids.set(dimensions, byName);
    }
    if (byName.has(metricName)) return byName.get(metricName);
    const id: MetricId = { namespace, metricName, dimensions };
    const kept = this.watches(id) ? id : undefined;
    byName.set(metricName, kept);
    return kept;
  }

  /** The same dimensions object for the same key. */
  private dimensionsOf(key: string, make: () => Record<string, string>): Readonly<Record<string, string>> {
    let dimensions = this.dimensionObjects.get(key);
    if (!dimensions) {
      dimensions = make();
      this.dimensionObjects.set(key, dimensions);
    }
    return dimensions;
  }

  private aliasDimensions(functionName: string, qualifier: string): Readonly<Record<string, string>> {
    const resource = `${functionName}:${qualifier}`;
    let dimensions = this.dimensionObjects.get(resource);
    if (!dimensions) {
      dimensions = { FunctionName: functionName, Resource: resource };
      this.dimensionObjects.set(resource, dimensions);
    }
    return dimensions;
  }

  private readonly functionDimensionObjects = new Map<string, Readonly<Record<string, string>>>();

  private functionDimensions(functionName: string): Readonly<Record<string, string>> {
    let dimensions = this.functionDimensionObjects.get(functionName);
    if (!dimensions) {
      dimensions = { FunctionName: functionName };
      this.functionDimensionObjects.set(functionName, dimensions);
    }
    return dimensions;
  }

  /**
   * Writes the window's metrics once it closes: alarms read whole periods (a minute, or the template's shortest), so
   * statistic sets per window aligned to them read the same as second-by-second values, for a tenth of the writes.
   */
  private flushMetrics(): void {
    const windowOf = (ms: number) => Math.floor(ms / this.metricWindowMs);
    if (windowOf(this.nowMs + 1000) === windowOf(this.nowMs)) return;
    for (const [id, statistics] of this.pendingMetrics) this.metrics.recordStatistics(id, statistics, this.nowMs);
    for (const [id, values] of this.pendingLatencies)
      for (const [value, weight] of values) this.metrics.record(id, value, this.nowMs, weight);
    this.pendingMetrics.clear();
    this.pendingLatencies.clear();
  }

  private nowMs = 0;
  private startMs: number | undefined;

  /** Sets the virtual time the metrics of this second are recorded at. */
  at(nowMs: number): void {
    this.startMs ??= nowMs;
    this.nowMs = nowMs;
  }

  private readSample(name: string): { demanded: number; consumed: number; provisioned: number } {
    const sample = this.sample.reads[name] ?? { demanded: 0, consumed: 0, provisioned: 0 };
    this.sample.reads[name] = sample;
    return sample;
  }

  private newStep() {
    return {
      traffic: new Set<string>(),
      responses: { count: 0, clientErrors: 0, serverErrors: 0, latencies: new Map<number, number>() },
      throttleEvents: new Set<string>(),
    };
  }
}
