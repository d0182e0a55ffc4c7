import { ProfileError } from './load-profile.ts';
import { type PhaseShape, phaseSegments } from './phase-segments.ts';

/** The name of the phase {@link withLead} puts before a profile. */
export const leadPhaseName = 'lead';

/**
 * The profile with a `lead` phase before it: `leadSeconds` at the rate the profile opens with. A run then begins
 * that long before the traffic rises, so scheduled raises (table, index, provisioned concurrency) can land first, as
 * they would before a known sale. The load generator, the lab and the planner all run the lead the same way.
 */
export function withLead<P extends { readonly phases: readonly (PhaseShape & { readonly name: string })[] }>(
  profile: P,
  leadSeconds: number,
): P {
  if (leadSeconds <= 0) return profile;
  if (profile.phases.some((p) => p.name === leadPhaseName))
    throw new ProfileError(`the profile already has a phase named "${leadPhaseName}": rename it to use --lead`);
  const first = profile.phases[0];
  const openingRate = first ? (phaseSegments(first)[0]?.from ?? 0) : 0;
  const lead = { name: leadPhaseName, durationSeconds: leadSeconds, ratePerSecond: openingRate };
  return { ...profile, phases: [lead, ...profile.phases] };
}
