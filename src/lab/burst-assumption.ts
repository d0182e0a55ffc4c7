import type { LoadReport } from '../load/load-report.ts';
import type { ControlPlane } from '../local/control-plane/control-plane.ts';
import { replayReadDemand } from '../scaling/read-demand-replay.ts';
import type { StackModel } from '../scaling/stack-model.ts';

/**
 * What the run assumed of the burst bucket, and what the same read demand would have done under the other
 * assumption: the run's requests per second times the read units one successful request consumed, replayed on the
 * table's starting read capacity with the bucket full and empty (the same model the cloud enforces, without retries
 * or scaling). Undefined for an on-demand table, which has no burst bucket.
 */
export function burstAssumptionLines(
  report: LoadReport,
  model: StackModel,
  controlPlane: ControlPlane,
  burstStartsFull: boolean,
): string[] | undefined {
  const table = model.tables.find((t) => t.billingMode === 'PROVISIONED');
  if (!table || report.total.outcomes['2xx'] === 0) return undefined;
  const consumedSum =
    controlPlane.metrics.aggregateWindow(
      { namespace: 'AWS/DynamoDB', metricName: 'ConsumedReadCapacityUnits', dimensions: { TableName: table.tableName } },
      'Sum',
      controlPlane.startedAtMs,
      controlPlane.virtualNow() + 1_000,
    ) ?? 0;
  // Counts are recorded with the time scale as weight, so rates stay per real second (see ControlPlane.count).
  const unitsPerRequest = consumedSum / controlPlane.timeScale / report.total.outcomes['2xx'];
  const unitsPerSecond = report.timeline.map((s) => s.sent * unitsPerRequest);
  const replay = (full: boolean) => replayReadDemand({ readUnitsPerSecond: table.readUnits ?? 1, burstStartsFull: full, unitsPerSecond });
  const describe = (full: boolean) => {
    const r = replay(full);
    const share = r.demandedUnits > 0 ? ((100 * r.refusedUnits) / r.demandedUnits).toFixed(1) : '0';
    return r.firstThrottleSecond === undefined
      ? `no read throttled (${r.demandedUnits.toFixed(0)} read units demanded)`
      : `first read throttled at ${r.firstThrottleSecond} s, ${share}% of read units refused before retries`;
  };
  const assumed = burstStartsFull ? 'full' : 'empty';
  const other = burstStartsFull ? 'empty' : 'full';
  return [
    `This run assumed the burst bucket of ${table.tableName} started ${assumed} (${(table.readUnits ?? 1) * 300} read units ${burstStartsFull ? 'saved' : 'not saved'}); AWS calls burst best effort and says not to count on it.`,
    `Replaying this run's read demand (${unitsPerRequest.toFixed(2)} read units per request) on ${table.readUnits} read units, without scaling:`,
    `  bucket ${assumed} (this run): ${describe(burstStartsFull)}`,
    `  bucket ${other}: ${describe(!burstStartsFull)}  (compare: --burst-start ${other})`,
  ];
}
