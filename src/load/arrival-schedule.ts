import type { LoadPhase } from './load-profile.ts';

/** One planned request: when it is due (ms from the start of the run) and in which phase. */
export interface Arrival {
  readonly atMs: number;
  readonly phaseIndex: number;
}

/**
 * The intended send times of a run, evenly spaced at the phase's rate (linearly ramped when the phase ramps): the
 * k-th request of a phase is due when the integral of the rate reaches k. Open loop: these times never depend on
 * responses. Yields lazily, so a long run at a high rate needs no big array.
 */
export function* arrivals(phases: readonly LoadPhase[]): Generator<Arrival> {
  let phaseStartMs = 0;
  for (const [phaseIndex, phase] of phases.entries()) {
    const durationS = phase.durationSeconds;
    const r0 = phase.ratePerSecond;
    const r1 = phase.rampToRatePerSecond ?? r0;
    const slope = (r1 - r0) / durationS; // requests per second, per second
    const total = ((r0 + r1) / 2) * durationS;
    for (let k = 0; k < total - 1e-9; k++) {
      // Solve r0 t + slope t^2 / 2 = k for t (the first request at t = 0).
      const t = Math.abs(slope) < 1e-12 ? k / r0 : (-r0 + Math.sqrt(r0 * r0 + 2 * slope * k)) / slope;
      if (!(t < durationS)) break;
      yield { atMs: phaseStartMs + t * 1000, phaseIndex };
    }
    phaseStartMs += durationS * 1000;
  }
}
