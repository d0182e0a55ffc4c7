import type { LoadPhase } from './load-profile.ts';
import { phaseSegments } from './phase-segments.ts';

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
    // The phase's k-th request is due when the integral of its rate since the phase began reaches k; `before` is
    // that integral at the start of each segment, so a traced phase's steps continue one spacing.
    let before = 0;
    let k = 0;
    for (const segment of phaseSegments(phase)) {
      const durationS = segment.durationSeconds;
      const r0 = segment.from;
      const slope = (segment.to - r0) / durationS; // requests per second, per second
      const total = ((r0 + segment.to) / 2) * durationS;
      for (; k < before + total - 1e-9; k++) {
        // Solve r0 t + slope t^2 / 2 = k - before for t (the first request of a phase at t = 0).
        const n = k - before;
        const t = Math.abs(slope) < 1e-12 ? n / r0 : (-r0 + Math.sqrt(r0 * r0 + 2 * slope * n)) / slope;
        if (!(t < durationS)) break;
        yield { atMs: phaseStartMs + (segment.startSeconds + t) * 1000, phaseIndex };
      }
      before += total;
    }
    phaseStartMs += phase.durationSeconds * 1000;
  }
}
