import { ApplicationAutoScaling } from './application-auto-scaling.ts';
import { MetricStore } from './metric-store.ts';
import type { CapacityPort, ScalableTargetSpec } from './scalable-target.ts';
import { TableCapacity } from './table-capacity.ts';
import type { TargetTrackingSpec } from './target-tracking.ts';

export const minute = 60_000;
export const target: ScalableTargetSpec = {
  serviceNamespace: 'dynamodb',
  resourceId: 'table/products',
  scalableDimension: 'dynamodb:table:ReadCapacityUnits',
  minCapacity: 5,
  maxCapacity: 100,
  scheduledActions: [],
};
export const policy: TargetTrackingSpec = {
  policyName: 'read-70',
  resourceId: 'table/products',
  scalableDimension: target.scalableDimension,
  predefinedMetricType: 'DynamoDBReadCapacityUtilization',
  targetValue: 70,
};
export const consumed = { namespace: 'AWS/DynamoDB', metricName: 'ConsumedReadCapacityUnits', dimensions: { TableName: 'products' } };

/** Auto scaling over the real table model, a metric store, and a manual virtual clock (1 ms apply delay). */
export function harness(spec: ScalableTargetSpec = target, policies: TargetTrackingSpec[] = [policy], read = 5) {
  const table = new TableCapacity({
    spec: { billingMode: 'PROVISIONED', table: { readUnitsPerSecond: read, writeUnitsPerSecond: 5 }, indexes: {} },
    startMs: 0,
    updateApplyDelayMs: 1,
  });
  let now = 0;
  const port: CapacityPort = {
    current: () => ({ capacity: table.describe(undefined, now).readUnitsPerSecond, updatingUntilMs: table.updateAppliesAtMs(now) }),
    set: (_t, capacity) => {
      try {
        table.requestUpdate({ table: { readUnitsPerSecond: capacity, writeUnitsPerSecond: 5 } }, now);
        return { ok: true };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    },
  };
  const store = new MetricStore();
  const scaling = new ApplicationAutoScaling({ targets: [spec], policies, startMs: 0, capacity: port });
  return {
    table,
    store,
    scaling,
    port,
    now: () => now,
    capacity: () => port.current(spec).capacity,
    /** One minute with `perSecond` read units consumed (undefined: no traffic), then a tick just after it. */
    minute(perSecond: number | undefined) {
      if (perSecond !== undefined) store.record(consumed, perSecond * 60, now + 30_000);
      now += minute;
      const result = scaling.tick(now + 1, store, port);
      now += 1;
      scaling.tick(now + 1, store, port); // lets a finished UpdateTable complete its activity
      return result;
    },
    at: (ms: number) => {
      now = ms;
      return scaling.tick(now, store, port);
    },
  };
}
