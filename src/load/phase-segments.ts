/**
 * A phase's rate over time as straight segments: an ordinary phase is one segment (constant, or a linear ramp to
 * `rampToRatePerSecond`); a phase of a traced profile (`rates` at a fixed `stepSeconds`) is one constant segment per
 * step, the step's mean rate, so the requests of every step are exactly what the trace counted. The load generator,
 * the engines' scripts and the planner all read rates through this one function.
 */
export interface PhaseShape {
  readonly durationSeconds: number;
  readonly ratePerSecond: number;
  readonly rampToRatePerSecond?: number | undefined;
  readonly stepSeconds?: number | undefined;
  readonly rates?: readonly number[] | undefined;
}

/** One straight piece of a phase: it starts `startSeconds` into the phase and moves linearly from `from` to `to`. */
export interface RateSegment {
  readonly startSeconds: number;
  readonly durationSeconds: number;
  readonly from: number;
  readonly to: number;
}

export function phaseSegments(phase: PhaseShape): RateSegment[] {
  const { rates, stepSeconds } = phase;
  if (rates && stepSeconds)
    return rates.map((rate, i) => ({
      startSeconds: i * stepSeconds,
      durationSeconds: Math.min(stepSeconds, phase.durationSeconds - i * stepSeconds),
      from: rate,
      to: rate,
    }));
  const to = phase.rampToRatePerSecond ?? phase.ratePerSecond;
  return [{ startSeconds: 0, durationSeconds: phase.durationSeconds, from: phase.ratePerSecond, to }];
}

/** The highest rate a phase reaches. */
export function peakRateOf(phase: PhaseShape): number {
  return Math.max(0, ...phaseSegments(phase).map((s) => Math.max(s.from, s.to)));
}

/** The rate at the phase's end. */
export function closingRateOf(phase: PhaseShape): number {
  const segments = phaseSegments(phase);
  return segments[segments.length - 1]?.to ?? 0;
}

/** Requests a phase plans in [fromSeconds, toSeconds) of it: the integral of its rate there. */
export function requestsBetween(phase: PhaseShape, fromSeconds: number, toSeconds: number): number {
  return requestsOver(phaseSegments(phase), fromSeconds, toSeconds);
}

/**
 * Requests a phase plans in each whole second of it (the last one possibly partial), with its segments built once: a
 * traced day has 86,400 of them, and building them again for every second would cost their square.
 */
export function requestsPerSecond(phase: PhaseShape): number[] {
  const segments = phaseSegments(phase);
  const seconds: number[] = [];
  const whole = Math.ceil(phase.durationSeconds - 1e-9);
  let first = 0;
  for (let s = 0; s < whole; s++) {
    // Segments are in time order: skip those that ended before this second.
    while (
      first < segments.length - 1 &&
      (segments[first] as RateSegment).startSeconds + (segments[first] as RateSegment).durationSeconds <= s
    )
      first++;
    seconds.push(requestsOver(segments, s, Math.min(s + 1, phase.durationSeconds), first));
  }
  return seconds;
}

function requestsOver(segments: readonly RateSegment[], fromSeconds: number, toSeconds: number, firstIndex = 0): number {
  let total = 0;
  for (let i = firstIndex; i < segments.length; i++) {
    const s = segments[i] as RateSegment;
    if (s.startSeconds >= toSeconds) break;
    const a = Math.max(fromSeconds, s.startSeconds);
    const b = Math.min(toSeconds, s.startSeconds + s.durationSeconds);
    if (b <= a) continue;
    const rateAt = (t: number) => s.from + ((s.to - s.from) * (t - s.startSeconds)) / s.durationSeconds;
    total += ((rateAt(a) + rateAt(b)) / 2) * (b - a);
  }
  return total;
}

/** The same phase with every rate multiplied by `factor`. */
export function scaledPhase<P extends PhaseShape>(phase: P, factor: number): P {
  return {
    ...phase,
    ratePerSecond: phase.ratePerSecond * factor,
    ...(phase.rampToRatePerSecond !== undefined && { rampToRatePerSecond: phase.rampToRatePerSecond * factor }),
    ...(phase.rates && { rates: phase.rates.map((r) => r * factor) }),
  };
}
