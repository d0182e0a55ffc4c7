import { describe, expect, it } from 'vitest';
import { firstSecondHold } from './retry-hold.ts';

/** E[min(w, 1 - u)] for u uniform on [0, 1) and w uniform on [0, W), on a midpoint grid. */
function gridMean(windowSeconds: number, cells = 400): number {
  let sum = 0;
  for (let i = 0; i < cells; i++)
    for (let j = 0; j < cells; j++) sum += Math.min(((j + 0.5) / cells) * windowSeconds, 1 - (i + 0.5) / cells);
  return sum / (cells * cells);
}

describe('what a retry wait holds of the second its call was refused in', () => {
  it.each([1, 2, 4, 8])('matches the mean over call moments and waits for a %i-second window', (windowSeconds) => {
    expect(firstSecondHold(windowSeconds)).toBeCloseTo(gridMean(windowSeconds), 3);
  });

  it('is a third of a second for the first throttling retry and approaches half for long windows', () => {
    expect(firstSecondHold(1)).toBeCloseTo(1 / 3, 10);
    expect(firstSecondHold(20)).toBeGreaterThan(0.49);
  });
});
