/** A named span of a trace's steps. */
export interface TraceSpan {
  readonly name: string;
  readonly steps: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

/**
 * Names the phases of a trace so reports stay readable: `peak` from the first to the last step at 80% or more of the
 * highest rate; `ramp` the rise before it, back to where the rate was within 20% of the baseline; `baseline` before
 * that and `after` the rest. A flat trace (no step above 1.5 times the median) is one phase, `steady`.
 */
export function findPhases(rates: readonly number[]): TraceSpan[] {
  const highest = Math.max(0, ...rates);
  const level = median(rates);
  if (rates.length === 0 || highest === 0 || highest <= 1.5 * level) return [{ name: 'steady', steps: rates.length }];
  const peakStart = rates.findIndex((r) => r >= 0.8 * highest);
  const peakEnd = rates.length - 1 - [...rates].reverse().findIndex((r) => r >= 0.8 * highest);
  const baseline = median(rates.slice(0, peakStart));
  let rampStart = peakStart;
  while (
    rampStart > 0 &&
    (rates[rampStart - 1] as number) > baseline * 1.2 &&
    (rates[rampStart - 1] as number) <= (rates[rampStart] as number)
  )
    rampStart--;
  const spans: TraceSpan[] = [
    { name: 'baseline', steps: rampStart },
    { name: 'ramp', steps: peakStart - rampStart },
    { name: 'peak', steps: peakEnd - peakStart + 1 },
    { name: 'after', steps: rates.length - peakEnd - 1 },
  ];
  return spans.filter((s) => s.steps > 0);
}
