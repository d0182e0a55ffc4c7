import { createHash } from 'node:crypto';
import { type AlarmTransition, CloudWatchAlarm } from './cloudwatch-alarm.ts';
import type { MetricId, MetricStore } from './metric-store.ts';
import { parseSchedule, type ScheduleExpression } from './schedule-expression.ts';

/** A scheduled action on a scalable target (B 4.18). */
export interface ScheduledActionSpec {
  readonly name: string;
  readonly schedule: string;
  readonly timezone?: string | undefined;
  readonly minCapacity?: number | undefined;
  readonly maxCapacity?: number | undefined;
}

/** A scalable target, as AWS::ApplicationAutoScaling::ScalableTarget declares it. */
export interface ScalableTargetSpec {
  readonly serviceNamespace: 'dynamodb' | 'lambda';
  /** "table/T", "table/T/index/I" or "function:F:alias". */
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly scheduledActions: readonly ScheduledActionSpec[];
}

/** A request auto scaling refuses, with Application Auto Scaling's error code. */
export class ScalingRequestError extends Error {
  constructor(
    readonly code: 'ObjectNotFoundException' | 'ValidationException',
    message: string,
  ) {
    super(message);
    this.name = 'ScalingRequestError';
  }
}

/** A change of a target's capacity that auto scaling starts. */
interface CapacityChange {
  readonly target: TargetState;
  readonly from: number;
  readonly to: number;
  /** Why, in AAS's words ("monitor alarm ... in state ALARM triggered policy ..."). */
  readonly cause: string;
  readonly nowMs: number;
}

/** A target-tracking policy with a predefined metric. */
export interface TargetTrackingSpec {
  readonly policyName: string;
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly predefinedMetricType: string;
  readonly targetValue: number;
  /** @default 0 for DynamoDB and Lambda provisioned concurrency (B 4.10) */
  readonly scaleInCooldownSeconds?: number | undefined;
  readonly scaleOutCooldownSeconds?: number | undefined;
  readonly disableScaleIn?: boolean | undefined;
}

/** What auto scaling needs from the emulated services: read and change a target's capacity. */
export interface CapacityPort {
  current(target: ScalableTargetSpec): { capacity: number; updating: boolean };
  /** Starts a change; a refusal (for example DynamoDB's decrease quota) comes back as its message. */
  set(target: ScalableTargetSpec, capacity: number): { ok: true } | { ok: false; message: string };
}

/** A scaling activity as DescribeScalingActivities reports it. */
export interface ScalingActivity {
  readonly activityId: string;
  readonly serviceNamespace: string;
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly description: string;
  readonly cause: string;
  readonly startTimeMs: number;
  endTimeMs: number | undefined;
  statusCode: 'InProgress' | 'Successful' | 'Failed';
  statusMessage: string | undefined;
  readonly fromCapacity: number;
  readonly toCapacity: number;
}

/** What one tick produced. */
export interface AutoScalingTick {
  readonly transitions: readonly AlarmTransition[];
  /** Activities started or finished during the tick. */
  readonly activities: readonly ScalingActivity[];
}

interface TargetState {
  readonly spec: ScalableTargetSpec;
  min: number;
  max: number;
  readonly schedules: { action: ScheduledActionSpec; expression: ScheduleExpression; nextMs: number | undefined }[];
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

const periodMs = 60_000;

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
    const target = this.targets.get(`${resourceId}|${scalableDimension}`);
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
    const t = this.targets.get(`${resourceId}|${scalableDimension}`);
    return t && { min: t.min, max: t.max };
  }

  /** Runs scheduled actions that are due, finishes applied activities, evaluates alarms and scales. */
  tick(nowMs: number, store: MetricStore, port: CapacityPort): AutoScalingTick {
    if (nowMs < this.quietUntilMs) return quietTick;
    const result = this.tickNow(nowMs, store, port);
    this.quietUntilMs = this.nextWakeMs(nowMs);
    return result;
  }

  /**
   * Until when nothing can happen: the next minute of alarm data, the next minute (refused changes retry), the next
   * scheduled action, the end of a cooldown. While a change is applying, every tick counts.
   */
  private nextWakeMs(nowMs: number): number {
    if (this.inProgress.size > 0) return Number.NEGATIVE_INFINITY;
    let wake = Math.min(
      (Math.floor(nowMs / periodMs) + 1) * periodMs,
      (Math.floor((nowMs - this.alarmDelayMs) / periodMs) + 1) * periodMs + this.alarmDelayMs,
    );
    for (const target of this.targets.values())
      for (const schedule of target.schedules) if (schedule.nextMs !== undefined) wake = Math.min(wake, schedule.nextMs);
    for (const { spec, target } of this.policies) {
      for (const end of [
        target.lastScaleOutMs + (spec.scaleOutCooldownSeconds ?? 0) * 1000,
        target.lastScaleInMs + (spec.scaleInCooldownSeconds ?? 0) * 1000,
      ])
        if (end > nowMs) wake = Math.min(wake, end);
    }
    return wake;
  }

  private tickNow(nowMs: number, store: MetricStore, port: CapacityPort): AutoScalingTick {
    const activities: ScalingActivity[] = [];
    const transitions: AlarmTransition[] = [];
    for (const activity of [...this.inProgress]) {
      const target = this.targets.get(`${activity.resourceId}|${activity.scalableDimension}`) as TargetState;
      if (!port.current(target.spec).updating) {
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
      const { capacity, updating } = port.current(policy.target.spec);
      if (!updating && capacity !== policy.target.thresholdCapacity) {
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
    const activity: ScalingActivity = {
      activityId: `activity-${String(this.nextActivity++).padStart(6, '0')}`,
      serviceNamespace: target.spec.serviceNamespace,
      resourceId: target.spec.resourceId,
      scalableDimension: target.spec.scalableDimension,
      description,
      cause: `At ${new Date(nowMs).toISOString()} ${cause}.`,
      startTimeMs: nowMs,
      endTimeMs: undefined,
      statusCode: 'InProgress',
      statusMessage: undefined,
      fromCapacity: from,
      toCapacity: to,
    };
    this.activityLog.push(activity);
    return activity;
  }
}

/**
 * Alarms AWS creates (and bills) for a target-tracking policy: four for a DynamoDB one (AlarmHigh, AlarmLow,
 * ProvisionedCapacityHigh, ProvisionedCapacityLow, B 4.4), two for Lambda provisioned concurrency (B 5.13). The model
 * evaluates the two that act (see trackingAlarms).
 */
export function alarmsCreatedBy(policy: TargetTrackingSpec): number {
  return policy.predefinedMetricType.startsWith('DynamoDB') ? 4 : 2;
}

/**
 * The two alarms AWS creates for a policy (B 4.4-4.6, 5.13). DynamoDB: Sum of consumed units per minute, AlarmHigh
 * 2 of 2 above capacity x 60 x target, AlarmLow 15 of 15 below capacity x 60 x (target - 20 points). Lambda
 * provisioned concurrency: Average utilisation, AlarmHigh 3 of 3 above the target, AlarmLow 15 of 15 below 90% of it.
 */
export function trackingAlarms(policy: TargetTrackingSpec, capacity: number): [CloudWatchAlarm, CloudWatchAlarm] {
  const suffix = createHash('sha256').update(policy.policyName).digest('hex');
  const uuid = `${suffix.slice(0, 8)}-${suffix.slice(8, 12)}-${suffix.slice(12, 16)}-${suffix.slice(16, 20)}-${suffix.slice(20, 32)}`;
  const name = (kind: string) => `TargetTracking-${policy.resourceId}-${kind}-${uuid}`;
  const description = `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${policy.policyName}.`;
  const metric = trackedMetric(policy);
  if (policy.predefinedMetricType === 'LambdaProvisionedConcurrencyUtilization') {
    const common = { metric, statistic: 'Average' as const, periodSeconds: 60, description };
    return [
      new CloudWatchAlarm({
        ...common,
        alarmName: name('AlarmHigh'),
        evaluationPeriods: 3,
        threshold: policy.targetValue,
        comparison: 'GreaterThanThreshold',
      }),
      new CloudWatchAlarm({
        ...common,
        alarmName: name('AlarmLow'),
        evaluationPeriods: 15,
        threshold: policy.targetValue * 0.9,
        comparison: 'LessThanThreshold',
      }),
    ];
  }
  const common = { metric, statistic: 'Sum' as const, periodSeconds: 60, description };
  return [
    new CloudWatchAlarm({
      ...common,
      alarmName: name('AlarmHigh'),
      evaluationPeriods: 2,
      threshold: (capacity * 60 * policy.targetValue) / 100,
      comparison: 'GreaterThanThreshold',
    }),
    new CloudWatchAlarm({
      ...common,
      alarmName: name('AlarmLow'),
      evaluationPeriods: 15,
      threshold: (capacity * 60 * (policy.targetValue - 20)) / 100,
      comparison: 'LessThanThreshold',
    }),
  ];
}

/**
 * New capacity from the last datapoint: DynamoDB ceil(consumed per second / target) (150 at 70% -> 215, B 4.9);
 * Lambda ceil(capacity x utilisation / target).
 */
export function desiredCapacity(policy: TargetTrackingSpec, capacity: number, store: MetricStore, nowMs: number): number | undefined {
  const end = Math.floor(nowMs / periodMs) * periodMs;
  const lambda = policy.predefinedMetricType === 'LambdaProvisionedConcurrencyUtilization';
  const [last] = store.query(trackedMetric(policy), lambda ? 'Average' : 'Sum', 60, end - periodMs, end);
  if (!last) return undefined;
  if (lambda) return Math.ceil((capacity * last.value) / policy.targetValue - 1e-9);
  return trackingCapacity(last.value / 60, policy.targetValue);
}

/** The DynamoDB capacity target tracking settles at for a steady consumption: ceil(units per second / target). */
export function trackingCapacity(consumedPerSecond: number, targetPercent: number): number {
  return Math.max(1, Math.ceil(consumedPerSecond / (targetPercent / 100) - 1e-9));
}

/** The metric a predefined policy tracks. */
export function trackedMetric(policy: TargetTrackingSpec): MetricId {
  if (policy.predefinedMetricType === 'LambdaProvisionedConcurrencyUtilization') {
    const [, functionName, alias] = policy.resourceId.split(':');
    return {
      namespace: 'AWS/Lambda',
      metricName: 'ProvisionedConcurrencyUtilization',
      dimensions: { FunctionName: functionName as string, Resource: `${functionName}:${alias}` },
    };
  }
  const [, table, , index] = policy.resourceId.split('/');
  const kind = policy.predefinedMetricType === 'DynamoDBReadCapacityUtilization' ? 'Read' : 'Write';
  return {
    namespace: 'AWS/DynamoDB',
    metricName: `Consumed${kind}CapacityUnits`,
    dimensions: { TableName: table as string, ...(index && { GlobalSecondaryIndexName: index }) },
  };
}

function scheduleOf(action: ScheduledActionSpec, nowMs: number): TargetState['schedules'][number] {
  const expression = parseSchedule(action.schedule, action.timezone ?? 'UTC', nowMs);
  return { action, expression, nextMs: expression.nextAfter(nowMs - 1) };
}

/** The service a resource id belongs to: functions are Lambda's, tables and indexes DynamoDB's. */
export function namespaceOf(resourceId: string): 'lambda' | 'dynamodb' {
  return resourceId.startsWith('function:') ? 'lambda' : 'dynamodb';
}

function targetKey(spec: ScalableTargetSpec): string {
  return `${spec.resourceId}|${spec.scalableDimension}`;
}

function noun(spec: ScalableTargetSpec): string {
  if (spec.scalableDimension.endsWith('ReadCapacityUnits')) return 'read capacity units';
  if (spec.scalableDimension.endsWith('WriteCapacityUnits')) return 'write capacity units';
  return 'desired concurrency';
}
