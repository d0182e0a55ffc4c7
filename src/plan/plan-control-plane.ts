import { ApplicationAutoScaling } from '../scaling/application-auto-scaling.ts';
import { capacityPort } from '../scaling/capacity-port.ts';
import { type AlarmTransition, CloudWatchAlarm } from '../scaling/cloudwatch-alarm.ts';
import { keyOf, type MetricId, MetricStore } from '../scaling/metric-store.ts';
import type { CapacityPort, ScalingActivity } from '../scaling/scalable-target.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import type { TableCapacity } from '../scaling/table-capacity.ts';
import { alarmsCreatedBy, trackedMetric } from '../scaling/target-tracking.ts';
import type { FluidFunction } from './fluid-function.ts';

/** Options of {@link PlanControlPlane}. */
export interface PlanControlPlaneOptions {
  readonly model: StackModel;
  readonly tables: ReadonlyMap<string, TableCapacity>;
  readonly functions: ReadonlyMap<string, FluidFunction>;
  readonly startMs: number;
  readonly alarmDelayMs: number;
}

/** One thing that happened in a tick. */
export type ControlPlaneEvent =
  | { transition: AlarmTransition; activity?: undefined }
  | { activity: ScalingActivity; transition?: undefined };

/**
 * CloudWatch and Application Auto Scaling for a simulation: the template's alarms and target tracking, evaluated on
 * the metrics the simulation records, changing the simulated tables and provisioned concurrency. The same models as
 * the local cloud's control plane, on the simulation's virtual clock (no time scale: virtual time is all there is).
 */
export class PlanControlPlane {
  /** Alarms look back at most 2 x 15 minutes (AlarmLow, B 4.6): 40 minutes of seconds keep every series small. */
  readonly metrics: MetricStore;
  private readonly alarms: CloudWatchAlarm[];
  private readonly autoScaling: ApplicationAutoScaling;
  private readonly port: CapacityPort;
  private nowMs: number;
  private readonly watched: Set<string>;
  private readonly shortestPeriodMs: number;
  private lastClosing = Number.NaN;
  /** Reused: read before the next tick. */
  private readonly events: ControlPlaneEvent[] = [];

  constructor(private readonly options: PlanControlPlaneOptions) {
    this.nowMs = options.startMs;
    this.metrics = new MetricStore({ retentionMs: 40 * 60_000 + options.alarmDelayMs });
    this.alarms = options.model.alarms.map((definition) => new CloudWatchAlarm(definition));
    this.port = this.capacityPort();
    this.autoScaling = new ApplicationAutoScaling({
      targets: options.model.scalableTargets,
      policies: options.model.scalingPolicies,
      startMs: options.startMs,
      capacity: this.port,
      alarmDelayMs: options.alarmDelayMs,
    });
    this.watched = new Set([
      ...options.model.alarms.map((a) => keyOf(a.metric)),
      ...options.model.scalingPolicies.map((p) => keyOf(trackedMetric(p))),
    ]);
    this.shortestPeriodMs = Math.min(60, ...options.model.alarms.map((a) => a.periodSeconds)) * 1000;
  }

  /** Alarms the stack pays for: its own and the ones target tracking creates. */
  get alarmCount(): number {
    return this.alarms.length + this.options.model.scalingPolicies.reduce((sum, policy) => sum + alarmsCreatedBy(policy), 0);
  }

  /** The longest window of metrics that keeps every alarm period whole: 10 s, or the template's shortest period. */
  get metricWindowMs(): number {
    return Math.min(10_000, this.shortestPeriodMs);
  }

  /** Metrics some alarm or scaling policy reads: the only ones worth recording. */
  watches(id: MetricId): boolean {
    return this.watched.has(keyOf(id));
  }

  /** Evaluates alarms and auto scaling at `nowMs`. */
  tick(nowMs: number): ControlPlaneEvent[] {
    this.nowMs = nowMs;
    const events = this.events;
    events.length = 0;
    // An alarm's answer changes only when one of its periods closes: evaluate on those seconds alone.
    const closing = Math.floor((nowMs - this.options.alarmDelayMs) / this.shortestPeriodMs);
    if (closing !== this.lastClosing) {
      this.lastClosing = closing;
      for (const alarm of this.alarms) {
        const transition = alarm.evaluate(this.metrics, nowMs, this.options.alarmDelayMs);
        if (transition) events.push({ transition });
      }
    }
    const { transitions, activities } = this.autoScaling.tick(nowMs, this.metrics, this.port);
    for (const transition of transitions) events.push({ transition });
    for (const activity of activities) events.push({ activity });
    return events;
  }

  private capacityPort(): CapacityPort {
    const { tables, functions } = this.options;
    const fnOf = (name: string) => {
      const fn = functions.get(name);
      if (!fn) throw new RangeError(`no such function: ${name}`);
      return fn;
    };
    return capacityPort({
      table: (name) => tables.get(name),
      nowMs: () => this.nowMs,
      provisionedConcurrency: {
        current: (name, qualifier) => {
          const fn = fnOf(name);
          return { capacity: fn.provisioned.get(qualifier) ?? 0, updatingUntilMs: fn.provisionedAppliesAtMs(qualifier) };
        },
        set: (name, qualifier, count) => fnOf(name).setProvisioned(qualifier, count, this.nowMs),
      },
    });
  }
}
