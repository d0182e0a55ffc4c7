/**
 * What an SDK retry wait holds of the second its call was refused in, on average: a call made at a uniform moment u
 * of the second waits w, uniform on [0, W) (B 8.3, 8.7), and holds min(w, 1 - u) of that second. For W >= 1 second,
 * E[min(w, 1 - u)] = 1/2 - 1/(6W): a third of a second for the first throttling retry (W = 1 s), nearly half for
 * longer windows. The rest of the wait falls in the seconds after.
 */
export function firstSecondHold(windowSeconds: number): number {
  return 0.5 - 1 / (6 * Math.max(1, windowSeconds));
}
