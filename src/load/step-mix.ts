import type { RequestKind } from './load-profile.ts';

/** Request weights by kind, as a profile's `mix` gives them. */
export type MixWeights = Readonly<Partial<Record<RequestKind | string, number | undefined>>>;

/** A phase that may carry a mix per step (a traced profile written with `--mix-per-step`). */
export interface SteppedMixPhase {
  readonly stepSeconds?: number | undefined;
  readonly mixes?: readonly (MixWeights | null)[] | undefined;
}

/**
 * The mix a request `secondsIntoPhase` into `phase` is drawn from: its step's own mix where the trace has one, else
 * the profile's. The load generator and the planner both draw through this one function.
 */
export function mixAt(phase: SteppedMixPhase | undefined, secondsIntoPhase: number, overall: MixWeights): MixWeights {
  if (!phase?.mixes || !phase.stepSeconds) return overall;
  return phase.mixes[Math.floor(secondsIntoPhase / phase.stepSeconds)] ?? overall;
}
