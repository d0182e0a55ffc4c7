import { closingRateOf, type PhaseShape, requestsPerSecond } from '../load/phase-segments.ts';
import { type MixWeights, mixAt, type SteppedMixPhase } from '../load/step-mix.ts';

/** A phase of traffic as the planner reads it (the shape of `techmoda load`'s profiles, traced ones included). */
export interface TrafficPhase extends PhaseShape, SteppedMixPhase {
  readonly name: string;
}

/** Phases and a weighted request mix; `techmoda load`'s LoadProfile has this shape. */
export interface TrafficProfile {
  readonly name: string;
  readonly phases: readonly TrafficPhase[];
  readonly mix: Readonly<Record<string, number | undefined>>;
  /** What a traced profile's tables were provisioned with when its history began (`--warm-start` takes it). */
  readonly startCapacity?:
    | readonly { table: string; index?: string | undefined; read?: number | undefined; write?: number | undefined }[]
    | undefined;
}

/** Where one second of the profile falls, and how many requests arrive in it. */
export interface SecondOfTraffic {
  readonly phaseIndex: number;
  readonly requests: number;
  /** The step's own mix, where a traced profile has one for it. */
  readonly mix?: MixWeights | undefined;
}

/** Profiles already expanded: a search asks for the same day's 86,400 seconds several times per candidate. */
const expanded = new WeakMap<TrafficProfile, readonly SecondOfTraffic[]>();

/**
 * The profile second by second: requests arriving in each second (the rate integrated over it, so ramps hold their
 * exact totals) and the phase it belongs to. Computed once per profile object (profiles are not changed in place).
 */
export function secondsOf(profile: TrafficProfile): readonly SecondOfTraffic[] {
  const known = expanded.get(profile);
  if (known) return known;
  const seconds: SecondOfTraffic[] = [];
  profile.phases.forEach((phase, phaseIndex) => {
    const whole = Math.ceil(phase.durationSeconds - 1e-9);
    const perSecond = requestsPerSecond(phase);
    for (let s = 0; s < whole; s++) {
      const requests = perSecond[s] as number;
      const mix = phase.mixes ? mixAt(phase, s, profile.mix) : undefined;
      seconds.push(mix && mix !== profile.mix ? { phaseIndex, requests, mix } : { phaseIndex, requests });
    }
  });
  expanded.set(profile, Object.freeze(seconds));
  return seconds;
}

/** Each kind's share of the profile's mix (weights normalised to 1). */
export function mixShares(profile: Pick<TrafficProfile, 'mix'>): [string, number][] {
  return sharesOf(profile.mix);
}

/** Each kind's share of a mix (weights normalised to 1). */
export function sharesOf(mix: MixWeights): [string, number][] {
  const entries = Object.entries(mix).filter((e): e is [string, number] => (e[1] ?? 0) > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return entries.map(([kind, w]) => [kind, w / total]);
}

/** Every kind any mix of the profile sends: the overall mix's and those of traced steps. */
export function kindsOf(profile: TrafficProfile): string[] {
  const kinds = new Set(mixShares(profile).map(([kind]) => kind));
  for (const phase of profile.phases) for (const mix of phase.mixes ?? []) for (const [kind] of sharesOf(mix ?? {})) kinds.add(kind);
  return [...kinds];
}

/** The rate of the profile's last phase at its end: the traffic that continues after the event. */
export function closingRatePerSecond(profile: TrafficProfile): number {
  const last = profile.phases[profile.phases.length - 1];
  return last ? closingRateOf(last) : 0;
}
