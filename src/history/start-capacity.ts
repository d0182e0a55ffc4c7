import type { MetricSeries } from './cloudwatch-export.ts';
import type { StartCapacity } from './traced-profile.ts';

/**
 * What each table and GSI was provisioned with at the profile's start, from `Provisioned*CapacityUnits` series labelled
 * `ProvisionedReadCapacityUnits <table>` or `... <table> <index>`: the last datapoint at or before the start, else the first.
 */
export function capacityAt(series: readonly MetricSeries[], startMs: number): StartCapacity[] {
  const byResource = new Map<string, StartCapacity>();
  for (const s of series) {
    const [table = '', index] = s.subject.split(' ');
    const sorted = [...s.points].sort((a, b) => a.timeMs - b.timeMs);
    const at = sorted.filter((p) => p.timeMs <= startMs).pop() ?? sorted[0];
    if (!at || !table) continue;
    const key = `${table}/${index ?? ''}`;
    const entry: StartCapacity = byResource.get(key) ?? { table, ...(index ? { index } : {}) };
    if (s.metricName === 'ProvisionedReadCapacityUnits') entry.read = Math.round(at.value);
    else entry.write = Math.round(at.value);
    byResource.set(key, entry);
  }
  return [...byResource.values()];
}
