import { build } from 'hdr-histogram-js';

/** Figures of one closed-loop run. */
export interface ClosedLoopResult {
  readonly requests: number;
  readonly errors: number;
  readonly ratePerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Runs `call` from `concurrency` loops for `durationMs` (each loop waits for its answer: a throughput measurement,
 * not a latency one) and reports rate and latency percentiles.
 */
export async function closedLoop(concurrency: number, durationMs: number, call: () => Promise<boolean>): Promise<ClosedLoopResult> {
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const ok = await call().catch(() => false);
        histogram.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        requests++;
        if (!ok) errors++;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  return {
    requests,
    errors,
    ratePerSecond: requests / elapsedS,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  };
}

/** One line of figures. */
export function describeRun(label: string, r: ClosedLoopResult): string {
  return `${label.padEnd(44)} ${r.ratePerSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms.toFixed(2).padStart(6)} ms  errors ${r.errors}/${r.requests}`;
}
