import type { StackModel } from '../scaling/stack-model.ts';
import { trackingCapacity } from '../scaling/target-tracking.ts';

/**
 * Where capacity target tracking settles for a steady consumption of a table or GSI (`name`: "T" or "T/I"), within
 * the target's normal bounds (scheduled raises are the event's); the template's own capacity where nothing scales.
 */
export function steadyCapacity(model: StackModel, name: string, kind: 'Read' | 'Write', unitsPerSecond: number): number {
  const resourceId = `table/${name.replace('/', '/index/')}`;
  const target = model.scalableTargets.find((t) => t.resourceId === resourceId && t.scalableDimension.endsWith(`${kind}CapacityUnits`));
  const policy = model.scalingPolicies.find((p) => p.resourceId === resourceId && p.scalableDimension === target?.scalableDimension);
  if (!target || !policy) {
    const [tableName, indexName] = name.split('/');
    const table = model.tables.find((t) => t.tableName === tableName);
    const index = table?.indexes.find((i) => i.indexName === indexName);
    return (kind === 'Read' ? (index?.readUnits ?? table?.readUnits) : (index?.writeUnits ?? table?.writeUnits)) ?? 1;
  }
  return Math.min(target.maxCapacity, Math.max(target.minCapacity, trackingCapacity(unitsPerSecond, policy.targetValue)));
}

/**
 * Where provisioned-concurrency target tracking settles for an alias kept `busy` environments busy on average
 * (utilization is busy over allocated, its target a fraction), within the target's bounds; the template's own
 * allocation where nothing scales it.
 */
export function steadyProvisionedConcurrency(model: StackModel, functionName: string, alias: string, busy: number): number {
  const resourceId = `function:${functionName}:${alias}`;
  const target = model.scalableTargets.find((t) => t.resourceId === resourceId);
  const policy = model.scalingPolicies.find((p) => p.resourceId === resourceId);
  const own = model.functions.find((f) => f.name === functionName)?.provisioned[alias] ?? 0;
  if (!target || !policy) return own;
  return Math.min(target.maxCapacity, Math.max(target.minCapacity, Math.ceil(busy / policy.targetValue - 1e-9)));
}
