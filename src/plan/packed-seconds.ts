import type { SecondOfTraffic } from './traffic-profile.ts';

/**
 * A profile's seconds as two typed arrays, handed to the simulation worker with its job: a day's 86,400 seconds
 * move as two buffers instead of being expanded from the profile again on the worker (half a second of its
 * critical path under load here) or cloned as 86,400 objects.
 */
export interface PackedSeconds {
  readonly requests: Float64Array<ArrayBuffer>;
  readonly phaseIndex: Int32Array<ArrayBuffer>;
}

/** Packs `seconds`; undefined when a second has its own mix (a traced profile's steps), which the worker expands itself. */
export function packSeconds(seconds: readonly SecondOfTraffic[]): PackedSeconds | undefined {
  const requests = new Float64Array(seconds.length);
  const phaseIndex = new Int32Array(seconds.length);
  for (let i = 0; i < seconds.length; i++) {
    const second = seconds[i] as SecondOfTraffic;
    if (second.mix) return undefined;
    requests[i] = second.requests;
    phaseIndex[i] = second.phaseIndex;
  }
  return { requests, phaseIndex };
}

/** The seconds `packSeconds` packed, as `secondsOf` makes them. */
export function unpackSeconds(packed: PackedSeconds): readonly SecondOfTraffic[] {
  const seconds: SecondOfTraffic[] = new Array(packed.requests.length);
  for (let i = 0; i < seconds.length; i++)
    seconds[i] = { phaseIndex: packed.phaseIndex[i] as number, requests: packed.requests[i] as number };
  return Object.freeze(seconds);
}
