import { describe, expect, it } from 'vitest';
import { parseProfile } from '../load/load-profile.ts';
import { findPhases } from './phase-finder.ts';
import { StepCounts } from './step-counts.ts';
import { tracedProfile } from './traced-profile.ts';

const t0 = Date.UTC(2026, 10, 27, 8, 0, 0);
const options = { name: 't', scale: 1, gaps: 'zero', categoryShare: 0, source: 'test' } as const;

/** Per-second counts: `rates[i]` requests in second i, split 3 gets to 1 list (rates are multiples of 4). */
function countsOf(rates: number[]): StepCounts {
  const counts = new StepCounts(1_000);
  rates.forEach((rate, i) => {
    if (rate === 0) return;
    counts.add(t0 + i * 1_000, 'get', (rate * 3) / 4);
    counts.add(t0 + i * 1_000 + 500, 'list', rate / 4);
  });
  return counts;
}

describe('a traced profile from counts', () => {
  it('keeps the data’s 1 s step, or sums into a longer one, and scales the rates', () => {
    const counts = countsOf([4, 8, 8, 4]);
    expect(tracedProfile(counts, options).profile.trace).toEqual({
      start: new Date(t0).toISOString(),
      stepSeconds: 1,
      rates: [4, 8, 8, 4],
    });
    expect(tracedProfile(counts, { ...options, stepSeconds: 2, scale: 3 }).profile.trace.rates).toEqual([18, 18]);
    expect(tracedProfile(counts, options).profile.mix).toEqual({ list: 25, get: 75 });
  });

  it('splits listings by --category-share, and keeps deletes in the mix', () => {
    const counts = countsOf([4]);
    counts.add(t0, 'delete', 4);
    expect(tracedProfile(counts, { ...options, categoryShare: 0.5 }).profile.mix).toEqual({
      list: 6.25,
      listByCategory: 6.25,
      get: 37.5,
      delete: 50,
    });
  });

  it('cuts --from/--to, fills a missing minute with zero or refuses it with --gaps error', () => {
    const counts = new StepCounts(60_000);
    counts.add(t0, 'get', 60);
    counts.add(t0 + 120_000, 'get', 120);
    const traced = tracedProfile(counts, options);
    expect(traced.profile.trace.rates).toEqual([1, 0, 2]);
    expect(tracedProfile(counts, { ...options, fromMs: t0 + 60_000 }).profile.trace.rates).toEqual([0, 2]);
    expect(() => tracedProfile(counts, { ...options, gaps: 'error' })).toThrow(/no data for 2026-11-27T08:01:00.000Z/);
    expect(() => tracedProfile(counts, { ...options, stepSeconds: 90 })).toThrow(/60 s periods.*a multiple of 60/);
  });

  it('writes a profile that techmoda load reads, with the phases named', () => {
    const rates = [...Array(60).fill(4), ...Array.from({ length: 20 }, (_, i) => 4 + i * 4), ...Array(30).fill(80), ...Array(40).fill(8)];
    const traced = tracedProfile(countsOf(rates), options);
    expect(traced.profile.phases.map((p) => p.name)).toEqual(['baseline', 'ramp', 'peak', 'after']);
    const profile = parseProfile(JSON.parse(JSON.stringify(traced.profile)), 'test');
    expect(profile.phases.map((p) => p.durationSeconds).reduce((a, b) => a + b, 0)).toBe(rates.length);
  });
});

describe('finding phases', () => {
  it('names a flash sale’s spans and calls a flat trace steady', () => {
    expect(findPhases([5, 5, 5, 6, 20, 35, 50, 50, 48, 10, 5])).toEqual([
      { name: 'baseline', steps: 4 },
      { name: 'ramp', steps: 2 },
      { name: 'peak', steps: 3 },
      { name: 'after', steps: 2 },
    ]);
    expect(findPhases([5, 6, 5, 6])).toEqual([{ name: 'steady', steps: 4 }]);
  });
});
