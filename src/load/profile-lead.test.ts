import { describe, expect, it } from 'vitest';
import { builtInProfiles } from './load-profile.ts';
import { withLead } from './profile-lead.ts';

describe('withLead', () => {
  const sale = builtInProfiles['flash-sale'];
  if (!sale) throw new Error('no flash-sale profile');

  it('puts a lead phase at the rate the profile opens with before its phases, which stay as they were', () => {
    const led = withLead(sale, 900);
    expect(led.phases[0]).toEqual({ name: 'lead', durationSeconds: 900, ratePerSecond: 20 });
    expect(led.phases.slice(1)).toEqual(sale.phases);
    expect(led.mix).toEqual(sale.mix);
  });

  it('takes the first step of a traced profile as its opening rate, and no lead leaves the profile alone', () => {
    const traced = {
      name: 't',
      phases: [{ name: 'baseline', durationSeconds: 3, ratePerSecond: 7, stepSeconds: 1, rates: [7, 9, 11] }],
      mix: { get: 1 },
    };
    expect(withLead(traced, 60).phases[0]).toMatchObject({ ratePerSecond: 7, durationSeconds: 60 });
    expect(withLead(traced, 0)).toBe(traced);
  });

  it('refuses a profile that already has a phase named lead', () => {
    expect(() => withLead(withLead(sale, 60), 60)).toThrow(/already has a phase named "lead"/);
  });
});
