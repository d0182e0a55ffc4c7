/** Something that can run out of time. */
export interface Expirable {
  readonly isSettled: boolean;
  expire(): void;
}

/**
 * Deadlines counted from each request's intended send time. Every request of a run has the same timeout and
 * requests are added in intended-time order, so deadlines arrive in order too: a queue with one timer armed for its
 * head replaces a timer per request (milliseconds of schedule lag at 5,000 requests per second) and a periodic sweep
 * (a hundred wake-ups a second on an idle run).
 */
export class RequestDeadlines {
  private readonly queue: { deadline: number; item: Expirable }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  /** @param nowMs the run's clock (ms since its start) */
  constructor(private readonly nowMs: () => number) {}

  /** Expires `item` at `deadline` (on the run's clock) unless it has settled by then. */
  add(item: Expirable, deadline: number): void {
    // Answered requests leave from the head as new ones join, so the queue holds about what is in flight.
    while (this.head < this.queue.length && (this.queue[this.head] as { item: Expirable }).item.isSettled) this.head++;
    this.compact();
    this.queue.push({ deadline, item });
    if (!this.timer) this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = undefined;
    const now = this.nowMs();
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head] as { deadline: number; item: Expirable };
      if (entry.item.isSettled) this.head++;
      else if (entry.deadline <= now) {
        this.head++;
        entry.item.expire();
      } else {
        this.timer = setTimeout(() => this.arm(), Math.ceil(entry.deadline - now));
        break;
      }
    }
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
