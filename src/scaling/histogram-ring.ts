import { type LogBuckets, OpenHistogram } from './log-histogram.ts';

/**
 * Histograms of consecutive time units (seconds, or minutes) in a ring of `slots`: unit u lives in slot u mod slots,
 * so the ring holds the latest `slots` units and its size is fixed whatever the traffic. The unit being filled is
 * open (a map); when another unit is written it is packed into its slot ([bucket, count] pairs).
 */
export class HistogramRing {
  /** Unit + 1 held by each slot (0: never written), so a stale slot is told from a current one. */
  private readonly unitOf: Float64Array;
  private readonly packed: (Float64Array | undefined)[];
  private open: { unit: number; histogram: OpenHistogram } | undefined;
  private latestUnit = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly buckets: LogBuckets,
    readonly slots: number,
  ) {
    this.unitOf = new Float64Array(slots);
    this.packed = new Array(slots);
  }

  /** Adds `value` (`weight` times) to the histogram of `unit`. */
  add(unit: number, value: number, weight: number): void {
    this.openUnit(unit).add(value, weight);
  }

  /** Whether `unit` is recent enough for the ring to hold it (it may still have no values). */
  holds(unit: number): boolean {
    return unit > this.latestUnit - this.slots;
  }

  /** The histogram of `unit`, or undefined when it had no values or has been overwritten. */
  get(unit: number): Float64Array | undefined {
    if (this.open?.unit === unit) return this.open.histogram.freeze();
    if (!this.holds(unit)) return undefined;
    const slot = this.slotOf(unit);
    return this.unitOf[slot] === unit + 1 ? this.packed[slot] : undefined;
  }

  /** The open histogram of `unit`; the previously open one is packed into its slot first. */
  private openUnit(unit: number): OpenHistogram {
    if (this.open?.unit === unit) return this.open.histogram;
    if (this.open) this.pack(this.open.unit, this.open.histogram);
    this.latestUnit = Math.max(this.latestUnit, unit);
    // A late value for a unit already packed reopens its histogram instead of starting afresh.
    const histogram = new OpenHistogram(this.buckets, this.get(unit));
    this.open = { unit, histogram };
    return histogram;
  }

  private pack(unit: number, histogram: OpenHistogram): void {
    // A unit older than the ring's reach (a very late value) would overwrite a newer one: it is dropped.
    if (!this.holds(unit)) return;
    const slot = this.slotOf(unit);
    this.unitOf[slot] = unit + 1;
    this.packed[slot] = histogram.freeze();
  }

  private slotOf(unit: number): number {
    return ((unit % this.slots) + this.slots) % this.slots;
  }
}
