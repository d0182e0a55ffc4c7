import { describe, expect, it } from 'vitest';
import { packSeconds, unpackSeconds } from './packed-seconds.ts';
import { secondsOf, type TrafficProfile } from './traffic-profile.ts';

describe("a profile's seconds packed for the simulation worker", () => {
  it('unpack to exactly what secondsOf expands, ramps and partial seconds included', () => {
    const profile: TrafficProfile = {
      name: 'ramp',
      phases: [
        { name: 'steady', durationSeconds: 3, ratePerSecond: 5 },
        { name: 'ramp', durationSeconds: 4.5, ratePerSecond: 5, rampToRatePerSecond: 50 },
      ],
      mix: { get: 1 },
    };
    const seconds = secondsOf(profile);
    const packed = packSeconds(seconds);
    expect(packed?.requests).toHaveLength(8);
    expect(unpackSeconds(packed as NonNullable<typeof packed>)).toEqual(seconds);
  });

  it('do not pack when a second carries its own mix (the worker expands those itself)', () => {
    expect(
      packSeconds([
        { phaseIndex: 0, requests: 3 },
        { phaseIndex: 0, requests: 4, mix: { get: 1 } },
      ]),
    ).toBeUndefined();
  });
});
