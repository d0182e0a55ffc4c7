/** A phase of traffic as the planner reads it (the shape of `techmoda load`'s profiles). */
export interface TrafficPhase {
  readonly name: string;
  readonly durationSeconds: number;
  readonly ratePerSecond: number;
  readonly rampToRatePerSecond?: number | undefined;
}

/** Phases and a weighted request mix; `techmoda load`'s LoadProfile has this shape. */
export interface TrafficProfile {
  readonly name: string;
  readonly phases: readonly TrafficPhase[];
  readonly mix: Readonly<Record<string, number | undefined>>;
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
    const to = phase.rampToRatePerSecond ?? phase.ratePerSecond;
    const whole = Math.ceil(phase.durationSeconds - 1e-9);
    const slope = (to - phase.ratePerSecond) / phase.durationSeconds;
    for (let s = 0; s < whole; s++) {
      const end = Math.min(s + 1, phase.durationSeconds);
      // The rate is linear within the phase: its mean over [s, end) is its value at the middle.
      seconds.push({ phaseIndex, requests: (phase.ratePerSecond + slope * ((s + end) / 2)) * (end - s) });
    }
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
  return last ? (last.rampToRatePerSecond ?? last.ratePerSecond) : 0;
}
