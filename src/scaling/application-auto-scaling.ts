import type { AlarmTransition, CloudWatchAlarm } from './cloudwatch-alarm.ts';
import type { MetricStore } from './metric-store.ts';
import {
  type ActionSchedule,
  type AutoScalingTick,
  type CapacityPort,
  namespaceOf,
  noun,
  type ScalableTargetSpec,
  type ScalingActivity,
  ScalingRequestError,
  type ScheduledActionSpec,
  scheduleOf,
  startedActivity,
  targetKey,
} from './scalable-target.ts';
import { desiredCapacity, periodMs, type TargetTrackingSpec, trackingAlarms } from './target-tracking.ts';

/** A change of a target's capacity that auto scaling starts. */
interface CapacityChange {
  readonly target: TargetState;
  readonly from: number;
  readonly to: number;
  /** Why, in AAS's words ("monitor alarm ... in state ALARM triggered policy ..."). */
  readonly cause: string;
  readonly nowMs: number;
}

interface TargetState {
  readonly spec: ScalableTargetSpec;
  min: number;
  max: number;
  readonly schedules: ActionSchedule[];
  lastScaleOutMs: number;
  lastScaleInMs: number;
  thresholdCapacity: number;
  /** A scheduled change of bounds that was refused, to try again in a later minute. */
  boundsRetry: { readonly cause: string; readonly period: number } | undefined;
}

interface PolicyState {
  readonly spec: TargetTrackingSpec;
  readonly target: TargetState;
  readonly high: CloudWatchAlarm;
  readonly low: CloudWatchAlarm;
  lastActedPeriod: number;
  /** When this policy's last attempt was refused because its resource was busy: it goes first next time. */
  waitingSinceMs: number | undefined;
  /** The capacity the last closed minute asks for, computed once per minute and capacity. */
  desired?: { period: number; capacity: number; value: number | undefined };
}

/** What a tick in which nothing could happen returns (one object: the planner ticks every second of a day). */
const quietTick: AutoScalingTick = Object.freeze({ transitions: [], activities: [] });

/**
 * Application Auto Scaling for DynamoDB capacity and Lambda provisioned concurrency: target tracking through the
 * alarms AWS creates (B 4.4-4.9, 5.13), min/max, cooldowns, scheduled actions (B 4.18), and the activity record.
 * Pure: time (virtual) and the metric store come in as arguments; capacity changes go out through a port.
 */
export class ApplicationAutoScaling {
  private readonly alarmDelayMs: number;
  private readonly targets = new Map<string, TargetState>();
  private readonly policies: PolicyState[] = [];
  private readonly activityLog: ScalingActivity[] = [];
  private readonly inProgress = new Set<ScalingActivity>();
  private nextActivity = 1;
  private quietUntilMs = Number.NEGATIVE_INFINITY;

  constructor(options: {
    targets: readonly ScalableTargetSpec[];
    policies: readonly TargetTrackingSpec[];
    startMs: number;
    capacity: CapacityPort;
    /** How long after the data the tracking alarms act (see CloudWatchAlarm.evaluate). @default 0 */
    alarmDelayMs?: number | undefined;
  }) {
    this.alarmDelayMs = options.alarmDelayMs ?? 0;
    for (const spec of options.targets) this.addTarget(spec, options.startMs, options.capacity);
    for (const spec of options.policies) this.putPolicy(spec);
  }

  private addTarget(spec: ScalableTargetSpec, nowMs: number, port: CapacityPort): void {
    const schedules = spec.scheduledActions.map((action) => scheduleOf(action, nowMs));
    this.targets.set(targetKey(spec), {
      spec,
      min: spec.minCapacity,
      max: spec.maxCapacity,
      schedules,
      lastScaleOutMs: -Infinity,
      lastScaleInMs: -Infinity,
      thresholdCapacity: port.current(spec).capacity,
      boundsRetry: undefined,
    });
  }

  private targetOf(resourceId: string, scalableDimension: string): TargetState {
    const target = this.targets.get(targetKey({ resourceId, scalableDimension }));
    if (!target)
      throw new ScalingRequestError(
        'ObjectNotFoundException',
        `No scalable target registered for service namespace: ${namespaceOf(resourceId)}, resource ID: ${resourceId}, scalable dimension: ${scalableDimension}`,
      );
    return target;
  }

  /**
   * RegisterScalableTarget: a new target, or new bounds for a known one. Capacity outside new bounds is brought
   * within them at the next tick, as a scheduled action's bounds are (B 4.18).
   */
  registerTarget(spec: ScalableTargetSpec, nowMs: number, port: CapacityPort): 'created' | 'updated' {
    this.quietUntilMs = Number.NEGATIVE_INFINITY;
    const known = this.targets.get(targetKey(spec));
    if (!known) {
      this.addTarget(spec, nowMs, port);
      return 'created';
    }
    known.min = spec.minCapacity;
    known.max = spec.maxCapacity;
    known.boundsRetry = {
      cause: `a user request set min capacity to ${spec.minCapacity} and max capacity to ${spec.maxCapacity}`,
      period: Number.NEGATIVE_INFINITY,
    };
    return 'updated';
  }

  /** DeregisterScalableTarget: the target goes, with its policies (and their alarms) and scheduled actions. */
  deregisterTarget(resourceId: string, scalableDimension: string): void {
    const target = this.targetOf(resourceId, scalableDimension);
    this.targets.delete(targetKey(target.spec));
    // A change still applying goes on in the service; auto scaling no longer follows it.
    for (const activity of this.inProgress)
      if (activity.resourceId === resourceId && activity.scalableDimension === scalableDimension) this.inProgress.delete(activity);
    for (let i = this.policies.length - 1; i >= 0; i--) if (this.policies[i]?.target === target) this.policies.splice(i, 1);
  }

  /** PutScalingPolicy (target tracking): creates or replaces the policy and the alarms it acts on; returns their names. */
  putPolicy(spec: TargetTrackingSpec): [string, string] {
    this.quietUntilMs = Number.NEGATIVE_INFINITY;
    const target = this.targetOf(spec.resourceId, spec.scalableDimension);
    const [high, low] = trackingAlarms(spec, target.thresholdCapacity);
    const policy: PolicyState = { spec, target, high, low, lastActedPeriod: -1, waitingSinceMs: undefined };
    const index = this.policies.findIndex((p) => p.target === target && p.spec.policyName === spec.policyName);
    if (index === -1) this.policies.push(policy);
    else this.policies.splice(index, 1, policy);
    return [high.definition.alarmName, low.definition.alarmName];
  }

  /** DeleteScalingPolicy: the policy and its alarms go. */
  deletePolicy(policyName: string, resourceId: string, scalableDimension: string): void {
    const target = this.targetOf(resourceId, scalableDimension);
    const index = this.policies.findIndex((p) => p.target === target && p.spec.policyName === policyName);
    if (index === -1)
      throw new ScalingRequestError(
        'ObjectNotFoundException',
        `No scaling policy found for service namespace: ${namespaceOf(resourceId)}, resource ID: ${resourceId}, scalable dimension: ${scalableDimension}, policy name: ${policyName}`,
      );
    this.policies.splice(index, 1);
  }

  /** PutScheduledAction: creates or replaces (by name) a scheduled action on a registered target. */
  putScheduledAction(resourceId: string, scalableDimension: string, action: ScheduledActionSpec, nowMs: number): 'created' | 'updated' {
    this.quietUntilMs = Number.NEGATIVE_INFINITY;
    const target = this.targetOf(resourceId, scalableDimension);
    let schedule: TargetState['schedules'][number];
    try {
      schedule = scheduleOf(action, nowMs);
    } catch (error) {
      throw new ScalingRequestError('ValidationException', (error as Error).message);
    }
    const index = target.schedules.findIndex((s) => s.action.name === action.name);
    if (index === -1) target.schedules.push(schedule);
    else target.schedules.splice(index, 1, schedule);
    return index === -1 ? 'created' : 'updated';
  }

  /** DeleteScheduledAction. */
  deleteScheduledAction(resourceId: string, scalableDimension: string, name: string): void {
    const target = this.targetOf(resourceId, scalableDimension);
    const index = target.schedules.findIndex((s) => s.action.name === name);
    if (index === -1)
      throw new ScalingRequestError(
        'ObjectNotFoundException',
        `No scheduled action found for service namespace: ${namespaceOf(resourceId)}, resource ID: ${resourceId}, scalable dimension: ${scalableDimension}, scheduled action name: ${name}`,
      );
    target.schedules.splice(index, 1);
  }

  /** Every scheduled action with its target and next run (DescribeScheduledActions). */
  get scheduledActions(): { target: ScalableTargetSpec; action: ScheduledActionSpec; nextMs: number | undefined }[] {
    return [...this.targets.values()].flatMap((t) => t.schedules.map((s) => ({ target: t.spec, action: s.action, nextMs: s.nextMs })));
  }

  /** The alarms target tracking created (AlarmHigh and AlarmLow per policy). */
  get alarms(): CloudWatchAlarm[] {
    return this.policies.flatMap((p) => [p.high, p.low]);
  }

  /** Every activity so far, newest first (as DescribeScalingActivities lists them). */
  get activities(): readonly ScalingActivity[] {
    return [...this.activityLog].reverse();
  }

  /** Every scalable target with its bounds now (DescribeScalableTargets). */
  get scalableTargets(): { spec: ScalableTargetSpec; min: number; max: number }[] {
    return [...this.targets.values()].map((t) => ({ spec: t.spec, min: t.min, max: t.max }));
  }

  /** Every target-tracking policy with the names of the two alarms it created (DescribeScalingPolicies). */
  get scalingPolicies(): { spec: TargetTrackingSpec; alarmNames: [string, string] }[] {
    return this.policies.map((p) => ({ spec: p.spec, alarmNames: [p.high.definition.alarmName, p.low.definition.alarmName] }));
  }

  /** Current min/max of a target. */
  bounds(resourceId: string, scalableDimension: string): { min: number; max: number } | undefined {
    const t = this.targets.get(targetKey({ resourceId, scalableDimension }));
    return t && { min: t.min, max: t.max };
  }

  /** Runs scheduled actions that are due, finishes applied activities, evaluates alarms and scales. */
  tick(nowMs: number, store: MetricStore, port: CapacityPort): AutoScalingTick {
    if (nowMs < this.quietUntilMs) return quietTick;
    const result = this.tickNow(nowMs, store, port);
    this.quietUntilMs = this.nextWakeMs(nowMs, port);
    return result;
  }

  /**
   * Until when nothing can happen: the next period of alarm data (refused changes retry each minute too), a schedule,
   * a cooldown's end, a change applying now taking effect (while one's end is unknown or due, every tick counts).
   */
  private nextWakeMs(nowMs: number, port: CapacityPort): number {
    const nextPeriod = (fromMs: number) => (Math.floor(fromMs / periodMs) + 1) * periodMs;
    let wake = Math.min(nextPeriod(nowMs), nextPeriod(nowMs - this.alarmDelayMs) + this.alarmDelayMs);
    for (const activity of this.inProgress) {
      const target = this.targets.get(targetKey(activity)) as TargetState;
      const { updatingUntilMs } = port.current(target.spec);
      if (updatingUntilMs === undefined || updatingUntilMs <= nowMs) return Number.NEGATIVE_INFINITY;
      wake = Math.min(wake, updatingUntilMs);
    }
    for (const target of this.targets.values())
      for (const schedule of target.schedules) if (schedule.nextMs !== undefined) wake = Math.min(wake, schedule.nextMs);
    for (const { spec, target } of this.policies) {
      const scaleOutEnd = target.lastScaleOutMs + (spec.scaleOutCooldownSeconds ?? 0) * 1000;
      const scaleInEnd = target.lastScaleInMs + (spec.scaleInCooldownSeconds ?? 0) * 1000;
      for (const end of [scaleOutEnd, scaleInEnd]) if (end > nowMs) wake = Math.min(wake, end);
    }
    return wake;
  }

  private tickNow(nowMs: number, store: MetricStore, port: CapacityPort): AutoScalingTick {
    const activities: ScalingActivity[] = [];
    const transitions: AlarmTransition[] = [];
    for (const activity of [...this.inProgress]) {
      const target = this.targets.get(targetKey(activity)) as TargetState;
      if (port.current(target.spec).updatingUntilMs === undefined) {
        activity.statusCode = 'Successful';
        activity.endTimeMs = nowMs;
        this.inProgress.delete(activity);
        activities.push(activity);
      }
    }
    for (const target of this.targets.values()) this.runSchedules(target, nowMs, port, activities);
    // A policy refused last time (its table busy with another target's update) goes first: updates of one table
    // queue behind each other, and a fixed order would let the first target starve the others.
    const byWaiting = [...this.policies].sort(
      (a, b) => (a.waitingSinceMs ?? Number.POSITIVE_INFINITY) - (b.waitingSinceMs ?? Number.POSITIVE_INFINITY),
    );
    for (const policy of byWaiting) {
      const { capacity, updatingUntilMs } = port.current(policy.target.spec);
      if (updatingUntilMs === undefined && capacity !== policy.target.thresholdCapacity) {
        // AAS rewrites the alarm thresholds whenever capacity changes (B 4.8).
        policy.target.thresholdCapacity = capacity;
        const [high, low] = trackingAlarms(policy.spec, capacity);
        policy.high.setThreshold(high.threshold);
        policy.low.setThreshold(low.threshold);
      }
      for (const alarm of [policy.high, policy.low]) {
        const transition = alarm.evaluate(store, nowMs, this.alarmDelayMs);
        if (transition) transitions.push(transition);
      }
      this.track(policy, nowMs, store, port, activities);
    }
    return { transitions, activities };
  }

  private runSchedules(target: TargetState, nowMs: number, port: CapacityPort, activities: ScalingActivity[]): void {
    this.retryBounds(target, nowMs, port, activities);
    for (const schedule of target.schedules) {
      if (schedule.nextMs === undefined || schedule.nextMs > nowMs) continue;
      schedule.nextMs = schedule.expression.nextAfter(nowMs);
      const { action } = schedule;
      target.min = action.minCapacity ?? target.min;
      target.max = action.maxCapacity ?? target.max;
      const { capacity } = port.current(target.spec);
      const wanted = Math.min(Math.max(capacity, target.min), target.max);
      const cause = `scheduled action name ${action.name} was triggered`;
      if (wanted !== capacity) {
        const activity = this.change({ target, from: capacity, to: wanted, cause, nowMs }, port);
        activities.push(activity);
        // Refused (the table busy with another update): retried each minute until capacity is within the bounds.
        target.boundsRetry = activity.statusCode === 'Failed' ? { cause, period: Math.floor(nowMs / periodMs) } : undefined;
      } else {
        const record = this.record(
          target,
          capacity,
          capacity,
          `Setting min capacity to ${target.min} and max capacity to ${target.max}`,
          cause,
          nowMs,
        );
        record.statusCode = 'Successful';
        record.endTimeMs = nowMs;
        activities.push(record);
      }
    }
  }

  /** A scheduled change of bounds that was refused is tried again once a minute, as long as capacity is outside them. */
  private retryBounds(target: TargetState, nowMs: number, port: CapacityPort, activities: ScalingActivity[]): void {
    const retry = target.boundsRetry;
    if (!retry || Math.floor(nowMs / periodMs) === retry.period) return;
    const { capacity } = port.current(target.spec);
    const wanted = Math.min(Math.max(capacity, target.min), target.max);
    if (wanted === capacity) {
      target.boundsRetry = undefined;
      return;
    }
    const activity = this.change({ target, from: capacity, to: wanted, cause: retry.cause, nowMs }, port);
    activities.push(activity);
    target.boundsRetry = activity.statusCode === 'Failed' ? { cause: retry.cause, period: Math.floor(nowMs / periodMs) } : undefined;
  }

  /** Target tracking: while AlarmHigh is in ALARM, scale out; while AlarmLow is, scale in (B 4.3, 4.9, 7.6). */
  private track(policy: PolicyState, nowMs: number, store: MetricStore, port: CapacityPort, activities: ScalingActivity[]): void {
    const period = Math.floor(nowMs / periodMs);
    if (period === policy.lastActedPeriod) return; // AAS acts on each alarm evaluation, once a minute
    const { capacity } = port.current(policy.target.spec);
    // The target's own change is still applying: AAS waits for it. Another target's change of the same table is
    // tried anyway, and refused as DynamoDB refuses it (a Failed activity that says why, retried next minute).
    if (
      [...this.inProgress].some(
        (a) => a.resourceId === policy.target.spec.resourceId && a.scalableDimension === policy.target.spec.scalableDimension,
      )
    )
      return;
    const direction =
      policy.high.state === 'ALARM' ? 'out' : policy.low.state === 'ALARM' && !policy.spec.disableScaleIn ? 'in' : undefined;
    if (!direction) return;
    const target = policy.target;
    const cooldownMs = ((direction === 'out' ? policy.spec.scaleOutCooldownSeconds : policy.spec.scaleInCooldownSeconds) ?? 0) * 1000;
    if (nowMs - (direction === 'out' ? target.lastScaleOutMs : target.lastScaleInMs) < cooldownMs) return;
    // The datapoint it reads is the last closed minute's: the same answer all minute long for the same capacity.
    const dataPeriod = Math.floor((nowMs - this.alarmDelayMs) / periodMs);
    if (policy.desired?.period !== dataPeriod || policy.desired.capacity !== capacity)
      policy.desired = { period: dataPeriod, capacity, value: desiredCapacity(policy.spec, capacity, store, nowMs - this.alarmDelayMs) };
    const desired = policy.desired.value;
    if (desired === undefined) return;
    const bounded = Math.min(Math.max(desired, target.min), target.max);
    if ((direction === 'out' && bounded <= capacity) || (direction === 'in' && bounded >= capacity)) return;
    policy.lastActedPeriod = period;
    const alarm = direction === 'out' ? policy.high : policy.low;
    const cause = `monitor alarm ${alarm.definition.alarmName} in state ALARM triggered policy ${policy.spec.policyName}`;
    const activity = this.change({ target, from: capacity, to: bounded, cause, nowMs }, port);
    activities.push(activity);
    if (activity.statusCode === 'Failed') {
      policy.waitingSinceMs ??= nowMs;
      return; // no cooldown starts on a change that did not happen
    }
    policy.waitingSinceMs = undefined;
    if (direction === 'out') target.lastScaleOutMs = nowMs;
    else target.lastScaleInMs = nowMs;
  }

  /** Starts a change of capacity through `port` and returns its activity: in progress, or failed with AWS's reason. */
  private change(change: CapacityChange, port: CapacityPort): ScalingActivity {
    const { target, from, to, cause, nowMs } = change;
    const activity = this.record(target, from, to, `Setting ${noun(target.spec)} to ${to}.`, cause, nowMs);
    const result = port.set(target.spec, to);
    if (result.ok) this.inProgress.add(activity);
    else {
      activity.statusCode = 'Failed';
      activity.statusMessage = `Failed to set ${noun(target.spec)} to ${to}. Reason: ${result.message}`;
      activity.endTimeMs = nowMs;
    }
    return activity;
  }

  private record(target: TargetState, from: number, to: number, description: string, cause: string, nowMs: number): ScalingActivity {
    const activity = startedActivity(`activity-${String(this.nextActivity++).padStart(6, '0')}`, target.spec, {
      from,
      to,
      description,
      cause,
      nowMs,
    });
    this.activityLog.push(activity);
    return activity;
  }
}
