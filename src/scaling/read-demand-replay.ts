import { TableCapacity } from './table-capacity.ts';

/** Options of {@link replayReadDemand}. */
export interface ReadDemandReplayOptions {
  /** The table's provisioned read capacity, units per second (held constant: no scaling during the replay). */
  readonly readUnitsPerSecond: number;
  readonly burstStartsFull: boolean;
  /** Read units demanded in each second, from the first second of the run. */
  readonly unitsPerSecond: readonly number[];
}

/** What the replay found. */
export interface ReadDemandReplay {
  /** Seconds from the start when a read was first refused; undefined when none was. */
  readonly firstThrottleSecond: number | undefined;
  readonly demandedUnits: number;
  readonly refusedUnits: number;
}

/** Slices per second: demand arrives spread over the second, as open-loop traffic does. */
const slicesPerSecond = 20;

/**
 * Replays per-second read demand on a table's read capacity with the same model the local cloud enforces (per-second
 * bucket and burst bucket, B 2.1-2.5), without retries and without scaling. It answers "what would this demand do
 * under another assumption", for example a burst bucket that starts empty instead of full.
 */
export function replayReadDemand(options: ReadDemandReplayOptions): ReadDemandReplay {
  const table = new TableCapacity({
    spec: { billingMode: 'PROVISIONED', table: { readUnitsPerSecond: options.readUnitsPerSecond, writeUnitsPerSecond: 1 }, indexes: {} },
    startMs: 0,
    burstStartsFull: options.burstStartsFull,
  });
  let firstThrottleSecond: number | undefined;
  let demandedUnits = 0;
  let refusedUnits = 0;
  for (const [second, units] of options.unitsPerSecond.entries()) {
    const slice = units / slicesPerSecond;
    for (let i = 0; i < slicesPerSecond && slice > 0; i++) {
      const atMs = second * 1000 + (i * 1000) / slicesPerSecond;
      demandedUnits += slice;
      if (table.admitRead(undefined, slice, atMs)) {
        refusedUnits += slice;
        firstThrottleSecond ??= second;
      } else table.chargeRead(undefined, slice, atMs);
    }
  }
  return { firstThrottleSecond, demandedUnits, refusedUnits };
}
