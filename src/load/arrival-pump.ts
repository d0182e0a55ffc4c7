import type { Arrival } from './arrival-schedule.ts';

/**
 * How early a request may leave. libuv's timers count whole milliseconds from the loop's clock, which is truncated
 * and read at the start of an iteration, so a timer fires anywhere from about a millisecond before to a millisecond
 * after the time it was aimed at. The pump aims its wake `timerAimMs` before the next due time and sends everything
 * due within `earlySendMs`: a wake that comes early still sends (one sleep per wake, never a second short timer),
 * and one that comes late is late by little more than the process's wake-up time. Latency counts from the intended
 * time, or from the send when it was early.
 */
export const earlySendMs = 2;
const timerAimMs = 1;

/**
 * Where a request's latency counts from: its intended time when it left late (the generator's delay stays visible,
 * no coordinated omission), its send when it left early, so the whole wait for the answer is always counted.
 */
export function latencyOriginMs(intendedMs: number, sentMs: number): number {
  return Math.min(intendedMs, sentMs);
}

/**
 * Calls `send` for each arrival once it is due (up to `earlySendMs` before), waking on a timer for the next one and
 * sending every request due by then in one batch. No polling: on an idle run the process sleeps between requests,
 * and at thousands per second one wake serves several (bench/load-generator.ts measures lag and CPU).
 */
export function pumpArrivals(schedule: Iterator<Arrival>, nowMs: () => number, send: (arrival: Arrival) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    let next = schedule.next();
    const pump = () => {
      while (!next.done && next.value.atMs <= nowMs() + earlySendMs) {
        send(next.value);
        next = schedule.next();
      }
      if (next.done) resolve();
      else setTimeout(pump, Math.max(1, Math.ceil(next.value.atMs - timerAimMs - nowMs())));
    };
    pump();
  });
}
