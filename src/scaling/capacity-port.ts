import type { CapacityPort, CurrentCapacity, ScalableTargetSpec } from './scalable-target.ts';
import type { TableCapacity } from './table-capacity.ts';

/** Provisioned concurrency of a function's aliases, as auto scaling reads and changes it (times on the models' clock). */
export interface ProvisionedConcurrencyPort {
  current(functionName: string, qualifier: string): CurrentCapacity;
  set(functionName: string, qualifier: string, count: number): void;
}

/** Options of {@link capacityPort}. */
export interface CapacityPortOptions {
  readonly table: (tableName: string) => TableCapacity | undefined;
  readonly provisionedConcurrency: ProvisionedConcurrencyPort;
  /** The time the tables' and functions' models run on. */
  readonly nowMs: () => number;
  /**
   * A time of the models' clock on auto scaling's, when the two differ (the local cloud's models run on real time,
   * its auto scaling on the sped-up virtual clock). @default the same clock
   */
  readonly toCallerMs?: (modelMs: number) => number;
}

/**
 * What Application Auto Scaling changes: a table's or GSI's read or write capacity through UpdateTable (refusals
 * come back as their messages), and an alias's provisioned concurrency. Targets are named as AWS names them:
 * "table/T", "table/T/index/I", "function:F:alias".
 */
export function capacityPort(options: CapacityPortOptions): CapacityPort {
  const onCallerClock = (modelMs: number | undefined) =>
    modelMs === undefined || !options.toCallerMs ? modelMs : options.toCallerMs(modelMs);
  const tableOf = (target: ScalableTargetSpec) => {
    const [, tableName, , indexName] = target.resourceId.split('/');
    const capacity = options.table(tableName as string);
    if (!capacity) throw new RangeError(`scalable target ${target.resourceId}: no such table`);
    return { capacity, indexName, read: target.scalableDimension.endsWith('ReadCapacityUnits') };
  };
  const aliasOf = (target: ScalableTargetSpec) => {
    const [, functionName, qualifier] = target.resourceId.split(':');
    return { functionName: functionName as string, qualifier: qualifier as string };
  };
  return {
    current(target) {
      if (target.serviceNamespace === 'lambda') {
        const { functionName, qualifier } = aliasOf(target);
        const { capacity, updatingUntilMs } = options.provisionedConcurrency.current(functionName, qualifier);
        return { capacity, updatingUntilMs: onCallerClock(updatingUntilMs) };
      }
      const { capacity, indexName, read } = tableOf(target);
      const described = capacity.describe(indexName, options.nowMs());
      return {
        capacity: read ? described.readUnitsPerSecond : described.writeUnitsPerSecond,
        updatingUntilMs: onCallerClock(capacity.updateAppliesAtMs(options.nowMs())),
      };
    },
    set(target, value) {
      try {
        if (target.serviceNamespace === 'lambda') {
          const { functionName, qualifier } = aliasOf(target);
          options.provisionedConcurrency.set(functionName, qualifier, value);
          return { ok: true };
        }
        const { capacity, indexName, read } = tableOf(target);
        const current = capacity.describe(indexName, options.nowMs());
        const throughput = {
          readUnitsPerSecond: read ? value : current.readUnitsPerSecond,
          writeUnitsPerSecond: read ? current.writeUnitsPerSecond : value,
        };
        capacity.requestUpdate(indexName ? { indexes: { [indexName]: throughput } } : { table: throughput }, options.nowMs());
        return { ok: true };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    },
  };
}
