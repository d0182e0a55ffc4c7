import { createHash } from 'node:crypto';
import { CloudWatchAlarm } from './cloudwatch-alarm.ts';
import type { MetricId, MetricStore } from './metric-store.ts';

// Target tracking as Application Auto Scaling runs it: the alarms a policy creates, and the capacity it asks for.

/** Target tracking evaluates one-minute periods (B 4.4). */
export const periodMs = 60_000;

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
