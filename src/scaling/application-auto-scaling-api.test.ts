import { describe, expect, it } from 'vitest';
import { harness, minute, policy, target } from './application-auto-scaling.test-support.ts';
import { ScalingRequestError } from './scalable-target.ts';

describe('changes made while running (the Application Auto Scaling API, issue 14)', () => {
  it('a policy put at run time scales like one from the template, and a deleted one stops', () => {
    const h = harness(target, []);
    for (let i = 0; i < 3; i++) h.minute(10);
    expect(h.capacity()).toBe(5);
    expect(h.scaling.putPolicy(policy)[0]).toMatch(/^TargetTracking-table\/products-AlarmHigh-/);
    h.minute(10);
    h.minute(10);
    h.minute(10);
    expect(h.capacity()).toBe(15);
    h.scaling.deletePolicy('read-70', target.resourceId, target.scalableDimension);
    expect(h.scaling.alarms).toEqual([]);
    for (let i = 0; i < 3; i++) h.minute(30);
    expect(h.capacity()).toBe(15);
  });

  it('new bounds on a registered target bring capacity within them at the next tick', () => {
    const h = harness(target, []);
    expect(h.scaling.registerTarget({ ...target, minCapacity: 8, maxCapacity: 50 }, h.now(), h.port)).toBe('updated');
    const [activity] = h.minute(undefined).activities;
    expect(activity).toMatchObject({
      fromCapacity: 5,
      toCapacity: 8,
      cause: expect.stringContaining('a user request set min capacity to 8'),
    });
    expect(h.scaling.bounds(target.resourceId, target.scalableDimension)).toEqual({ min: 8, max: 50 });
    h.minute(undefined);
    expect(h.capacity()).toBe(8);
  });

  it('a policy or schedule needs a registered target; deregistering removes the target with its policies', () => {
    const h = harness();
    const elsewhere = { ...policy, resourceId: 'table/other' };
    expect(() => h.scaling.putPolicy(elsewhere)).toThrow(ScalingRequestError);
    expect(() => h.scaling.putPolicy(elsewhere)).toThrow(/No scalable target registered .* resource ID: table\/other/);
    expect(() => h.scaling.deletePolicy('nope', target.resourceId, target.scalableDimension)).toThrow(/No scaling policy found/);
    expect(() =>
      h.scaling.putScheduledAction(target.resourceId, target.scalableDimension, { name: 'bad', schedule: 'every day' }, h.now()),
    ).toThrow(expect.objectContaining({ code: 'ValidationException' }));
    h.scaling.deregisterTarget(target.resourceId, target.scalableDimension);
    expect(h.scaling.scalableTargets).toEqual([]);
    expect(h.scaling.alarms).toEqual([]);
    for (let i = 0; i < 3; i++) h.minute(30);
    expect(h.capacity()).toBe(5);
  });

  it('a scheduled action put at run time runs at its time', () => {
    const h = harness(target, []);
    h.scaling.putScheduledAction(
      target.resourceId,
      target.scalableDimension,
      { name: 'sale', schedule: 'at(1970-01-01T00:03:00)', minCapacity: 40 },
      h.now(),
    );
    expect(h.scaling.scheduledActions.map((s) => [s.action.name, s.nextMs])).toEqual([['sale', 3 * minute]]);
    h.minute(undefined);
    h.minute(undefined);
    expect(h.capacity()).toBe(5);
    h.minute(undefined);
    h.minute(undefined);
    expect(h.capacity()).toBe(40);
  });
});
