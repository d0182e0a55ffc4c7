import type { AlarmTransition } from './cloudwatch-alarm.ts';
import { parseSchedule, type ScheduleExpression } from './schedule-expression.ts';

// What Application Auto Scaling acts on and reports: targets, their scheduled actions, activities (src/scaling/application-auto-scaling.ts runs them).

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

/** A target's capacity now, and whether a change of it (or of its table) is still applying. */
export interface CurrentCapacity {
  readonly capacity: number;
  /**
   * When the change applying to it (or to its table) takes effect, on auto scaling's clock; undefined when none is
   * applying. Until then auto scaling has nothing to do with the target.
   */
  readonly updatingUntilMs: number | undefined;
}

/** What auto scaling needs from the emulated services: read and change a target's capacity. */
export interface CapacityPort {
  current(target: ScalableTargetSpec): CurrentCapacity;
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

/** The service a resource id belongs to: functions are Lambda's, tables and indexes DynamoDB's. */
export function namespaceOf(resourceId: string): 'lambda' | 'dynamodb' {
  return resourceId.startsWith('function:') ? 'lambda' : 'dynamodb';
}

/** The key a target is known by: its resource and dimension. */
export function targetKey(spec: Pick<ScalableTargetSpec, 'resourceId' | 'scalableDimension'>): string {
  return `${spec.resourceId}|${spec.scalableDimension}`;
}

/** What a target's capacity counts, in AAS's words. */
export function noun(spec: ScalableTargetSpec): string {
  if (spec.scalableDimension.endsWith('ReadCapacityUnits')) return 'read capacity units';
  if (spec.scalableDimension.endsWith('WriteCapacityUnits')) return 'write capacity units';
  return 'desired concurrency';
}

/** A scheduled action with its parsed schedule and next run. */
export interface ActionSchedule {
  readonly action: ScheduledActionSpec;
  readonly expression: ScheduleExpression;
  nextMs: number | undefined;
}

/** A scheduled action as auto scaling keeps it: parsed in its time zone, with its first run from now. */
export function scheduleOf(action: ScheduledActionSpec, nowMs: number): ActionSchedule {
  const expression = parseSchedule(action.schedule, action.timezone ?? 'UTC', nowMs);
  return { action, expression, nextMs: expression.nextAfter(nowMs - 1) };
}

/** A scaling activity that starts now, in progress. */
export function startedActivity(
  activityId: string,
  spec: ScalableTargetSpec,
  change: { from: number; to: number; description: string; cause: string; nowMs: number },
): ScalingActivity {
  return {
    activityId,
    serviceNamespace: spec.serviceNamespace,
    resourceId: spec.resourceId,
    scalableDimension: spec.scalableDimension,
    description: change.description,
    cause: `At ${new Date(change.nowMs).toISOString()} ${change.cause}.`,
    startTimeMs: change.nowMs,
    endTimeMs: undefined,
    statusCode: 'InProgress',
    statusMessage: undefined,
    fromCapacity: change.from,
    toCapacity: change.to,
  };
}
