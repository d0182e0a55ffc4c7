import { AppError } from '../common/app-error.ts';
import type { LoadProfile } from './load-profile.ts';
import type { RunFigures } from './load-results.ts';
import { requestsBetween } from './phase-segments.ts';

/** A run another engine made, read back from its results. */
export interface ImportedRun {
  readonly engine: 'artillery' | 'k6';
  readonly results: RunFigures;
  readonly startedAtMs: number;
  /** What the engine's data cannot give, one sentence each, printed with the results. */
  readonly cannotGive: readonly string[];
}

/** A results file that cannot be read; the message says what is wrong (a usage error: exit 2). */
export class ImportError extends AppError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Each phase's window on the run's clock (ms from its start), in profile order. */
export function phaseWindows(profile: LoadProfile): { startMs: number; endMs: number }[] {
  let offset = 0;
  return profile.phases.map((phase) => {
    const window = { startMs: offset, endMs: offset + phase.durationSeconds * 1000 };
    offset = window.endMs;
    return window;
  });
}

/** Requests the profile plans in [fromMs, toMs) of the run (the integral of its rate there). */
export function plannedBetween(profile: LoadProfile, fromMs: number, toMs: number): number[] {
  return phaseWindows(profile).map(({ startMs, endMs }, i) => {
    const phase = profile.phases[i] as LoadProfile['phases'][number];
    const a = Math.max(fromMs, startMs);
    const b = Math.min(toMs, endMs);
    if (b <= a) return 0;
    return requestsBetween(phase, (a - startMs) / 1000, (b - startMs) / 1000);
  });
}
