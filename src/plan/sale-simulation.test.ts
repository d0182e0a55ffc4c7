import { describe, expect, it } from 'vitest';
import { builtInProfiles } from '../load/load-profile.ts';
import { handDemand, handStack } from './plan-fixtures.test-support.ts';
import { type SimulationOptions, simulateSale } from './sale-simulation.ts';

const startMs = Date.parse('2026-12-01T00:00:00Z');
const labProfile = builtInProfiles.lab as SimulationOptions['profile'];

/** The lab profile on a hand-made stack. */
const lab = (options: Partial<SimulationOptions> & Pick<SimulationOptions, 'burstStartsFull'>) =>
  simulateSale({ model: handStack({}), profile: labProfile, demand: handDemand, startMs, ...options });
const phase = (prediction: ReturnType<typeof simulateSale>, name: string) => prediction.phases.find((p) => p.name === name);

describe('the lab profile on the lab stack (5 RCU, 1 read unit per listing), by hand', () => {
  it('bucket full: 1,500 units saved, 450 spent in medium, 95 a second in the spike: the first refusal at 71 s', () => {
    // 1,500 - 30 x 15 = 1,050 left at 60 s; 1,050 / 95 = 11.05 s, so second 71 finds 5 + 5 units for 100 reads.
    const prediction = lab({ model: handStack({}), burstStartsFull: true, retryQuotaScope: 'function' });
    expect(prediction.firstThrottleSecond.dynamodb).toBe(71);
    expect(phase(prediction, 'medium')?.ok).toBeCloseTo(600, 6);
    // 11 s x 100, then 10 units in second 71, then 5 a second for 48 s: 1,350 listings served in the spike.
    expect(phase(prediction, 'spike')?.ok).toBeGreaterThan(1_340);
    expect(phase(prediction, 'spike')?.ok).toBeLessThan(1_360);
  });

  it('bucket empty: medium needs 20 units a second of 5 and is throttled from 30 s; 5 listings a second get through', () => {
    const prediction = lab({ model: handStack({}), burstStartsFull: false, retryQuotaScope: 'function' });
    expect(prediction.firstThrottleSecond.dynamodb).toBe(30);
    expect(phase(prediction, 'medium')?.ok).toBeCloseTo(150, 0);
    expect(phase(prediction, 'spike')?.ok).toBeGreaterThan(295);
    expect(phase(prediction, 'spike')?.ok).toBeLessThan(305);
    const share = (name: string) => {
      const p = phase(prediction, name);
      return p ? 1 - p.ok / p.requests : 0;
    };
    expect(share('medium')).toBeCloseTo(0.75, 2);
    expect(share('spike')).toBeCloseTo(0.95, 2);
  });

  it('scales out in minute 2: two minutes above 210 units (5 x 60 x 70%), to ceil(1,350 / 60 / 0.7) = 33, applied a minute later', () => {
    const prediction = lab({
      model: handStack({ autoScaling: true }),
      burstStartsFull: true,
      retryQuotaScope: 'function',
      drainSeconds: 90,
    });
    const started = prediction.activities.find((a) => a.statusCode === 'InProgress');
    expect(started).toMatchObject({ second: 120, fromCapacity: 5, toCapacity: 33 });
    expect(prediction.activities.find((a) => a.statusCode === 'Successful')?.second).toBe(180);
    expect(prediction.alarms.find((a) => a.to === 'ALARM')?.second).toBe(120);
    expect(phase(prediction, 'cool-down')?.capacity.products?.read).toEqual([5, 5]);
  });

  it('throttled reads hold their environments through the SDK’s retry waits, so GetProducts reaches its reservation', () => {
    const prediction = lab({ model: handStack({ reserved: 20 }), burstStartsFull: false });
    const spike = phase(prediction, 'spike');
    expect(spike?.throttled.lambda).toBeGreaterThan(1_000);
    expect(spike?.peakConcurrency.GetProducts).toBeGreaterThan(18);
    // Waits of up to 0.5 + 1 + 2 s on average: the tail is seconds, not milliseconds.
    expect(spike?.p99Ms).toBeGreaterThan(2_000);
  });

  it('keeps every request: ok and throttled add up to the requests of each phase', () => {
    for (const burstStartsFull of [true, false]) {
      const prediction = lab({ model: handStack({ reserved: 20 }), burstStartsFull });
      for (const p of prediction.phases) {
        const accounted = p.ok + p.throttled.gateway + p.throttled.lambda + p.throttled.dynamodb;
        expect(accounted).toBeCloseTo(p.requests, 3);
      }
    }
  });
});

describe('a throttle storm against a reservation', () => {
  it('fills the reservation with invocations waiting for retries, and Lambda refuses the rest of each second (500)', () => {
    // Reserved 20, 5 listings a second get through, 100 arrive: waits of 0.5 + 1 + 2 s on average keep every
    // environment busy. New invocations are admitted by what they hold of their own second, so the average
    // concurrency of the storm's seconds is the reservation, neither far below it nor above it.
    const prediction = lab({ model: handStack({ reserved: 20 }), burstStartsFull: false });
    const storm = prediction.timeline.filter((s) => s.second >= 70 && s.second < 115);
    const concurrency = storm.map((s) => s.concurrency.GetProducts ?? 0);
    const mean = concurrency.reduce((a, b) => a + b, 0) / concurrency.length;
    expect(mean).toBeGreaterThan(19);
    expect(mean).toBeLessThan(21);
    expect(Math.max(...concurrency)).toBeLessThan(24);
    const spike = phase(prediction, 'spike');
    // About 20 / 3.5 = 6 invocations a second get in; the other ~94 are Lambda throttles.
    expect((spike?.throttled.lambda ?? 0) / 60).toBeGreaterThan(85);
  });
});
