import type { AlarmState } from '../../scaling/cloudwatch-alarm.ts';
import type { ScalingActivity } from '../../scaling/scalable-target.ts';

/** What the local cloud reports on its event log (GET /_local/events). */
export type LocalEventBody =
  | { readonly type: 'alarm'; readonly alarmName: string; readonly from: AlarmState; readonly to: AlarmState; readonly reason: string }
  | { readonly type: 'scaling'; readonly activity: ScalingActivity }
  | { readonly type: 'throttle'; readonly cause: 'gateway' | 'lambda' | 'dynamodb'; readonly resource: string; readonly count: number }
  | { readonly type: 'phase'; readonly name: string; readonly state: 'start' | 'end'; readonly targetRatePerSecond?: number | undefined }
  /** A change made through an emulated AWS API (aws lambda put-function-concurrency ...). */
  | { readonly type: 'api-change'; readonly operation: string; readonly resource: string; readonly detail: string };

/** One event, numbered. `atMs` is wall-clock time, `virtualAtMs` the control plane's (compressed) time. */
export type LocalEvent = LocalEventBody & { readonly seq: number; readonly atMs: number; readonly virtualAtMs: number };

/** The local cloud's event log: alarm transitions, scaling activities, throttle bursts, load phases, API changes; newest last. */
export class EventLog {
  private readonly events: LocalEvent[] = [];
  private seq = 0;
  private readonly listeners = new Set<(event: LocalEvent) => void>();

  constructor(private readonly capacity = 20_000) {}

  /** Appends an event and notifies listeners. */
  append(body: LocalEventBody, atMs: number, virtualAtMs: number): LocalEvent {
    this.seq += 1;
    const event = { ...body, seq: this.seq, atMs, virtualAtMs } as LocalEvent;
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events with a sequence number above `since` (0 for all kept), oldest first. */
  since(since: number): LocalEvent[] {
    return this.events.filter((event) => event.seq > since);
  }

  /** Sequence number of the newest event (0 when none). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Calls `listener` for every new event; returns the unsubscribe function. */
  subscribe(listener: (event: LocalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
