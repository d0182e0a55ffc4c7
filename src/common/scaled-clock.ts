import type { Clock } from './clock.ts';

/**
 * The control plane's clock: virtual time, running `timeScale` times faster than `real` from `startMs` on (virtual
 * time reads `virtualStartMs` there, by default the same instant). Data-plane rates stay per real second; control-plane durations (metric periods,
 * alarm evaluation, cooldowns, apply delays, idle reclaim, the decrease-quota clock) are virtual. The one place the
 * compression formula is written: names say which time a value is, `virtual...` or `real...`.
 */
export class ScaledClock implements Clock {
  readonly startMs: number;
  /** Virtual time at `startMs`: the same instant unless the run's virtual clock was set to start elsewhere. */
  readonly virtualStartMs: number;

  constructor(
    readonly real: Clock,
    readonly timeScale = 1,
    startMs = real.nowMs(),
    virtualStartMs = startMs,
  ) {
    if (!(timeScale >= 1)) throw new RangeError(`a time scale is at least 1, got ${timeScale}`);
    this.startMs = startMs;
    this.virtualStartMs = virtualStartMs;
  }

  /** Virtual now: what `Clock` consumers of the control plane read. */
  nowMs(): number {
    return this.virtualAt(this.real.nowMs());
  }

  /** The virtual time of real time `realMs`. */
  virtualAt(realMs: number): number {
    return this.virtualStartMs + (realMs - this.startMs) * this.timeScale;
  }

  /** How long a virtual duration lasts in real time. */
  realDurationMs(virtualMs: number): number {
    return virtualMs / this.timeScale;
  }
}
