import { describe, expect, it } from 'vitest';
import { earlySendMs, latencyOriginMs, pumpArrivals } from './arrival-pump.ts';
import { arrivals } from './arrival-schedule.ts';

describe('arrival pump', () => {
  it('sends every arrival once, in order, and none more than earlySendMs before its time', async () => {
    const schedule = [...arrivals([{ name: 'steady', durationSeconds: 0.3, ratePerSecond: 400 }])];
    const start = performance.now();
    const now = () => performance.now() - start;
    const sent: { atMs: number; sentMs: number }[] = [];
    await pumpArrivals(schedule.values(), now, (arrival) => sent.push({ atMs: arrival.atMs, sentMs: now() }));
    expect(sent.map((s) => s.atMs)).toEqual(schedule.map((a) => a.atMs));
    // How late a send is depends on the machine; how early it may be is the pump's own rule.
    for (const { atMs, sentMs } of sent) expect(sentMs - atMs).toBeGreaterThanOrEqual(-earlySendMs);
  });

  it('counts latency from the intended time when a request left late, and from its send when it left early', () => {
    expect(latencyOriginMs(100, 103)).toBe(100); // late: the 3 ms the generator lost count against it
    expect(latencyOriginMs(100, 99.4)).toBe(99.4); // early: the answer's whole wait counts
  });
});
