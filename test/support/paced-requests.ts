/**
 * Sends `call` at about `ratePerSecond` (open loop, one timer tick per request batch) until stopped. Load shaping
 * for tests that wait on what the system reports, not on elapsed time.
 */
export function pacedRequests(
  ratePerSecond: number,
  call: () => Promise<unknown>,
): { stop: () => Promise<void>; setRate: (rate: number) => void } {
  let rate = ratePerSecond;
  let due = 0;
  let last = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    const now = performance.now();
    due += ((now - last) / 1000) * rate;
    last = now;
    for (; due >= 1; due--) {
      const request = call().catch(() => undefined);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request)); // request has caught its own errors
    }
  }, 10);
  return {
    setRate: (next) => {
      rate = next;
    },
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
