import type { ScaledClock } from '../../common/scaled-clock.ts';
import { ApplicationAutoScaling } from '../../scaling/application-auto-scaling.ts';
import { capacityPort } from '../../scaling/capacity-port.ts';
import { type AlarmDefinition, type AlarmState, type AlarmTransition, CloudWatchAlarm } from '../../scaling/cloudwatch-alarm.ts';
import type { LambdaConcurrency } from '../../scaling/lambda-concurrency.ts';
import { type MetricId, MetricStore } from '../../scaling/metric-store.ts';
import type { CapacityPort, ScalingActivity } from '../../scaling/scalable-target.ts';
import type { StackModel } from '../../scaling/stack-model.ts';
import type { CapacityObserver, EnforcedTable } from '../dynamodb/dynamodb-front.ts';
import type { GatewayObserver } from '../gateway/api-gateway.ts';
import type { InvocationObserver } from '../lambda/lambda-runtime.ts';
import { EventLog } from './event-log.ts';

/** Options of {@link ControlPlane}. */
export interface ControlPlaneOptions {
  readonly model: StackModel;
  /** Virtual time; its real clock is what the data plane's models (tables, concurrency) run on. */
  readonly clock: ScaledClock;
  readonly tables: ReadonlyMap<string, EnforcedTable>;
  readonly concurrency: LambdaConcurrency;
  /** Console lines for alarm transitions into and out of ALARM, and scaling activities. */
  readonly print?: (line: string) => void;
  /** Also print the other transitions (INSUFFICIENT_DATA -> OK and back). @default false */
  readonly verbose?: boolean | undefined;
  /** How long after the data alarms act, virtual ms (B 7.10: "up to a few minutes"). @default 0 */
  readonly alarmDelayMs?: number | undefined;
}

/**
 * CloudWatch and Application Auto Scaling for the local cloud: turns what the gateway, runtime and DynamoDB front
 * report into AWS's metrics, evaluates the template's alarms, runs target tracking and scheduled actions, and logs
 * every transition and activity. Runs on virtual time: real time since start-up multiplied by the time scale.
 */
export class ControlPlane {
  readonly metrics = new MetricStore();
  readonly events = new EventLog();
  readonly alarms: CloudWatchAlarm[];
  readonly autoScaling: ApplicationAutoScaling;
  readonly timeScale: number;
  private readonly clock: ScaledClock;
  private timer: NodeJS.Timeout | undefined;
  private readonly throttleCounts = new Map<string, number>();
  private readonly trafficSinceSample = new Set<string>();
  /** What auto scaling reads and changes: the tables' capacity and the aliases' provisioned concurrency. */
  readonly port: CapacityPort;

  constructor(private readonly options: ControlPlaneOptions) {
    this.clock = options.clock;
    this.timeScale = options.clock.timeScale;
    this.alarms = options.model.alarms.map((definition) => new CloudWatchAlarm(definition));
    this.port = this.capacityPort();
    this.autoScaling = new ApplicationAutoScaling({
      targets: options.model.scalableTargets,
      policies: options.model.scalingPolicies,
      startMs: this.clock.virtualStartMs,
      capacity: this.port,
      alarmDelayMs: options.alarmDelayMs,
    });
  }

  /** Virtual time at start-up. */
  get startedAtMs(): number {
    return this.clock.virtualStartMs;
  }

  /** The control plane's clock: real time since start, sped up by the time scale. */
  virtualNow(): number {
    return this.clock.nowMs();
  }

  /** Real (wall-clock) now, for the event log's `atMs`. */
  realNow(): number {
    return this.clock.real.nowMs();
  }

  /** Provisioned concurrency of a function's alias now (for the dashboard). */
  autoScalingCapacity(functionName: string, qualifier: string): number {
    return this.options.concurrency.provisionedOf(functionName, qualifier).count;
  }

  /** Starts the evaluation loop: about one tick per virtual second, at most every 20 ms of real time. */
  start(): void {
    const everyMs = Math.max(20, this.clock.realDurationMs(1_000));
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.tick();
  }

  /** Samples gauges, flushes throttle bursts, evaluates alarms and auto scaling. Public for tests. */
  tick(): void {
    const virtualNow = this.virtualNow();
    this.sampleGauges(virtualNow);
    this.flushThrottles(virtualNow);
    for (const alarm of this.alarms) {
      const transition = alarm.evaluate(this.metrics, virtualNow, this.options.alarmDelayMs ?? 0);
      if (transition) this.onTransition(transition);
    }
    const { transitions, activities } = this.autoScaling.tick(virtualNow, this.metrics, this.port);
    for (const transition of transitions) this.onTransition(transition);
    for (const activity of activities) this.onActivity(activity);
  }

  /** Records a metric value now (virtual time); counts are weighted so that rates stay per real second. */
  private count(id: MetricId, value = 1): void {
    this.metrics.record(id, value, this.virtualNow(), this.timeScale);
  }

  private gauge(id: MetricId, value: number, atMs: number): void {
    this.metrics.record(id, value, atMs, 1);
  }

  /** Observer for the API Gateway: Count, Latency, IntegrationLatency, 4XXError, 5XXError (B 6.10). */
  readonly gateway: GatewayObserver = {
    completed: (event) => {
      const api = this.options.model.api;
      if (!api) return;
      const dimensionSets: Record<string, string>[] = [{ ApiName: api.name }, { ApiName: api.name, Stage: api.stageName }];
      // Detailed metrics (the stage's MetricsEnabled) add one set per method and resource (B 6.10).
      if (api.detailedMetrics && event.resourcePath)
        dimensionSets.push({ ApiName: api.name, Method: event.method, Resource: event.resourcePath, Stage: api.stageName });
      for (const dimensions of dimensionSets) {
        const id = (metricName: string) => ({ namespace: 'AWS/ApiGateway', metricName, dimensions });
        this.count(id('Count'));
        this.count(id('4XXError'), event.statusCode >= 400 && event.statusCode < 500 ? 1 : 0);
        this.count(id('5XXError'), event.statusCode >= 500 ? 1 : 0);
        this.count(id('Latency'), event.latencyMs);
        if (event.integrationLatencyMs !== undefined) this.count(id('IntegrationLatency'), event.integrationLatencyMs);
      }
      if (event.outcome === 'gateway-throttled') this.noteThrottle('gateway', `${event.method} ${event.resourcePath}`);
    },
  };

  /** Observer for the Lambda runtime: Invocations, Errors, Throttles, Duration, concurrency, spill-over (B 5.12, 5.23). */
  readonly runtime: InvocationObserver = {
    invoked: (event) => {
      const fn = { FunctionName: event.functionName };
      const id = (metricName: string, dimensions: Record<string, string> = fn) => ({ namespace: 'AWS/Lambda', metricName, dimensions });
      this.gauge(id('ConcurrentExecutions'), event.concurrency, this.virtualNow());
      if (event.outcome.kind === 'throttled') {
        this.count(id('Throttles'));
        this.noteThrottle('lambda', event.functionName);
        return;
      }
      this.count(id('Invocations'));
      // Lambda publishes no cold-start metric; the dashboard shows this local one.
      if (event.outcome.coldStart) this.count({ namespace: 'TechModa/Local', metricName: 'ColdStarts', dimensions: fn });
      this.count(id('Errors'), event.outcome.kind === 'result' ? 0 : 1);
      this.count(id('Duration'), event.outcome.durationMs);
      if (event.qualifier) {
        const alias = { FunctionName: event.functionName, Resource: `${event.functionName}:${event.qualifier}` };
        if (event.provisioned) this.count(id('ProvisionedConcurrencyInvocations', alias));
        if (event.spillover) this.count(id('ProvisionedConcurrencySpilloverInvocations', alias));
      }
    },
  };

  /** Observer for the DynamoDB front: consumed units, throttle events, throttled requests (B 2.14-2.17). */
  readonly capacity: CapacityObserver = {
    consumed: (event) => {
      const dimensions = { TableName: event.tableName, ...(event.indexName && { GlobalSecondaryIndexName: event.indexName }) };
      this.count(
        {
          namespace: 'AWS/DynamoDB',
          metricName: event.kind === 'read' ? 'ConsumedReadCapacityUnits' : 'ConsumedWriteCapacityUnits',
          dimensions,
        },
        event.units,
      );
      this.trafficSinceSample.add(JSON.stringify([event.tableName, event.indexName ?? null, event.kind]));
    },
    throttled: (event) => {
      const { throttle } = event;
      const dimensions = { TableName: event.tableName, ...(throttle.indexName && { GlobalSecondaryIndexName: throttle.indexName }) };
      this.count({
        namespace: 'AWS/DynamoDB',
        metricName: throttle.kind === 'read' ? 'ReadThrottleEvents' : 'WriteThrottleEvents',
        dimensions,
      });
      this.count({
        namespace: 'AWS/DynamoDB',
        metricName: 'ThrottledRequests',
        dimensions: { TableName: event.tableName, Operation: event.operation },
      });
      this.noteThrottle('dynamodb', throttle.indexName ? `${event.tableName}/index/${throttle.indexName}` : event.tableName);
    },
  };

  private noteThrottle(cause: 'gateway' | 'lambda' | 'dynamodb', resource: string): void {
    const key = `${cause}|${resource}`;
    this.throttleCounts.set(key, (this.throttleCounts.get(key) ?? 0) + 1);
  }

  /** One "throttle" event per cause and resource that throttled since the last tick. */
  private flushThrottles(virtualNow: number): void {
    for (const [key, count] of this.throttleCounts) {
      const [cause, resource] = key.split('|') as ['gateway' | 'lambda' | 'dynamodb', string];
      this.events.append({ type: 'throttle', cause, resource, count }, this.realNow(), virtualNow);
    }
    this.throttleCounts.clear();
  }

  /** Gauges AWS publishes on its own schedule: concurrency, provisioned utilisation and capacity, burst level. */
  /** Gauges are written at the virtual time of this instant; the models they read run on its real time. */
  private sampleGauges(virtualNow: number): void {
    const { concurrency, model, tables } = this.options;
    for (const fn of model.functions) {
      const snapshot = concurrency.snapshot(fn.name);
      this.gauge(
        { namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', dimensions: { FunctionName: fn.name } },
        snapshot.busy,
        virtualNow,
      );
      for (const qualifier of Object.keys(fn.provisioned)) {
        const { count } = concurrency.provisionedOf(fn.name, qualifier);
        const busy = concurrency.provisionedBusy(fn.name, qualifier);
        const dimensions = { FunctionName: fn.name, Resource: `${fn.name}:${qualifier}` };
        this.gauge({ namespace: 'AWS/Lambda', metricName: 'ProvisionedConcurrentExecutions', dimensions }, busy, virtualNow);
        if (count > 0)
          this.gauge({ namespace: 'AWS/Lambda', metricName: 'ProvisionedConcurrencyUtilization', dimensions }, busy / count, virtualNow);
      }
    }
    const realNow = this.realNow();
    for (const { table, capacity } of tables.values()) {
      for (const indexName of [undefined, ...capacity.indexNames]) {
        const dimensions = { TableName: table.tableName, ...(indexName && { GlobalSecondaryIndexName: indexName }) };
        const described = capacity.describe(indexName, realNow);
        for (const kind of ['Read', 'Write'] as const) {
          if (table.billingMode === 'PROVISIONED') {
            this.gauge(
              { namespace: 'AWS/DynamoDB', metricName: `Provisioned${kind}CapacityUnits`, dimensions },
              kind === 'Read' ? described.readUnitsPerSecond : described.writeUnitsPerSecond,
              virtualNow,
            );
            const burst = capacity.burstLevel(indexName, kind === 'Read' ? 'read' : 'write', realNow);
            if (burst !== undefined)
              this.gauge({ namespace: 'TechModa/Local', metricName: `Burst${kind}CapacityUnits`, dimensions }, burst, virtualNow);
          }
          // A table with traffic and no throttles reports zero throttle events, so throttle alarms can return to OK.
          if (this.trafficSinceSample.has(JSON.stringify([table.tableName, indexName ?? null, kind.toLowerCase()]))) {
            this.gauge({ namespace: 'AWS/DynamoDB', metricName: `${kind}ThrottleEvents`, dimensions }, 0, virtualNow);
          }
        }
      }
    }
    this.trafficSinceSample.clear();
  }

  private onTransition(transition: AlarmTransition): void {
    this.events.append(
      { type: 'alarm', alarmName: transition.alarmName, from: transition.from, to: transition.to, reason: transition.reason },
      this.realNow(),
      transition.atMs,
    );
    // Every alarm leaves INSUFFICIENT_DATA in its first minute: a screenful of lines that say nothing by default.
    const matters = transition.from === 'ALARM' || transition.to === 'ALARM' || this.options.verbose === true;
    if (matters) this.options.print?.(`ALARM ${transition.alarmName}: ${transition.from} -> ${transition.to} (${transition.reason})`);
  }

  /** Every alarm: the template's and those put through the API, then the ones target tracking created. */
  get allAlarms(): CloudWatchAlarm[] {
    return [...this.alarms, ...this.autoScaling.alarms];
  }

  /** PutMetricAlarm: creates the alarm, or replaces the definition of one with the same name (its state starts afresh). */
  putAlarm(definition: AlarmDefinition): 'created' | 'updated' {
    const index = this.alarms.findIndex((a) => a.definition.alarmName === definition.alarmName);
    const alarm = new CloudWatchAlarm(definition);
    if (index === -1) this.alarms.push(alarm);
    else this.alarms.splice(index, 1, alarm);
    return index === -1 ? 'created' : 'updated';
  }

  /** DeleteAlarms: removes the named alarms (the caller checked they exist). */
  deleteAlarms(names: readonly string[]): void {
    for (const name of names) {
      const index = this.alarms.findIndex((a) => a.definition.alarmName === name);
      if (index !== -1) this.alarms.splice(index, 1);
    }
  }

  /** SetAlarmState: the state holds until the alarm's next period is evaluated (B 7.11). */
  setAlarmState(alarm: CloudWatchAlarm, state: AlarmState, reason: string): void {
    const transition = alarm.setState(state, reason, this.virtualNow());
    if (transition) this.onTransition(transition);
  }

  /** Records a change made through an emulated AWS API, on the event log and the console. */
  noteApiChange(operation: string, resource: string, detail: string): void {
    this.events.append({ type: 'api-change', operation, resource, detail }, this.realNow(), this.virtualNow());
    this.options.print?.(`API ${operation} ${resource}: ${detail}`);
  }

  private onActivity(activity: ScalingActivity): void {
    this.events.append({ type: 'scaling', activity: { ...activity } }, this.realNow(), this.virtualNow());
    const what = `${activity.resourceId} ${activity.scalableDimension.split(':').pop()}`;
    this.options.print?.(
      `SCALING ${what}: ${activity.fromCapacity} -> ${activity.toCapacity} ${activity.statusCode}${activity.statusMessage ? ` (${activity.statusMessage})` : ''}: ${activity.cause}`,
    );
  }

  /** Reads and changes capacity of the emulated table and Lambda models for auto scaling. */
  private capacityPort(): CapacityPort {
    const { tables, concurrency } = this.options;
    // Tables and concurrency run on real time; the control plane's virtual clock only decides when to act, so the
    // port gives auto scaling a change's apply time on the virtual clock.
    const realNow = () => this.realNow();
    return capacityPort({
      table: (name) => tables.get(name)?.capacity,
      nowMs: realNow,
      toCallerMs: (realMs) => this.clock.virtualAt(realMs),
      provisionedConcurrency: {
        current: (name, qualifier) => {
          const { count, appliesAtMs } = concurrency.provisionedOf(name, qualifier);
          return { capacity: count, updatingUntilMs: appliesAtMs };
        },
        set: (name, qualifier, count) => concurrency.setProvisioned(name, qualifier, count, realNow()),
      },
    });
  }
}
