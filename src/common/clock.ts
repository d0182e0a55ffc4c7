/** Source of time. Models and services take one so tests can drive time by hand. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

/** The machine's wall clock. */
export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that moves only when told to; for deterministic tests and virtual-time runs. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(startMs = 0) {
    this.currentMs = startMs;
  }

  nowMs(): number {
    return this.currentMs;
  }

  /** Moves time forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`cannot move a clock backwards (${ms} ms)`);
    this.currentMs += ms;
  }

  /** Jumps to an absolute time, which must not be in the past. */
  setMs(atMs: number): void {
    this.advance(atMs - this.currentMs);
  }
}
