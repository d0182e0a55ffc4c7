import type { PackedSeconds } from './packed-seconds.ts';
import type { Prediction } from './prediction.ts';
import type { SimulationOptions } from './sale-simulation.ts';

/**
 * A simulation sent to the worker, with its state in shared memory: cell 0 says who runs it (the first to swap it
 * out of `queued`), cell 1 turns 1 once the worker has posted its reply.
 */
export interface SimulationJob {
  readonly id: number;
  readonly options: SimulationOptions;
  readonly state: SharedArrayBuffer;
  /** The profile's seconds as the main thread expanded them, when they pack (no per-second mixes). */
  readonly seconds?: PackedSeconds | undefined;
}

export const jobState = { queued: 0, takenByWorker: 1, takenByMain: 2 } as const;

/** What the worker posts back for a job it ran. */
export type SimulationReply =
  | { readonly id: number; readonly prediction: Prediction; readonly error?: undefined }
  | { readonly id: number; readonly error: string };
