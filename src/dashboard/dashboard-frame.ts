import type { ControlPlane } from '../local/control-plane/control-plane.ts';
import type { LocalEvent } from '../local/control-plane/event-log.ts';
import type { RecentAccess } from '../local/gateway/access-log.ts';
import type { MetricId, Statistic } from '../scaling/metric-store.ts';
import type { StackModel } from '../scaling/stack-model.ts';

/** One second of the dashboard: every panel's values for one period, plus the events in it. */
export interface DashboardFrame {
  readonly id: number;
  /** End of the period, virtual ms; the period is `periodSeconds` of virtual time (one real second). */
  readonly t: number;
  readonly periodSeconds: number;
  readonly timeScale: number;
  /** Requests per (real) second by outcome, latency percentiles in ms. */
  readonly api: { count: number; '2xx': number; '4xx': number; '429': number; '5xx': number; p50: number | null; p99: number | null };
  readonly functions: Record<
    string,
    { concurrency: number; reserved: number | null; provisioned: number; throttles: number; coldStarts: number; durationP99: number | null }
  >;
  /** Per table and GSI ("Table" or "Table/index/byCategory"); units per second. */
  readonly tables: Record<
    string,
    {
      readConsumed: number;
      readProvisioned: number | null;
      readBurst: number | null;
      readThrottles: number;
      writeConsumed: number;
      writeProvisioned: number | null;
      writeBurst: number | null;
      writeThrottles: number;
    }
  >;
  readonly alarms: Record<string, string>;
  /** Alarm transitions, scaling activities and phases that happened in the period. */
  readonly events: readonly LocalEvent[];
  /** The stage's access-log lines since the previous frame (the newest, at most 20) and how many were left out. */
  readonly access?: { readonly lines: readonly string[]; readonly omitted: number } | undefined;
}

/** Access lines a frame carries at most: the event log shows a sample of a sale, not every request. */
const accessLinesPerFrame = 20;

/** Builds frames from the control plane: the same metric store /_local/metrics reads, aligned to its periods. */
export class DashboardFrames {
  private readonly frames: DashboardFrame[] = [];
  private nextId = 1;
  private lastPeriodEnd = 0;

  private accessSeen = 0;

  constructor(
    private readonly controlPlane: ControlPlane,
    private readonly model: StackModel,
    private readonly recentAccess?: RecentAccess | undefined,
    private readonly capacity = 3_600,
  ) {}

  /** Frames with an id above `afterId`. */
  since(afterId: number): DashboardFrame[] {
    return this.frames.filter((f) => f.id > afterId);
  }

  /**
   * Builds the frames of the periods that ended since the last call (on the first call, the history since the cloud
   * started, up to the frame capacity) and returns them, oldest first.
   */
  next(): DashboardFrame[] {
    const periodMs = this.periodSeconds() * 1000;
    const latest = Math.floor(this.controlPlane.virtualNow() / periodMs) * periodMs;
    const first =
      this.lastPeriodEnd === 0
        ? Math.max(latest - (this.capacity - 1) * periodMs, Math.ceil(this.controlPlane.startedAtMs / periodMs) * periodMs + periodMs)
        : this.lastPeriodEnd + periodMs;
    // One pass over the event log, grouped by the period each event falls in: not one scan per frame.
    const byPeriodEnd = new Map<number, LocalEvent[]>();
    for (const event of this.controlPlane.events.since(0)) {
      if (event.virtualAtMs < first - periodMs) continue;
      const end = Math.floor(event.virtualAtMs / periodMs) * periodMs + periodMs;
      const bucket = byPeriodEnd.get(end);
      if (bucket) bucket.push(event);
      else byPeriodEnd.set(end, [event]);
    }
    const built: DashboardFrame[] = [];
    for (let end = first; end <= latest; end += periodMs) built.push(this.frame(end, byPeriodEnd.get(end) ?? []));
    if (built.length > 0) {
      this.lastPeriodEnd = latest;
      const newest = built.length - 1;
      if (this.recentAccess && this.recentAccess.count > this.accessSeen) {
        built[newest] = {
          ...(built[newest] as DashboardFrame),
          access: this.recentAccess.linesSince(this.accessSeen, accessLinesPerFrame),
        };
        this.accessSeen = this.recentAccess.count;
      }
    }
    return built;
  }

  private periodSeconds(): number {
    return Math.max(1, Math.round(this.controlPlane.timeScale));
  }

  /** The frame of the period ending at `end`, with the events logged in that period. */
  private frame(end: number, periodEvents: readonly LocalEvent[]): DashboardFrame {
    const cp = this.controlPlane;
    const periodSeconds = this.periodSeconds();
    const periodMs = periodSeconds * 1000;
    const from = end - periodMs;
    const per = (sum: number | undefined) => (sum ?? 0) / periodSeconds; // weighted sums back to per real second
    const value = (id: MetricId, statistic: Statistic) => cp.metrics.aggregateWindow(id, statistic, from, end);
    const api = this.model.api;
    const apiDims = { ApiName: api?.name ?? '' };
    const apiMetric = (metricName: string) => ({ namespace: 'AWS/ApiGateway', metricName, dimensions: apiDims });
    const count = per(value(apiMetric('Count'), 'Sum'));
    const errors4xx = per(value(apiMetric('4XXError'), 'Sum'));
    const errors5xx = per(value(apiMetric('5XXError'), 'Sum'));
    const throttledAtGateway =
      periodEvents.reduce((sum, e) => sum + (e.type === 'throttle' && e.cause === 'gateway' ? e.count : 0), 0) / periodSeconds;
    const functions: DashboardFrame['functions'] = {};
    for (const fn of this.model.functions) {
      const dims = { FunctionName: fn.name };
      const lambda = (metricName: string) => ({ namespace: 'AWS/Lambda', metricName, dimensions: dims });
      functions[fn.name] = {
        concurrency: value(lambda('ConcurrentExecutions'), 'Maximum') ?? 0,
        reserved: fn.reservedConcurrency ?? null,
        provisioned: Object.keys(fn.provisioned).reduce((sum, q) => sum + cp.autoScalingCapacity(fn.name, q), 0),
        throttles: per(value(lambda('Throttles'), 'Sum')),
        coldStarts: per(value({ namespace: 'TechModa/Local', metricName: 'ColdStarts', dimensions: dims }, 'Sum')),
        durationP99: value(lambda('Duration'), 'p99') ?? null,
      };
    }
    const tables: DashboardFrame['tables'] = {};
    for (const table of this.model.tables) {
      for (const indexName of [undefined, ...table.indexes.map((i) => i.indexName)]) {
        const dims = { TableName: table.tableName, ...(indexName && { GlobalSecondaryIndexName: indexName }) };
        const dynamo = (metricName: string) => ({ namespace: 'AWS/DynamoDB', metricName, dimensions: dims });
        const local = (metricName: string) => ({ namespace: 'TechModa/Local', metricName, dimensions: dims });
        tables[indexName ? `${table.tableName}/index/${indexName}` : table.tableName] = {
          readConsumed: per(value(dynamo('ConsumedReadCapacityUnits'), 'Sum')),
          readProvisioned: value(dynamo('ProvisionedReadCapacityUnits'), 'Maximum') ?? null,
          readBurst: value(local('BurstReadCapacityUnits'), 'Minimum') ?? null,
          readThrottles: per(value(dynamo('ReadThrottleEvents'), 'Sum')),
          writeConsumed: per(value(dynamo('ConsumedWriteCapacityUnits'), 'Sum')),
          writeProvisioned: value(dynamo('ProvisionedWriteCapacityUnits'), 'Maximum') ?? null,
          writeBurst: value(local('BurstWriteCapacityUnits'), 'Minimum') ?? null,
          writeThrottles: per(value(dynamo('WriteThrottleEvents'), 'Sum')),
        };
      }
    }
    const alarms = Object.fromEntries([...cp.alarms, ...cp.autoScaling.alarms].map((a) => [a.definition.alarmName, a.state]));
    const events = periodEvents.filter((e) => e.type !== 'throttle');
    const frame: DashboardFrame = {
      id: this.nextId++,
      t: end,
      periodSeconds,
      timeScale: cp.timeScale,
      api: {
        count,
        '2xx': Math.max(0, count - errors4xx - errors5xx),
        '4xx': Math.max(0, errors4xx - throttledAtGateway),
        '429': throttledAtGateway,
        '5xx': errors5xx,
        p50: value(apiMetric('Latency'), 'p50') ?? null,
        p99: value(apiMetric('Latency'), 'p99') ?? null,
      },
      functions,
      tables,
      alarms,
      events,
    };
    this.frames.push(frame);
    if (this.frames.length > this.capacity) this.frames.splice(0, this.frames.length - this.capacity);
    return frame;
  }
}
