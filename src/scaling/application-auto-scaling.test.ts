import { describe, expect, it } from 'vitest';
import { consumed, harness, minute, policy, target } from './application-auto-scaling.test-support.ts';
import { ApplicationAutoScaling } from './application-auto-scaling.ts';
import { capacityPort, type ProvisionedConcurrencyPort } from './capacity-port.ts';
import { MetricStore } from './metric-store.ts';
import type { CapacityPort, ScalableTargetSpec } from './scalable-target.ts';
import { TableCapacity } from './table-capacity.ts';
import { type TargetTrackingSpec, trackingAlarms } from './target-tracking.ts';

describe('Application Auto Scaling target tracking (docs/aws-facts.md B 4)', () => {
  it('B 4.5/4.6: AlarmHigh at capacity x 60 x target, AlarmLow at target - 20 points, rewritten when capacity changes', () => {
    const [high, low] = trackingAlarms(policy, 5);
    expect(high.definition).toMatchObject({
      statistic: 'Sum',
      periodSeconds: 60,
      evaluationPeriods: 2,
      comparison: 'GreaterThanThreshold',
      threshold: 210,
    });
    expect(low.definition).toMatchObject({ evaluationPeriods: 15, comparison: 'LessThanThreshold', threshold: 150 });
    expect(high.definition.alarmName).toMatch(/^TargetTracking-table\/products-AlarmHigh-[0-9a-f-]{36}$/);
    const h = harness();
    h.minute(10);
    h.minute(10);
    h.minute(10);
    expect(h.capacity()).toBe(15);
    const [newHigh, newLow] = h.scaling.alarms;
    expect(newHigh?.threshold).toBe(15 * 60 * 0.7);
    expect(newLow?.threshold).toBe(15 * 60 * 0.5);
  });

  it('B 4.3: scales out after two breaching datapoints and not after one', () => {
    const h = harness();
    h.minute(2); // 120 units in the minute: below 5 x 60 x 0.7 = 210
    h.minute(10);
    expect(h.capacity()).toBe(5);
    h.minute(2);
    h.minute(10);
    expect(h.capacity()).toBe(5);
    const out = h.minute(10);
    expect(out.transitions.map((t) => t.to)).toContain('ALARM');
    expect(h.capacity()).toBe(15);
  });

  it('B 4.9: new capacity is ceil(consumed per second / target), within min and max', () => {
    const h = harness({ ...target, maxCapacity: 1_000 }, [policy], 200);
    h.minute(150);
    h.minute(150);
    h.minute(150);
    expect(h.capacity()).toBe(215); // AWS's example: 150 consumed on 200 at 70% -> 150 / 0.7 = 214.3 -> 215
    const big = harness();
    big.minute(150);
    big.minute(150);
    expect(big.capacity()).toBe(100); // 215 wanted, max 100
    const activity = big.scaling.activities[0];
    expect(activity).toMatchObject({
      description: 'Setting read capacity units to 100.',
      statusCode: 'Successful',
      fromCapacity: 5,
      toCapacity: 100,
    });
    expect(activity?.cause).toMatch(/monitor alarm TargetTracking-table\/products-AlarmHigh-.* in state ALARM triggered policy read-70\.$/);
  });

  it('B 4.3: scales in after fifteen low datapoints and not after fourteen', () => {
    const h = harness(target, [policy], 50);
    for (let i = 0; i < 14; i++) h.minute(1);
    expect(h.capacity()).toBe(50);
    h.minute(1);
    expect(h.capacity()).toBe(5); // ceil(1 / 0.7) = 2, clamped to min 5
  });

  it('B 4.16: no scale-in without traffic (DynamoDB alarms ignore missing data)', () => {
    const h = harness(target, [policy], 50);
    for (let i = 0; i < 30; i++) h.minute(undefined);
    expect(h.capacity()).toBe(50);
  });

  it('B 4.10: a scale-in cooldown blocks the next scale-in', () => {
    const h = harness({ ...target, minCapacity: 1 }, [{ ...policy, scaleInCooldownSeconds: 3_600 }], 100);
    for (let i = 0; i < 15; i++) h.minute(30);
    expect(h.capacity()).toBe(43);
    for (let i = 0; i < 20; i++) h.minute(1);
    expect(h.capacity()).toBe(43);
  });

  it('B 4.12: scale-in respects the decrease quota: four in a UTC day, then one per hour', () => {
    const h = harness({ ...target, minCapacity: 1, maxCapacity: 4_000 }, [policy], 4_000);
    const decreasedAtMinute: number[] = [];
    let load = 2_000;
    for (let m = 1; m <= 15 * 12; m++) {
      if (m % 16 === 0) load = Math.max(1, Math.floor(load / 2)); // keeps falling faster than capacity follows
      const before = h.capacity();
      h.minute(load);
      if (h.capacity() < before) decreasedAtMinute.push(m);
    }
    // Four decreases as soon as AlarmLow allows, then at most one per hour.
    const [first, , , fourth, fifth] = decreasedAtMinute as number[];
    expect(decreasedAtMinute).toHaveLength(5);
    expect((fourth as number) - (first as number)).toBeLessThan(60); // the first four need no spacing
    expect((fifth as number) - (fourth as number)).toBe(60); // the fifth waits exactly the hour
    expect(h.table.describe(undefined, (fifth as number) * 60_000 + 10).numberOfDecreasesToday).toBe(5);
    expect(h.scaling.activities.some((a) => a.statusCode === 'Failed' && /decreases are limited/.test(a.statusMessage ?? ''))).toBe(true);
  });

  it('B 4.18: a scheduled action sets min and max at its time and scales into them', () => {
    const h = harness(
      { ...target, scheduledActions: [{ name: 'sale', schedule: 'at(1970-01-01T01:00:00)', minCapacity: 60, maxCapacity: 200 }] },
      [],
    );
    h.at(3_599_000);
    expect(h.capacity()).toBe(5);
    const fired = h.at(3_600_000);
    expect(fired.activities[0]).toMatchObject({ description: 'Setting read capacity units to 60.', statusCode: 'InProgress' });
    expect(fired.activities[0]?.cause).toContain('scheduled action name sale was triggered');
    h.at(3_600_010);
    expect(h.capacity()).toBe(60);
    expect(h.scaling.bounds('table/products', target.scalableDimension)).toEqual({ min: 60, max: 200 });
  });
});

describe('Application Auto Scaling for Lambda provisioned concurrency (docs/aws-facts.md B 5.13)', () => {
  const lambdaPolicy: TargetTrackingSpec = {
    policyName: 'pc-70',
    resourceId: 'function:CreateProduct:live',
    scalableDimension: 'lambda:function:ProvisionedConcurrency',
    predefinedMetricType: 'LambdaProvisionedConcurrencyUtilization',
    targetValue: 0.7,
  };

  it('tracks average utilisation: AlarmHigh 3 of 3 above the target, AlarmLow 15 of 15 below 90% of it', () => {
    const [high, low] = trackingAlarms(lambdaPolicy, 10);
    expect(high.definition).toMatchObject({
      statistic: 'Average',
      evaluationPeriods: 3,
      threshold: 0.7,
      comparison: 'GreaterThanThreshold',
    });
    expect(high.definition.metric).toEqual({
      namespace: 'AWS/Lambda',
      metricName: 'ProvisionedConcurrencyUtilization',
      dimensions: { FunctionName: 'CreateProduct', Resource: 'CreateProduct:live' },
    });
    expect(low.definition).toMatchObject({ evaluationPeriods: 15, comparison: 'LessThanThreshold' });
    expect(low.threshold).toBeCloseTo(0.63);
  });

  it('scales provisioned concurrency to ceil(capacity x utilisation / target) through the Lambda model', async () => {
    const { LambdaConcurrency } = await import('./lambda-concurrency.ts');
    const lambda = new LambdaConcurrency({
      functions: [{ functionName: 'CreateProduct', provisioned: { live: 10 } }],
      startMs: 0,
      provisionedChangeDelayMs: 1,
    });
    let now = 0;
    const spec: ScalableTargetSpec = {
      serviceNamespace: 'lambda',
      resourceId: lambdaPolicy.resourceId,
      scalableDimension: lambdaPolicy.scalableDimension,
      minCapacity: 10,
      maxCapacity: 50,
      scheduledActions: [],
    };
    const port: CapacityPort = {
      current: () => {
        lambda.tick(now);
        const { count, appliesAtMs } = lambda.provisionedOf('CreateProduct', 'live');
        return { capacity: count, updatingUntilMs: appliesAtMs };
      },
      set: (_t, capacity) => {
        lambda.setProvisioned('CreateProduct', 'live', capacity, now);
        return { ok: true };
      },
    };
    const store = new MetricStore();
    const scaling = new ApplicationAutoScaling({ targets: [spec], policies: [lambdaPolicy], startMs: 0, capacity: port });
    const metric = {
      namespace: 'AWS/Lambda',
      metricName: 'ProvisionedConcurrencyUtilization',
      dimensions: { FunctionName: 'CreateProduct', Resource: 'CreateProduct:live' },
    };
    for (let m = 0; m < 3; m++) {
      store.record(metric, 0.9, now + 30_000);
      now += minute;
      scaling.tick(now + 1, store, port);
    }
    now += 10;
    scaling.tick(now, store, port);
    expect(lambda.provisionedOf('CreateProduct', 'live').count).toBe(13); // ceil(10 x 0.9 / 0.7) = 13
    expect(scaling.activities[0]).toMatchObject({ description: 'Setting desired concurrency to 13.', statusCode: 'Successful' });
  });
});

describe('updates of one table queue behind each other (docs/aws-facts.md B 4.13a)', () => {
  // Reads and writes of one table, each with its own target and policy; UpdateTable takes 60 s to apply.
  const readTarget: ScalableTargetSpec = { ...target, resourceId: 'table/products' };
  const writeTarget: ScalableTargetSpec = { ...target, scalableDimension: 'dynamodb:table:WriteCapacityUnits' };
  const readPolicy: TargetTrackingSpec = { ...policy, policyName: 'read-70' };
  const writePolicy: TargetTrackingSpec = {
    ...policy,
    policyName: 'write-70',
    scalableDimension: writeTarget.scalableDimension,
    predefinedMetricType: 'DynamoDBWriteCapacityUtilization',
  };

  function twoTargets() {
    const table = new TableCapacity({
      tableName: 'products',
      spec: { billingMode: 'PROVISIONED', table: { readUnitsPerSecond: 5, writeUnitsPerSecond: 5 }, indexes: {} },
      startMs: 0,
      updateApplyDelayMs: 90_000,
    });
    let now = 0;
    const isRead = (t: ScalableTargetSpec) => t.scalableDimension.endsWith('ReadCapacityUnits');
    const port: CapacityPort = {
      current: (t) => {
        const d = table.describe(undefined, now);
        return { capacity: isRead(t) ? d.readUnitsPerSecond : d.writeUnitsPerSecond, updatingUntilMs: table.updateAppliesAtMs(now) };
      },
      set: (t, capacity) => {
        const d = table.describe(undefined, now);
        try {
          table.requestUpdate(
            {
              table: {
                readUnitsPerSecond: isRead(t) ? capacity : d.readUnitsPerSecond,
                writeUnitsPerSecond: isRead(t) ? d.writeUnitsPerSecond : capacity,
              },
            },
            now,
          );
          return { ok: true };
        } catch (error) {
          return { ok: false, message: (error as Error).message };
        }
      },
    };
    const store = new MetricStore();
    const scaling = new ApplicationAutoScaling({
      targets: [readTarget, writeTarget],
      policies: [readPolicy, writePolicy],
      startMs: 0,
      capacity: port,
    });
    const writes = { ...consumed, metricName: 'ConsumedWriteCapacityUnits' };
    return {
      table,
      /** One minute of 10 read and 10 write units a second, then a tick: every activity of that tick. */
      minute() {
        store.record(consumed, 600, now + 30_000);
        store.record(writes, 600, now + 30_000);
        now += minute;
        return scaling.tick(now + 1, store, port).activities;
      },
    };
  }

  it('a target whose table is busy with another target’s update gets a Failed activity in DynamoDB’s words, then goes first', () => {
    const h = twoTargets();
    h.minute();
    const first = h.minute(); // both AlarmHighs in ALARM: reads act first, writes are refused
    expect(first.map((a) => [a.scalableDimension, a.statusCode])).toEqual([
      ['dynamodb:table:ReadCapacityUnits', 'InProgress'],
      ['dynamodb:table:WriteCapacityUnits', 'Failed'],
    ]);
    expect(first[1]?.statusMessage).toBe(
      'Failed to set write capacity units to 15. Reason: Attempt to change a resource which is still in use: Table is being updated: products',
    );
    // The read update applies after 90 s; the minute after, the waiting write target goes first.
    h.minute();
    const later = h.minute();
    expect(later.find((a) => a.scalableDimension === 'dynamodb:table:WriteCapacityUnits')?.statusCode).toBe('InProgress');
  });
});

const noFunctions: ProvisionedConcurrencyPort = {
  current: () => {
    throw new Error('no functions here');
  },
  set: () => {
    throw new Error('no functions here');
  },
};

/**
 * A scale-out under 10 units a second on 5, with auto scaling on a clock `timeScale` times faster than the table's
 * model (the local cloud: models on real time, auto scaling on the virtual clock), the port converting between them.
 * Returns the second the UpdateTable (60 s of auto scaling's time) started and ended, and the seconds in between at
 * which auto scaling asked for the capacity.
 */
function scaleOutWhileApplying(timeScale: number) {
  const table = new TableCapacity({
    spec: { billingMode: 'PROVISIONED', table: { readUnitsPerSecond: 5, writeUnitsPerSecond: 5 }, indexes: {} },
    startMs: 0,
    updateApplyDelayMs: 60_000 / timeScale,
  });
  let now = 0;
  const real = capacityPort({
    table: () => table,
    nowMs: () => now / timeScale,
    ...(timeScale !== 1 && { toCallerMs: (modelMs: number) => modelMs * timeScale }),
    provisionedConcurrency: noFunctions,
  });
  const secondsAsked = new Set<number>();
  const port: CapacityPort = {
    ...real,
    current: (spec) => {
      secondsAsked.add(now / 1000);
      return real.current(spec);
    },
  };
  const store = new MetricStore();
  const scaling = new ApplicationAutoScaling({ targets: [target], policies: [policy], startMs: 0, capacity: port });
  const started: number[] = [];
  const ended: number[] = [];
  for (let second = 0; second < 8 * 60; second++) {
    now = second * 1000;
    store.record(consumed, 10, now); // 10 units a second on 5: AlarmHigh after two minutes
    const { activities } = scaling.tick(now, store, port);
    for (const a of activities) (a.statusCode === 'InProgress' ? started : ended).push(second);
  }
  const [first] = started;
  if (first === undefined) throw new Error('no scale-out');
  const between = [...secondsAsked].filter((s) => s > first && s < first + 60);
  return { first, ended: ended[0], between, readUnits: table.describe(undefined, now / timeScale).readUnitsPerSecond };
}

describe('auto scaling sleeps while a change applies, and wakes as it takes effect', () => {
  it('an UpdateTable of 60 s completes its activity at its second, with no work in the seconds between', () => {
    const { first, ended, between, readUnits } = scaleOutWhileApplying(1);
    expect(ended).toBe(first + 60);
    // Between the request and its effect only the minute that closes meanwhile is looked at (before: every second).
    expect(between.length).toBeLessThanOrEqual(2);
    expect(readUnits).toBeGreaterThan(5);
  });

  it('also when the models run on real time and auto scaling on a virtual clock 60 times faster (the local cloud)', () => {
    const { first, ended, between } = scaleOutWhileApplying(60);
    expect(ended).toBe(first + 60);
    // Without the conversion the apply time (real) is always behind the virtual now, and every second is asked.
    expect(between.length).toBeLessThanOrEqual(2);
  });
});
