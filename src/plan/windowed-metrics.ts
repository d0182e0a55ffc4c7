import { keyOf, type MetricId, type MetricStore } from '../scaling/metric-store.ts';

/** One metric's figures in the open window: a statistic set, and for latencies each value's weight. */
export interface MetricSlot {
  readonly id: MetricId;
  sum: number;
  count: number;
  min: number;
  max: number;
  readonly latencies: Map<number, number> | undefined;
  /** Whether the open window has figures for it. */
  open: boolean;
}

/**
 * The metrics a simulation writes, gathered per window and written when it closes: alarms read whole periods (a
 * minute, or the template's shortest), so statistic sets per window aligned to them read the same as values written
 * second by second, for a fraction of the writes. Only metrics an alarm or scaling policy reads get a slot; callers
 * resolve a slot once and keep it (a day has 86,400 seconds).
 */
export class WindowedMetrics {
  private readonly slots = new Map<string, MetricSlot | undefined>();
  private readonly open: MetricSlot[] = [];

  constructor(
    private readonly store: MetricStore,
    private readonly watches: (id: MetricId) => boolean,
    private readonly windowMs: number,
  ) {}

  /** The slot of a metric, or undefined when nothing reads it. */
  slot(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>): MetricSlot | undefined {
    const id: MetricId = { namespace, metricName, dimensions };
    const key = keyOf(id);
    if (this.slots.has(key)) return this.slots.get(key);
    const slot = this.watches(id)
      ? {
          id,
          sum: 0,
          count: 0,
          min: Number.POSITIVE_INFINITY,
          max: Number.NEGATIVE_INFINITY,
          latencies: metricName === 'Latency' ? new Map<number, number>() : undefined,
          open: false,
        }
      : undefined;
    this.slots.set(key, slot);
    return slot;
  }

  /** Adds `weight` values of `value` (a count of 5 is value 1, weight 5; a gauge is weight 1). */
  add(slot: MetricSlot | undefined, value: number, weight: number): void {
    if (!slot || weight <= 0) return;
    if (!slot.open) {
      slot.open = true;
      this.open.push(slot);
    }
    if (slot.latencies) {
      slot.latencies.set(value, (slot.latencies.get(value) ?? 0) + weight);
      return;
    }
    slot.sum += value * weight;
    slot.count += weight;
    if (value < slot.min) slot.min = value;
    if (value > slot.max) slot.max = value;
  }

  /** Writes the window's figures if the second that starts at `nowMs` is its last. */
  endSecond(nowMs: number): void {
    if (Math.floor((nowMs + 1000) / this.windowMs) === Math.floor(nowMs / this.windowMs)) return;
    for (const slot of this.open) {
      slot.open = false;
      if (slot.latencies) {
        for (const [value, weight] of slot.latencies) this.store.record(slot.id, value, nowMs, weight);
        slot.latencies.clear();
      } else {
        this.store.recordStatistics(slot.id, slot, nowMs);
        slot.sum = 0;
        slot.count = 0;
        slot.min = Number.POSITIVE_INFINITY;
        slot.max = Number.NEGATIVE_INFINITY;
      }
    }
    this.open.length = 0;
  }
}
