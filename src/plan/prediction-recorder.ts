import type { AlarmTransition } from '../scaling/cloudwatch-alarm.ts';
import { histogramPercentile, LogBuckets, OpenHistogram } from '../scaling/log-histogram.ts';
import type { ScalingActivity } from '../scaling/scalable-target.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import type { TableCapacity } from '../scaling/table-capacity.ts';
import type { FluidFunction } from './fluid-function.ts';
import type { LatencyPrediction, OutcomeCounts, PhasePrediction, Prediction, SecondSample, UsageTotals } from './prediction.ts';
import { RecorderMetricSlots } from './recorder-metric-slots.ts';
import type { RetryOutcomes } from './retry-queue.ts';
import type { ResourceTally, TablePart } from './table-part.ts';
import type { TableResource } from './table-resource.ts';
import type { TrafficProfile } from './traffic-profile.ts';
import type { MetricSlot, WindowedMetrics } from './windowed-metrics.ts';

const buckets = new LogBuckets(0.01);

/** Most samples a timeline keeps: longer runs are sampled every few seconds (sums, and maxima of concurrency). */
const maxSamples = 3_600;

function newSample(): Omit<SecondSample, 'second' | 'seconds'> & { requests: number; ok: number; throttled: number } {
  return { requests: 0, ok: 0, throttled: 0, reads: {}, writes: {}, concurrency: {} };
}

function latencies(packed: readonly Float64Array[]): LatencyPrediction {
  const at = (p: number) => histogramPercentile(buckets, packed, p) ?? 0;
  return { p50Ms: at(50), p90Ms: at(90), p99Ms: at(99), p999Ms: at(99.9), maxMs: at(100) };
}

/**
 * Collects what a simulation predicts: outcomes and latencies per phase (by the second each request arrived in), a
 * per-second timeline, the alarm transitions and scaling activities, usage for the bill, and the AWS metrics the
 * alarms and target tracking read, named as CloudWatch names them.
 */
export class PredictionRecorder implements RetryOutcomes {
  private readonly phases: (PhasePrediction & { histogram: OpenHistogram })[];
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
  /** This second's responses by phase, then by latency. */
  private readonly stepLatencies: Map<number, number>[];
  /** Requests answered 429, 500 or 503 so far. */
  failures = 0;
  private sample = newSample();
  private readonly sampleSeconds: number;
  private readonly parts: TablePart[];
  private readonly apiSlots: Record<'count' | 'clientErrors' | 'serverErrors' | 'latency', MetricSlot | undefined>[];
  private readonly metricSlots: RecorderMetricSlots;

  constructor(
    model: StackModel,
    profile: TrafficProfile,
    private readonly tables: ReadonlyMap<string, TableCapacity>,
    private readonly functions: ReadonlyMap<string, FluidFunction>,
    private readonly metrics: WindowedMetrics,
    totalSteps: number,
  ) {
    this.metricSlots = new RecorderMetricSlots(metrics);
    this.sampleSeconds = Math.max(1, Math.ceil(totalSteps / maxSamples));
    this.stepLatencies = profile.phases.map(() => new Map<number, number>());
    this.parts = model.tables.flatMap((table) => {
      const capacity = tables.get(table.tableName) as TableCapacity;
      return [undefined, ...capacity.indexNames].map((indexName) => {
        const name = indexName ? `${table.tableName}/${indexName}` : table.tableName;
        const hourlyPeaks: { read: number; write: number }[] = [];
        if (table.billingMode === 'PROVISIONED') this.usage.hourlyPeaks[name] = hourlyPeaks;
        const dimensions = { TableName: table.tableName, ...(indexName && { GlobalSecondaryIndexName: indexName }) };
        const slot = (metricName: string) => metrics.slot('AWS/DynamoDB', metricName, dimensions);
        return {
          capacity,
          indexName,
          name,
          dimensions,
          slots: {
            provisionedRead: slot('ProvisionedReadCapacityUnits'),
            provisionedWrite: slot('ProvisionedWriteCapacityUnits'),
            readThrottleEvents: slot('ReadThrottleEvents'),
            writeThrottleEvents: slot('WriteThrottleEvents'),
          },
          provisioned: table.billingMode === 'PROVISIONED',
          read: this.tally(`${name}|read`),
          write: this.tally(`${name}|write`),
          readProvisioned: 0,
          writeProvisioned: 0,
          readBurst: 0,
          writeBurst: 0,
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
    const apiDimensions: Record<string, string>[] = api ? [{ ApiName: api.name }, { ApiName: api.name, Stage: api.stageName }] : [];
    this.apiSlots = apiDimensions.map((dimensions) => ({
      count: metrics.slot('AWS/ApiGateway', 'Count', dimensions),
      clientErrors: metrics.slot('AWS/ApiGateway', '4XXError', dimensions),
      serverErrors: metrics.slot('AWS/ApiGateway', '5XXError', dimensions),
      latency: metrics.slot('AWS/ApiGateway', 'Latency', dimensions),
    }));
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
    this.failures += refused;
    this.firstThrottleSecond.gateway ??= step;
    this.respond(phase, refused, latencyMs, 429);
  }

  /** Requests the gateway passed on and Lambda refused (the client sees 500). */
  lambdaThrottled(step: number, phase: number | undefined, functionName: string, count: number, latencyMs: number): void {
    if (phase === undefined || count <= 1e-9) return;
    this.metrics.add(this.metricSlots.function(functionName).throttles, 1, count);
    (this.phases[phase] as PhasePrediction).throttled.lambda += count;
    this.failures += count;
    this.firstThrottleSecond.lambda ??= step;
    this.respond(phase, count, latencyMs, 500);
  }

  /** Invocations that started, and the busy seconds they hold in this second. */
  invoked(functionName: string, _qualifier: string, count: number, busySeconds: number): void {
    const usage = this.usage.functions[functionName];
    if (!usage) return;
    const slots = this.metricSlots.function(functionName);
    this.metrics.add(slots.invocations, 1, count);
    this.metrics.add(slots.errors, 0, count);
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
    this.failures += count;
    this.respond(phase, count, latencyMs, 503);
  }

  /** Units calls asked of a table or index this second (every attempt). */
  demanded(resource: TableResource, units: number): void {
    this.tallyOf(resource).sampleDemanded += units;
  }

  /** Units calls consumed. */
  consumed(resource: TableResource, units: number): void {
    const tally = this.tallyOf(resource);
    tally.total += units;
    tally.sampleConsumed += units;
    tally.traffic = true;
    this.metrics.add(this.metricSlots.resource(resource).consumed, units, 1);
  }

  /** Calls refused by a table or index (before the SDK's retry). */
  dynamoDbThrottled(resource: TableResource, operation: string, count: number): void {
    this.firstThrottleSecond.dynamodb ??= Math.floor((this.nowMs - (this.startMs ?? this.nowMs)) / 1000);
    this.metrics.add(this.metricSlots.resource(resource).throttleEvents, 1, count);
    this.metrics.add(this.metricSlots.throttledRequests(resource, operation), 1, count);
    this.sample.throttled += count;
    this.tallyOf(resource).throttled = true;
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
      this.metrics.add(this.metricSlots.function(fn.name).concurrency, busy, 1);
      const usage = this.usage.functions[fn.name];
      if (usage) usage.provisionedBusySeconds += Math.min(busy, fn.provisionedTotal);
      this.usage.provisionedSeconds[fn.name] = (this.usage.provisionedSeconds[fn.name] ?? 0) + fn.provisionedTotal;
      for (const [qualifier, count] of fn.provisioned) {
        if (count <= 0) continue;
        this.metrics.add(this.metricSlots.alias(fn.name, qualifier), Math.min(busy, count) / count, 1);
      }
      if (phase !== undefined) {
        const peaks = (this.phases[phase] as PhasePrediction).peakConcurrency;
        if (busy > (peaks[fn.name] ?? 0)) peaks[fn.name] = busy;
      }
    }
    const hour = Math.floor(step / 3600);
    for (const part of this.parts) {
      const read = part.capacity.provisionedUnits(part.indexName, 'read', nowMs);
      const write = part.capacity.provisionedUnits(part.indexName, 'write', nowMs);
      if (part.provisioned) {
        this.metrics.add(part.slots.provisionedRead, read, 1);
        this.metrics.add(part.slots.provisionedWrite, write, 1);
        const peak = part.hourlyPeaks[hour] ?? { read: 0, write: 0 };
        part.hourlyPeaks[hour] = peak;
        if (read > peak.read) peak.read = read;
        if (write > peak.write) peak.write = write;
      }
      part.readProvisioned = part.provisioned ? read : 0;
      part.writeProvisioned = part.provisioned ? write : 0;
      part.readBurst = part.provisioned ? (part.capacity.burstLevel(part.indexName, 'read', nowMs) ?? 0) : 0;
      part.writeBurst = part.provisioned ? (part.capacity.burstLevel(part.indexName, 'write', nowMs) ?? 0) : 0;
      // Traffic without throttles reports zero throttle events, so throttle alarms can return to OK.
      if (part.read.traffic && !part.read.throttled) this.metrics.add(part.slots.readThrottleEvents, 0, 1);
      if (part.write.traffic && !part.write.throttled) this.metrics.add(part.slots.writeThrottleEvents, 0, 1);
      if (phase !== undefined) {
        const capacityOf = (this.phases[phase] as PhasePrediction).capacity;
        const entry = capacityOf[part.name];
        if (entry) {
          entry.read[1] = read;
          entry.write[1] = write;
        } else capacityOf[part.name] = { read: [read, read], write: [write, write] };
      }
    }
    this.flushResponses();
    this.metrics.endSecond(nowMs);
    for (const tally of this.tallies.values()) {
      tally.traffic = false;
      tally.throttled = false;
    }
    const responses = this.step.responses;
    responses.count = 0;
    responses.clientErrors = 0;
    responses.serverErrors = 0;
    responses.latencies.clear();
    if ((step + 1) % this.sampleSeconds === 0) this.closeSample(step + 1 - this.sampleSeconds);
  }

  private closeSample(second: number, seconds = this.sampleSeconds): void {
    const { requests, ok, throttled, reads, writes, concurrency } = this.sample;
    for (const part of this.parts) {
      for (const [tally, into, provisioned, burst] of [
        [part.read, reads, part.readProvisioned, part.readBurst],
        [part.write, writes, part.writeProvisioned, part.writeBurst],
      ] as const) {
        if (tally.sampleDemanded > 0 || tally.sampleConsumed > 0 || part.provisioned)
          into[part.name] = { demanded: tally.sampleDemanded, consumed: tally.sampleConsumed, provisioned, burst };
        tally.sampleDemanded = 0;
        tally.sampleConsumed = 0;
      }
    }
    this.timeline.push({ second, seconds, requests, ok, throttled, reads, writes, concurrency });
    this.sample = newSample();
  }

  /** The prediction, percentiles computed; `alarms` is how many alarms the stack ran. */
  finish(alarms: number, totalSteps: number): Prediction {
    this.usage.alarms = alarms;
    for (const [key, tally] of this.tallies) {
      if (tally.total <= 0) continue;
      const [name, kind] = key.split('|') as [string, 'read' | 'write'];
      const totals = this.usage.consumed[name] ?? { read: 0, write: 0 };
      totals[kind] += tally.total;
      this.usage.consumed[name] = totals;
    }
    const rest = totalSteps % this.sampleSeconds;
    if (rest !== 0) this.closeSample(totalSteps - rest, rest);
    const packed = this.phases.map((p) => p.histogram.freeze());
    const phases = this.phases.map(({ histogram: _histogram, ...phase }, i) => ({ ...phase, ...latencies([packed[i] as Float64Array]) }));
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
      // The whole run's percentiles: every phase's histogram together.
      total: { ...total, ...latencies(packed) },
      timeline: this.timeline,
      alarms: this.alarms,
      activities: this.activities,
      firstThrottleSecond: this.firstThrottleSecond,
      usage: this.usage,
    };
  }

  /** A response the client sees: its latency, and the gateway's Count, 4XXError, 5XXError and Latency. */
  private respond(phase: number, count: number, latencyMs: number, statusCode: number): void {
    // Gathered by phase and latency for the second: steady traffic answers most requests at the same few latencies.
    const latencies = this.stepLatencies[phase] as Map<number, number>;
    latencies.set(latencyMs, (latencies.get(latencyMs) ?? 0) + count);
    const responses = this.step.responses;
    responses.count += count;
    if (statusCode >= 400 && statusCode < 500) responses.clientErrors += count;
    if (statusCode >= 500) responses.serverErrors += count;
  }

  /** The gateway's metrics of this second's responses, written once, and the phases' latency histograms. */
  private flushResponses(): void {
    const { count, clientErrors, serverErrors, latencies } = this.step.responses;
    this.stepLatencies.forEach((byLatency, phase) => {
      if (byLatency.size === 0) return;
      const histogram = (this.phases[phase] as { histogram: OpenHistogram }).histogram;
      for (const [latencyMs, weight] of byLatency) {
        histogram.add(latencyMs, weight);
        latencies.set(latencyMs, (latencies.get(latencyMs) ?? 0) + weight);
      }
      byLatency.clear();
    });
    if (count <= 0) return;
    for (const slots of this.apiSlots) {
      this.metrics.add(slots.count, 1, count);
      this.metrics.add(slots.clientErrors, clientErrors / count, count);
      this.metrics.add(slots.serverErrors, serverErrors / count, count);
      for (const [latencyMs, weight] of latencies) this.metrics.add(slots.latency, latencyMs, weight);
    }
  }

  private readonly tallies = new Map<string, ResourceTally>();
  private readonly talliesByIndex: ResourceTally[] = [];

  /** The tally of "name|kind", the same object for the part and for the resource. */
  private tally(key: string): ResourceTally {
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { total: 0, sampleDemanded: 0, sampleConsumed: 0, traffic: false, throttled: false };
      this.tallies.set(key, tally);
    }
    return tally;
  }

  private tallyOf(resource: TableResource): ResourceTally {
    let tally = this.talliesByIndex[resource.index];
    if (!tally) {
      tally = this.tally(resource.key);
      this.talliesByIndex[resource.index] = tally;
    }
    return tally;
  }

  private nowMs = 0;
  private startMs: number | undefined;

  /** Sets the virtual time the metrics of this second are recorded at. */
  at(nowMs: number): void {
    this.startMs ??= nowMs;
    this.nowMs = nowMs;
  }

  private newStep() {
    return {
      responses: { count: 0, clientErrors: 0, serverErrors: 0, latencies: new Map<number, number>() },
    };
  }
}
