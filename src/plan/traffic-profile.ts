import { closingRateOf, type PhaseShape, requestsBetween } from '../load/phase-segments.ts';

/** A phase of traffic as the planner reads it (the shape of `techmoda load`'s profiles, traced ones included). */
export interface TrafficPhase extends PhaseShape {
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
}

/**
 * The profile second by second: requests arriving in each second (the rate integrated over it, so ramps hold their
 * exact totals) and the phase it belongs to.
 */
export function secondsOf(profile: TrafficProfile): SecondOfTraffic[] {
  const seconds: SecondOfTraffic[] = [];
  profile.phases.forEach((phase, phaseIndex) => {
    const whole = Math.ceil(phase.durationSeconds - 1e-9);
    for (let s = 0; s < whole; s++)
      seconds.push({ phaseIndex, requests: requestsBetween(phase, s, Math.min(s + 1, phase.durationSeconds)) });
  });
  return seconds;
}

/** Each kind's share of the mix (weights normalised to 1). */
export function mixShares(profile: TrafficProfile): [string, number][] {
  const entries = Object.entries(profile.mix).filter((e): e is [string, number] => (e[1] ?? 0) > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return entries.map(([kind, w]) => [kind, w / total]);
}

/** The rate of the profile's last phase at its end: the traffic that continues after the event. */
export function closingRatePerSecond(profile: TrafficProfile): number {
  const last = profile.phases[profile.phases.length - 1];
  return last ? closingRateOf(last) : 0;
}
