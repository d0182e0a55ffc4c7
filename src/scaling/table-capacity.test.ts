import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnDemandCapacity } from './on-demand-capacity.ts';
import { ProvisionedCapacity } from './provisioned-capacity.ts';
import { replayReadDemand } from './read-demand-replay.ts';
import { TableCapacity, ThroughputUpdateRefusedError } from './table-capacity.ts';

const provisioned = (read: number, write: number, index = { readUnitsPerSecond: read, writeUnitsPerSecond: write }) =>
  new TableCapacity({
    spec: { billingMode: 'PROVISIONED', table: { readUnitsPerSecond: read, writeUnitsPerSecond: write }, indexes: { byCategory: index } },
    startMs: 0,
    burstStartsFull: false,
  });

describe('provisioned capacity and burst (B 2.1, 2.2, 2.5)', () => {
  it('enforces per second: 5 units/s serve 5 units in a second, then throttle until refilled', () => {
    const capacity = new ProvisionedCapacity({ unitsPerSecond: 5, startMs: 0, burstStartsFull: false });
    for (let i = 0; i < 5; i++) {
      expect(capacity.canAdmit(1, 0)).toBe(true);
      capacity.charge(1, 0);
    }
    expect(capacity.canAdmit(1, 0)).toBe(false);
    expect(capacity.canAdmit(1, 200)).toBe(true);
  });

  it('fills the burst bucket with unused capacity, up to 300 seconds of it', () => {
    const capacity = new ProvisionedCapacity({ unitsPerSecond: 150, startMs: 0, burstStartsFull: false });
    expect(capacity.burstLevel(60_000)).toBeCloseTo(150 * 60);
    expect(capacity.burstLevel(301_000)).toBe(45_000);
    expect(capacity.burstLevel(3_600_000)).toBe(45_000);
  });

  it('drains burst at demand minus provisioned: 45,000 units at 200/s on 150 last 900 s (the re:Post example)', () => {
    const capacity = new ProvisionedCapacity({ unitsPerSecond: 150, startMs: 0, burstStartsFull: true });
    let throttledAt: number | undefined;
    for (let second = 0; second < 1_000 && throttledAt === undefined; second++) {
      for (let i = 0; i < 200; i++) {
        const at = second * 1000 + i * 5;
        if (!capacity.canAdmit(1, at)) {
          throttledAt = second;
          break;
        }
        capacity.charge(1, at);
      }
    }
    expect(throttledAt).toBeGreaterThanOrEqual(895);
    expect(throttledAt).toBeLessThanOrEqual(905);
  });

  it('starts with a full burst bucket by default (a deployed, idle table)', () => {
    expect(new ProvisionedCapacity({ unitsPerSecond: 5, startMs: 0 }).burstLevel(0)).toBe(1_500);
  });

  it('property: burst never exceeds 300 s of provisioned capacity; every request is admitted or throttled', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.tuple(fc.nat(3_000), fc.double({ min: 0.5, max: 20, noNaN: true })), { maxLength: 300 }),
        (units, steps) => {
          const capacity = new ProvisionedCapacity({ unitsPerSecond: units, startMs: 0 });
          let now = 0;
          for (const [dt, cost] of steps) {
            now += dt;
            if (capacity.canAdmit(cost, now)) capacity.charge(cost, now);
            expect(capacity.burstLevel(now)).toBeLessThanOrEqual(units * 300 + 1e-6);
            expect(capacity.burstLevel(now)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});

describe('GSI back-pressure (B 1.19)', () => {
  it('throttles a table write when the GSI lacks write capacity, and charges nothing', () => {
    const table = provisioned(100, 100, { readUnitsPerSecond: 100, writeUnitsPerSecond: 1 });
    expect(table.admitWrite(1, { byCategory: 1 }, 0)).toBeUndefined();
    const throttle = table.admitWrite(1, { byCategory: 1 }, 0);
    expect(throttle).toMatchObject({
      exception: 'ProvisionedThroughputExceededException',
      indexName: 'byCategory',
      reason: 'IndexWriteProvisionedThroughputExceeded',
    });
    expect(throttle?.message).toContain('global secondary indexes');
    // A write that does not touch the index is not held back.
    expect(table.admitWrite(1, { byCategory: 0 }, 0)).toBeUndefined();
  });
});

describe('on-demand (B 3.1-3.3)', () => {
  it('serves up to twice the previous peak per second; a new table starts at 12,000 reads / 4,000 writes', () => {
    const reads = new OnDemandCapacity({ initialPeakPerSecond: 6_000, startMs: 0 });
    expect(reads.limitPerSecond(0)).toBe(12_000);
    reads.charge(11_999, 0);
    expect(reads.refusal(1, 0)).toBeUndefined();
    reads.charge(1, 0);
    expect(reads.refusal(1, 10)).toBe('OnDemandPeakExceeded');
    expect(reads.refusal(1, 1_000)).toBeUndefined();
  });

  it('B 3.1: once scaled out, serves the same throughput again at once, however long after (peaks are never forgotten)', () => {
    const writes = new OnDemandCapacity({ initialPeakPerSecond: 2_000, startMs: 0 });
    for (let s = 0; s < 60; s++) writes.charge(3_000, s * 1000);
    expect(writes.highestPeak(60_000)).toBe(3_000);
    expect(writes.previousPeak(31 * 60_000)).toBe(3_000);
    expect(writes.limitPerSecond(31 * 60_000)).toBe(6_000);
    expect(writes.previousPeak(5 * 3_600_000)).toBe(3_000); // five hours later, still remembered
    expect(writes.refusal(6_000, 5 * 3_600_000)).toBeUndefined();
  });

  it('B 3.2: traffic past double the previous peak within 30 minutes throttles; growth spread over 30 minutes does not', () => {
    const reads = new OnDemandCapacity({ initialPeakPerSecond: 6_000, startMs: 0 });
    // Minute 0 at the instant limit of a new table: 12,000 reads per second.
    for (let s = 0; s < 60; s++) reads.charge(12_000, s * 1000);
    // Ten minutes later the new peak has not settled: the limit is still double the previous peak, 12,000.
    const tenMinutes = 10 * 60_000;
    expect(reads.limitPerSecond(tenMinutes)).toBe(12_000);
    reads.charge(12_000, tenMinutes);
    expect(reads.refusal(1, tenMinutes + 10)).toBe('OnDemandPeakExceeded');
    // Thirty minutes after minute 0 ended, 12,000 is the previous peak: 24,000 a second are served.
    const settled = 31 * 60_000;
    expect(reads.limitPerSecond(settled)).toBe(24_000);
    reads.charge(23_999, settled);
    expect(reads.refusal(1, settled)).toBeUndefined();
  });

  it('caps at maximum throughput (B 3.7) with its own reason', () => {
    const table = new TableCapacity({
      spec: { billingMode: 'PAY_PER_REQUEST', indexes: {}, maxOnDemand: { readUnitsPerSecond: 10 } },
      startMs: 0,
    });
    for (let i = 0; i < 10; i++) {
      expect(table.admitRead(undefined, 1, 0)).toBeUndefined();
      table.chargeRead(undefined, 1, 0);
    }
    expect(table.admitRead(undefined, 1, 0)).toMatchObject({
      exception: 'ThrottlingException',
      reason: 'TableReadMaxOnDemandThroughputExceeded',
    });
  });
});

describe('UpdateTable (B 4.12, 4.13)', () => {
  it('keeps enforcing the old capacity until the apply delay has passed, reporting UPDATING', () => {
    const table = provisioned(5, 5);
    table.requestUpdate({ table: { readUnitsPerSecond: 50, writeUnitsPerSecond: 5 } }, 1_000);
    expect(table.status(30_000)).toBe('UPDATING');
    expect(table.describe(undefined, 60_999).readUnitsPerSecond).toBe(5);
    expect(table.status(61_000)).toBe('ACTIVE');
    expect(table.describe(undefined, 61_000)).toMatchObject({ readUnitsPerSecond: 50, lastIncreaseMs: 61_000 });
  });

  it('refuses a second update while one is pending', () => {
    const table = provisioned(5, 5);
    table.requestUpdate({ table: { readUnitsPerSecond: 6, writeUnitsPerSecond: 5 } }, 0);
    expect(() => table.requestUpdate({ table: { readUnitsPerSecond: 7, writeUnitsPerSecond: 5 } }, 10)).toThrow(
      ThroughputUpdateRefusedError,
    );
  });

  it('allows four decreases in a UTC day, then one per hour', () => {
    const table = provisioned(100, 100);
    let now = 0;
    let read = 100;
    const decrease = () => {
      read -= 1;
      table.requestUpdate({ table: { readUnitsPerSecond: read, writeUnitsPerSecond: 100 } }, now);
      now += 60_000;
      table.status(now);
    };
    for (let i = 0; i < 4; i++) decrease();
    expect(table.describe(undefined, now).numberOfDecreasesToday).toBe(4);
    expect(() => decrease()).toThrow(/decreases are limited/);
    now += 3_600_000;
    expect(() => decrease()).not.toThrow();
    expect(() => decrease()).toThrow(/decreases are limited/);
  });
});

describe('replaying read demand under either burst assumption (B 2.1, 2.2)', () => {
  it('the lab profile on 5 read units: the first throttle at about 71 s with the bucket full, about 30 s with it empty', () => {
    // The lab's script, one read unit per listing: 30 s at 5, 30 s at 20, 60 s at 100, 30 s at 5 requests a second.
    const unitsPerSecond = [...Array(30).fill(5), ...Array(30).fill(20), ...Array(60).fill(100), ...Array(30).fill(5)];
    const full = replayReadDemand({ readUnitsPerSecond: 5, burstStartsFull: true, unitsPerSecond });
    const empty = replayReadDemand({ readUnitsPerSecond: 5, burstStartsFull: false, unitsPerSecond });
    // Full: 1,500 units of burst, drained at 15/s in the medium phase (450) and at 95/s in the spike: 1,050 / 95 = 11 s.
    expect(full.firstThrottleSecond).toBe(71);
    // Empty: nothing saved at 5/s on 5 units, so the medium phase (20/s) throttles at once.
    expect(empty.firstThrottleSecond).toBe(30);
    expect(empty.refusedUnits).toBeGreaterThan(full.refusedUnits);
    expect(full.demandedUnits).toBe(30 * 5 + 30 * 20 + 60 * 100 + 30 * 5);
  });
});
