import type { Arrival } from './arrival-schedule.ts';

/**
 * How early a request may leave. libuv's timers count whole milliseconds and fire up to about a millisecond after
 * their time, so a wake aimed at the due time lands 0-2 ms late; aimed `earlyMs` before it and sending what is due
 * within `earlyMs`, requests leave within about a millisecond either side of their time, for the same number of
 * wakes (no polling). Latency counts from the intended time, or from the send when it was early.
 */
export const earlySendMs = 1;

/**
 * Where a request's latency counts from: its intended time when it left late (the generator's delay stays visible,
 * no coordinated omission), its send when it left early, so the whole wait for the answer is always counted.
 */
export function latencyOriginMs(intendedMs: number, sentMs: number): number {
  return Math.min(intendedMs, sentMs);
}

/**
 * Calls `send` for each arrival once it is due (up to `earlyMs` before), waking on a timer for the next one and
 * sending every request due by then in one batch. No polling: on an idle run the process sleeps between requests,
 * and at thousands per second one wake serves several (bench/load-generator.ts measures lag and CPU).
 */
export function pumpArrivals(
  schedule: Iterator<Arrival>,
  nowMs: () => number,
  send: (arrival: Arrival) => void,
  earlyMs = earlySendMs,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let next = schedule.next();
    const pump = () => {
      while (!next.done && next.value.atMs <= nowMs() + earlyMs) {
        send(next.value);
        next = schedule.next();
      }
      if (next.done) resolve();
      else setTimeout(pump, Math.max(1, Math.ceil(next.value.atMs - earlyMs - nowMs())));
    };
    pump();
  });
}
