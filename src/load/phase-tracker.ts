import type { Pool } from 'undici';
import type { LoadPhase } from './load-profile.ts';

/**
 * Which phase the run is in: tells the caller when one starts, and announces starts and ends to the local cloud's
 * `/_local/phases` (fire and forget: an announcement never delays a request) when asked to.
 */
export class PhaseTracker {
  private currentIndex = -1;

  constructor(
    private readonly phases: readonly LoadPhase[],
    private readonly announceTo: Pool | undefined,
    private readonly onPhase: ((phaseIndex: number) => void) | undefined,
  ) {}

  /** Index of the phase in progress (-1 before the first request). */
  get current(): number {
    return this.currentIndex;
  }

  /** Moves on to `phaseIndex`, ending and starting every phase in between (an empty phase still starts and ends). */
  enter(phaseIndex: number): void {
    while (this.currentIndex < phaseIndex) {
      if (this.currentIndex >= 0) this.announce(this.currentIndex, 'end');
      this.currentIndex += 1;
      this.announce(this.currentIndex, 'start');
      this.onPhase?.(this.currentIndex);
    }
  }

  /** Ends the phase in progress. */
  finish(): void {
    if (this.currentIndex >= 0) this.announce(this.currentIndex, 'end');
  }

  private announce(phaseIndex: number, state: 'start' | 'end'): void {
    const phase = this.phases[phaseIndex];
    if (!this.announceTo || !phase) return;
    const body = JSON.stringify({
      name: phase.name,
      state,
      targetRatePerSecond: state === 'start' ? phase.ratePerSecond : (phase.rampToRatePerSecond ?? phase.ratePerSecond),
    });
    void this.announceTo.request({ path: '/_local/phases', method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
      (r) => r.body.dump(),
      () => {},
    );
  }
}
