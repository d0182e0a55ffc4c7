import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('starts full, refills continuously at its rate, and never exceeds its capacity', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, capacity: 20, startMs: 0 });
    expect(bucket.tryTake(20, 0)).toBe(true);
    expect(bucket.tryTake(1, 0)).toBe(false);
    expect(bucket.level(500)).toBeCloseTo(5);
    expect(bucket.level(60_000)).toBe(20);
  });

  it('property: a bucket never exceeds its burst nor goes negative; served + throttled = offered', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1_000, noNaN: true }),
        fc.double({ min: 1, max: 5_000, noNaN: true }),
        fc.array(fc.tuple(fc.nat(2_000), fc.double({ min: 0.01, max: 50, noNaN: true })), { maxLength: 200 }),
        (rate, capacity, steps) => {
          const bucket = new TokenBucket({ ratePerSecond: rate, capacity, startMs: 0 });
          let now = 0;
          let served = 0;
          let throttled = 0;
          for (const [dt, count] of steps) {
            now += dt;
            if (bucket.tryTake(count, now)) served++;
            else throttled++;
            const level = bucket.level(now);
            expect(level).toBeGreaterThanOrEqual(0);
            expect(level).toBeLessThanOrEqual(capacity + 1e-9);
          }
          expect(served + throttled).toBe(steps.length);
        },
      ),
    );
  });
});
