import type { TableCapacity } from '../scaling/table-capacity.ts';
import type { MetricSlot } from './windowed-metrics.ts';

/** What the reads or the writes of a table or GSI did: over the run, this sample, and this second. */
export interface ResourceTally {
  total: number;
  sampleDemanded: number;
  sampleConsumed: number;
  traffic: boolean;
  throttled: boolean;
}

/** A table or one of its GSIs, as the recorder samples it every second. */
export interface TablePart {
  readonly capacity: TableCapacity;
  readonly indexName: string | undefined;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly provisioned: boolean;
  /** The reads and the writes of the part, as this second and this sample saw them. */
  readonly read: ResourceTally;
  readonly write: ResourceTally;
  /** Provisioned read and write units in the last second (0 on-demand), for the timeline. */
  readProvisioned: number;
  /** Units in the burst buckets at the last second (0 on-demand). */
  readBurst: number;
  writeBurst: number;
  writeProvisioned: number;
  readonly hourlyPeaks: { read: number; write: number }[];
  readonly slots: Record<'provisionedRead' | 'provisionedWrite' | 'readThrottleEvents' | 'writeThrottleEvents', MetricSlot | undefined>;
}
