/**
 * Deadlines counted from each request's intended send time, settled by one sweep every 10 ms: a request still
 * unanswered at its deadline settles as `onTimeout()`, and a late answer is then ignored. An AbortSignal or a timer
 * per request cost milliseconds of schedule lag at 5,000 requests per second.
 */
export class RequestDeadlines<T> {
  private readonly pending = new Map<number, { deadline: number; settle: (result: T) => void }>();
  private nextId = 0;
  private readonly sweeper: NodeJS.Timeout;

  /** @param nowMs the run's clock (ms since its start); @param onTimeout what an overdue request settles as */
  constructor(
    private readonly nowMs: () => number,
    private readonly onTimeout: () => T,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 10);
  }

  /** `attempt`'s result, or the timeout result once `deadline` (on the run's clock) has passed. */
  race(attempt: Promise<T>, deadline: number): Promise<T> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      let settled = false;
      const settle = (result: T) => {
        if (settled) return;
        settled = true;
        this.pending.delete(id);
        resolve(result);
      };
      this.pending.set(id, { deadline, settle });
      void attempt.then(settle); // attempts never reject: failures are results
    });
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.nowMs();
    for (const entry of this.pending.values()) if (entry.deadline <= now) entry.settle(this.onTimeout());
  }
}
