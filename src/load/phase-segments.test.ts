import { describe, expect, it } from 'vitest';
import { arrivals } from './arrival-schedule.ts';
import { parseProfile } from './load-profile.ts';
import { peakRateOf, requestsBetween, requestsPerSecond } from './phase-segments.ts';

const traced = {
  name: 'last-sale',
  trace: { start: '2026-11-27T08:00:00Z', stepSeconds: 60, rates: [1, 2, 10, 10, 1] },
  phases: [
    { name: 'baseline', steps: 2 },
    { name: 'peak', steps: 2 },
    { name: 'after', steps: 1 },
  ],
  mix: { get: 3, list: 1 },
};

describe('traced profiles', () => {
  it('read into phases that hold their steps’ rates', () => {
    const profile = parseProfile(traced, 'trace.yaml');
    expect(profile.phases.map((p) => [p.name, p.durationSeconds, p.rates])).toEqual([
      ['baseline', 120, [1, 2]],
      ['peak', 120, [10, 10]],
      ['after', 60, [1]],
    ]);
    expect(peakRateOf(profile.phases[1] as (typeof profile.phases)[number])).toBe(10);
  });

  it('send exactly each step’s requests, evenly spaced within it', () => {
    const profile = parseProfile(traced, 'trace.yaml');
    const perMinute = new Map<number, number>();
    for (const a of arrivals(profile.phases))
      perMinute.set(Math.floor(a.atMs / 60_000), (perMinute.get(Math.floor(a.atMs / 60_000)) ?? 0) + 1);
    expect([...perMinute.values()]).toEqual([60, 120, 600, 600, 60]);
    const baseline = profile.phases[0] as (typeof profile.phases)[number];
    expect(requestsBetween(baseline, 30, 90)).toBe(30 + 60);
  });

  it('refuse spans that do not cover the trace, and rates without their step', () => {
    expect(() => parseProfile({ ...traced, phases: [{ name: 'all', steps: 4 }] }, 't.yaml')).toThrow(
      'profile t.yaml is invalid: phases: cover 4 steps, the trace has 5',
    );
    expect(() =>
      parseProfile({ phases: [{ name: 'p', durationSeconds: 60, ratePerSecond: 1, rates: [1] }], mix: { get: 1 } }, 'p.yaml'),
    ).toThrow(/phase p: rates need stepSeconds/);
  });
});

describe('requestsPerSecond', () => {
  it('gives each second what requestsBetween gives it, for ramps, partial last seconds and traced steps', () => {
    const phases = [
      { durationSeconds: 10.5, ratePerSecond: 2, rampToRatePerSecond: 30 },
      { durationSeconds: 7, ratePerSecond: 4, stepSeconds: 3, rates: [4, 9, 1] },
      { durationSeconds: 5, ratePerSecond: 6 },
    ];
    for (const phase of phases) {
      const perSecond = requestsPerSecond(phase);
      expect(perSecond).toHaveLength(Math.ceil(phase.durationSeconds));
      for (const [s, n] of perSecond.entries()) {
        expect(n).toBeCloseTo(requestsBetween(phase, s, Math.min(s + 1, phase.durationSeconds)), 9);
      }
    }
  });
});
