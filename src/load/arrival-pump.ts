import type { Arrival } from './arrival-schedule.ts';

/**
 * Calls `send` for each arrival once it is due, waking on a timer for the next one and sending every request that
 * is due by then in one batch. No polling: on an idle run the process sleeps between requests, and at thousands per
 * second one wake serves several. libuv's timers have 1 ms resolution, which bounds the schedule lag at about 1-2 ms
 * (bench/load-generator.ts measures it); latency still counts from the intended time, so lag never hides in it.
 */
export function pumpArrivals(schedule: Iterator<Arrival>, nowMs: () => number, send: (arrival: Arrival) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    let next = schedule.next();
    const pump = () => {
      while (!next.done && next.value.atMs <= nowMs()) {
        send(next.value);
        next = schedule.next();
      }
      if (next.done) resolve();
      else setTimeout(pump, Math.max(1, Math.ceil(next.value.atMs - nowMs())));
    };
    pump();
  });
}
