import { describe, expect, it } from 'vitest';
import { arrivals } from './arrival-schedule.ts';
import { builtInProfiles, ProfileError, parseProfile } from './load-profile.ts';

describe('arrival schedule (open loop)', () => {
  it('spaces requests evenly at the phase rate: the lab profile sends 150, 600, 6,000 and 150', () => {
    const all = [...arrivals(builtInProfiles.lab?.phases ?? [])];
    const perPhase = [0, 1, 2, 3].map((i) => all.filter((a) => a.phaseIndex === i).length);
    expect(perPhase).toEqual([150, 600, 6_000, 150]);
    const spike = all.filter((a) => a.phaseIndex === 2);
    expect((spike[1]?.atMs ?? 0) - (spike[0]?.atMs ?? 0)).toBeCloseTo(10);
    expect(spike[0]?.atMs).toBe(60_000);
  });

  it('ramps linearly: 20 -> 200 over 60 s sends 6,600 requests, denser at the end', () => {
    const ramp = [...arrivals([{ name: 'jump', durationSeconds: 60, ratePerSecond: 20, rampToRatePerSecond: 200 }])];
    expect(ramp).toHaveLength(6_600);
    const firstSecond = ramp.filter((a) => a.atMs < 1_000).length;
    const lastSecond = ramp.filter((a) => a.atMs >= 59_000).length;
    expect(firstSecond).toBeGreaterThanOrEqual(20);
    expect(firstSecond).toBeLessThanOrEqual(22);
    expect(lastSecond).toBeGreaterThanOrEqual(197);
    expect(lastSecond).toBeLessThanOrEqual(200);
  });

  it('refuses a bad profile naming the field', () => {
    expect(() => parseProfile({ phases: [{ name: 'x', durationSeconds: -1, ratePerSecond: 5 }], mix: { list: 1 } }, 'p.yaml')).toThrow(
      /phases\.0\.durationSeconds/,
    );
    expect(() => parseProfile({ phases: [{ name: 'x', durationSeconds: 1, ratePerSecond: 5 }], mix: { lists: 1 } }, 'p.yaml')).toThrow(
      /mix: unknown field lists/,
    );
    expect(() => parseProfile({ phases: [], mix: { list: 1 } }, 'p.yaml')).toThrow(ProfileError);
    expect(() => parseProfile({ phases: [{ name: 'x', durationSeconds: 1, ratePerSecond: 5 }], mix: { list: 0 } }, 'p.yaml')).toThrow(
      /mix: needs at least one kind/,
    );
  });
});
