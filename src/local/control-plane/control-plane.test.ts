import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.ts';
import { ScaledClock } from '../../common/scaled-clock.ts';
import { handStack } from '../../plan/plan-fixtures.test-support.ts';
import { LambdaConcurrency } from '../../scaling/lambda-concurrency.ts';
import { TableCapacity } from '../../scaling/table-capacity.ts';
import { ControlPlane } from './control-plane.ts';

describe('a run anchored for relative sales', () => {
  it('starts its virtual clock at the anchor, so a raise planned "+PT1M" fires a minute into the run', () => {
    // The run starts (real time) 7 s after the anchor its sales were resolved against, as after a synthesis.
    const anchorMs = Date.parse('2026-12-01T10:00:00Z');
    const real = new ManualClock(anchorMs + 7_000);
    const clock = new ScaledClock(real, 1, real.nowMs(), anchorMs);
    const base = handStack({ autoScaling: true });
    const model = {
      ...base,
      scalableTargets: base.scalableTargets.map((t) => ({
        ...t,
        // What "+PT1M" with leadMinutes 0 becomes against the anchor (infra/sale-actions.ts).
        scheduledActions: [{ name: 'planned-sale-raise', schedule: 'at(2026-12-01T10:01:00)', minCapacity: 40, maxCapacity: 100 }],
      })),
    };
    const table = model.tables[0];
    if (!table) throw new Error('no table');
    const capacity = new TableCapacity({
      tableName: table.tableName,
      startMs: real.nowMs(),
      spec: { billingMode: 'PROVISIONED', table: { readUnitsPerSecond: 5, writeUnitsPerSecond: 5 }, indexes: {} },
    });
    const controlPlane = new ControlPlane({
      model,
      clock,
      tables: new Map([[table.tableName, { table, capacity }]]),
      concurrency: new LambdaConcurrency({
        functions: model.functions.map((fn) => ({ functionName: fn.name, reservedConcurrency: fn.reservedConcurrency })),
        startMs: real.nowMs(),
      }),
    });
    expect(controlPlane.virtualNow()).toBe(anchorMs);
    real.advance(59_000);
    controlPlane.tick();
    expect(controlPlane.autoScaling.bounds('table/products', 'dynamodb:table:ReadCapacityUnits')?.min).toBe(5);
    real.advance(1_000);
    controlPlane.tick();
    expect(controlPlane.autoScaling.bounds('table/products', 'dynamodb:table:ReadCapacityUnits')?.min).toBe(40);
    expect(controlPlane.autoScaling.activities[0]).toMatchObject({ fromCapacity: 5, toCapacity: 40, statusCode: 'InProgress' });
  });
});
