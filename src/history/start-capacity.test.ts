import { describe, expect, it } from 'vitest';
import { parseProfile } from '../load/load-profile.ts';
import type { MetricSeries } from './cloudwatch-export.ts';
import { capacityAt } from './start-capacity.ts';

const series = (metricName: string, subject: string, points: [number, number][]): MetricSeries => ({
  label: `${metricName} ${subject}`,
  metricName,
  subject,
  points: points.map(([timeMs, value]) => ({ timeMs, value })),
  periodSeconds: 3_600,
  file: 'capacity.json',
});

describe('the capacity a rebuilt profile starts with', () => {
  it('is the last datapoint at or before the profile’s start, per table and GSI, reads and writes merged', () => {
    const start = Date.parse('2026-11-27T08:00:00Z');
    const hour = 3_600_000;
    const found = capacityAt(
      [
        series('ProvisionedReadCapacityUnits', 'Products', [
          [start - 2 * hour, 5],
          [start - hour, 40],
          [start + hour, 300],
        ]),
        series('ProvisionedWriteCapacityUnits', 'Products', [[start - hour, 12]]),
        // Only after the start: its first datapoint.
        series('ProvisionedReadCapacityUnits', 'Products byCategory', [[start + hour, 90]]),
      ],
      start,
    );
    expect(found).toEqual([
      { table: 'Products', read: 40, write: 12 },
      { table: 'Products', index: 'byCategory', read: 90 },
    ]);
    // And a traced profile carries it back to the planner.
    const profile = parseProfile(
      { trace: { stepSeconds: 60, rates: [1] }, phases: [{ name: 'baseline', steps: 1 }], mix: { get: 1 }, startCapacity: found },
      'p.yaml',
    );
    expect(profile.startCapacity).toEqual(found);
  });
});
