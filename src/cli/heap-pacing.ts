import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past its live data before a full collection, in percent. By default V8 picks a factor
 * between 1.1x and 4x from how fast the program allocates, so a local cloud under a sale (its own thread and every
 * function's worker allocating fast) let garbage pile up to several times its live data, and its RSS rose and fell
 * by up to a hundred MB from one sale to the next with the same data: bench/soak.ts missed its 15% by V8's pacing,
 * not by a leak. At 1.5x the garbage stays under half the live data, for a few more full collections, which V8 runs
 * mostly concurrently (bench/local-throughput.ts measures the cost).
 */
export const heapGrowingPercent = 50;

/**
 * Paces the heap of a process that hosts the local cloud. V8 reads the flag each time it sets the next limit, so
 * setting it at run time takes effect (`local` calls this once the cloud is up, `lab` and `plan --verify` before
 * their run); it applies to every isolate of the process, the function workers' included.
 */
export function paceHeapForLocalCloud(): void {
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}
