/**
 * Polls `check` every 200 ms until it returns a value, for at most `seconds` of real time. For outcomes of the
 * control plane at a time scale (virtual minutes pass in real seconds); the limit is a liveness bound, not a speed
 * assertion.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, seconds = 90): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
