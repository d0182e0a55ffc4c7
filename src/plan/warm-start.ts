import { requestsBetween } from '../load/phase-segments.ts';
import { initialOnDemandPeak } from '../scaling/on-demand-capacity.ts';
import type { LocalTable, StackModel, WarmThroughput } from '../scaling/stack-model.ts';
import { type RequestDemand, steadyDemand } from './request-demand.ts';
import type { PlanTimings } from './sale-simulation.ts';
import { steadyCapacity, steadyProvisionedConcurrency } from './steady-capacity.ts';
import { mixShares, type TrafficProfile } from './traffic-profile.ts';

/**
 * `--warm-start`: the stack as it stands after the profile's first phase has been held for an hour, instead of as
 * deployed and idle (or, for a profile rebuilt from CloudWatch, as its `startCapacity` says the tables were). Provisioned tables and GSIs at the capacity target tracking settles at for that traffic; aliases
 * at the provisioned concurrency their target tracking settles at; an on-demand table with that traffic as a
 * previous peak (warm throughput twice it, where that is above the new table's default). The planner and the local
 * cloud (`--verify`) start from the same model, so they compare like with like. After an hour below capacity the
 * burst bucket is full; the plan still evaluates an empty one as the cautious case.
 */
export function warmStarted(
  model: StackModel,
  profile: TrafficProfile,
  demand: readonly RequestDemand[],
  timings: PlanTimings,
): StackModel {
  const first = profile.phases[0];
  const rate = first && first.durationSeconds > 0 ? requestsBetween(first, 0, first.durationSeconds) / first.durationSeconds : 0;
  const steady = steadyDemand(mixShares(profile), demand, rate);
  const units = (name: string) => steady.units.get(name) ?? { read: 0, write: 0 };
  const tables = model.tables.map((table): LocalTable => {
    if (table.billingMode === 'PAY_PER_REQUEST')
      return {
        ...table,
        warmThroughput: warmAfter(table.warmThroughput, units(table.tableName)),
        indexes: table.indexes.map((i) => ({
          ...i,
          warmThroughput: warmAfter(i.warmThroughput, units(`${table.tableName}/${i.indexName}`)),
        })),
      };
    // What the history's Provisioned*CapacityUnits showed wins over the computed settling; the table is named as
    // the template names it or as CloudFormation named it on AWS (which holds the logical id).
    const seen = (index: string | undefined) =>
      profile.startCapacity?.find(
        (c) => (c.table === table.tableName || c.table.includes(table.logicalId)) && (c.index ?? undefined) === index,
      );
    const settled = (name: string, index?: string) => ({
      read: seen(index)?.read ?? steadyCapacity(model, name, 'Read', units(name).read),
      write: seen(index)?.write ?? steadyCapacity(model, name, 'Write', units(name).write),
    });
    const own = settled(table.tableName);
    return {
      ...table,
      readUnits: own.read,
      writeUnits: own.write,
      indexes: table.indexes.map((i) => {
        const index = settled(`${table.tableName}/${i.indexName}`, i.indexName);
        return { ...i, readUnits: index.read, writeUnits: index.write };
      }),
    };
  });
  const invocations = new Map<string, number>();
  for (const { demand: what, perSecond } of steady.kinds) {
    const route = model.api?.routes.find((r) => r.method === what.method && r.resourcePath === what.resourcePath);
    if (route) invocations.set(route.functionName, (invocations.get(route.functionName) ?? 0) + perSecond);
  }
  const functions = model.functions.map((fn) => {
    const busy = ((invocations.get(fn.name) ?? 0) * timings.invocationMs) / 1000;
    const provisioned = Object.fromEntries(
      Object.keys(fn.provisioned).map((alias) => [alias, steadyProvisionedConcurrency(model, fn.name, alias, busy)]),
    );
    return { ...fn, provisioned };
  });
  return { ...model, tables, functions };
}

/** Warm throughput after a steady `units` per second became the previous peak: twice it, where above the default. */
function warmAfter(warm: WarmThroughput | undefined, units: { read: number; write: number }): WarmThroughput | undefined {
  const read = Math.max(warm?.readUnitsPerSecond ?? 0, 2 * units.read);
  const write = Math.max(warm?.writeUnitsPerSecond ?? 0, 2 * units.write);
  const above = read > 2 * initialOnDemandPeak.read || write > 2 * initialOnDemandPeak.write;
  return above ? { readUnitsPerSecond: Math.ceil(read), writeUnitsPerSecond: Math.ceil(write) } : warm;
}
