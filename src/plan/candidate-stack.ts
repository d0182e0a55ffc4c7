import { saleActions } from '../../infra/sale-actions.ts';
import { type SaleEvent, type StackConfig, stackConfigFromContext } from '../../infra/stack-config.ts';
import type { ScalableTargetSpec, ScheduledActionSpec } from '../scaling/scalable-target.ts';
import { atExpression } from '../scaling/schedule-expression.ts';
import type { LocalFunction, LocalTable, StackModel } from '../scaling/stack-model.ts';
import { productTableSchema } from '../store/product-table.ts';

/** The stack models of both billing modes, synthesized once with the user's context. */
export interface StackBases {
  readonly provisioned: StackModel;
  readonly 'on-demand': StackModel;
}

/** A candidate's stack, or why the stack refuses its context (as `cdk synth` would). */
export type CandidateStack = { readonly model: StackModel; readonly config: StackConfig } | { readonly problem: string };

/**
 * The stack a context describes, without synthesizing it: the synthesized model of its billing mode with the values
 * the context sets put where the CDK app puts them (capacities and bounds of the table and GSI, target utilization,
 * scheduled sales, reserved and provisioned concurrency, stage throttling, the alarms' thresholds). The stack's
 * own validation judges the context. test/plan-stack.test.ts compares the result with real synthesis.
 */
export function candidateStack(bases: StackBases, context: Readonly<Record<string, unknown>>, nowMs: number): CandidateStack {
  let config: StackConfig;
  try {
    config = stackConfigFromContext((key) => context[key], nowMs);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const base = bases[config.billingMode];
  const isProducts = (t: LocalTable) => t.keySchema.some((k) => k.AttributeName === productTableSchema.partitionKey.name);
  const provisioned = config.billingMode === 'provisioned';
  const warm =
    config.warmReadUnitsPerSecond || config.warmWriteUnitsPerSecond
      ? { readUnitsPerSecond: config.warmReadUnitsPerSecond, writeUnitsPerSecond: config.warmWriteUnitsPerSecond }
      : undefined;
  const tables = base.tables.map((table) => {
    if (!isProducts(table)) return table;
    const warmed = { ...table, warmThroughput: warm, indexes: table.indexes.map((i) => ({ ...i, warmThroughput: warm })) };
    if (!provisioned)
      return {
        ...warmed,
        maxOnDemand: { readUnitsPerSecond: config.maxReadRequestUnits, writeUnitsPerSecond: config.maxWriteRequestUnits },
      };
    return {
      ...warmed,
      readUnits: config.minReadCapacity,
      writeUnits: config.minWriteCapacity,
      indexes: warmed.indexes.map((i) => ({ ...i, readUnits: config.minReadCapacity, writeUnits: config.minWriteCapacity })),
    };
  });
  const functions = base.functions.map((fn): LocalFunction => {
    if (fn.name === 'GetProducts') return { ...fn, reservedConcurrency: config.getProductsReservedConcurrency };
    if (fn.name === 'CreateProduct')
      return {
        ...fn,
        provisioned: Object.fromEntries(Object.keys(fn.provisioned).map((q) => [q, config.createProductProvisionedConcurrency])),
      };
    return fn;
  });
  const scalableTargets = base.scalableTargets.map((target) => retarget(target, config));
  const scalingPolicies = base.scalingPolicies.map((policy) =>
    policy.predefinedMetricType.startsWith('DynamoDB') ? { ...policy, targetValue: config.targetUtilizationPercent } : policy,
  );
  const alarms = base.alarms.map((alarm) => {
    if (alarm.alarmName.endsWith('GetProductsConcurrencyNearReserved'))
      return { ...alarm, threshold: Math.ceil(config.getProductsReservedConcurrency * 0.8) };
    if (alarm.alarmName.endsWith('ApiLatencyP99')) return { ...alarm, threshold: config.apiLatencyP99AlarmMs };
    return alarm;
  });
  const api = base.api && {
    ...base.api,
    defaultThrottle: { ratePerSecond: config.apiThrottleRatePerSecond, burst: config.apiThrottleBurst },
  };
  return { model: { ...base, tables, functions, scalableTargets, scalingPolicies, alarms, api }, config };
}

/** A scalable target with the context's bounds and the sales' scheduled actions, as the CDK app declares them. */
function retarget(target: ScalableTargetSpec, config: StackConfig): ScalableTargetSpec {
  if (target.serviceNamespace === 'lambda') {
    const bounds = { min: config.createProductProvisionedConcurrency, max: config.createProductMaxProvisionedConcurrency };
    return withBounds(
      target,
      bounds,
      saleScheduledActions(config.sales, bounds, (sale) => sale.minProvisionedConcurrency),
    );
  }
  const read = target.scalableDimension.endsWith('ReadCapacityUnits');
  const bounds = read
    ? { min: config.minReadCapacity, max: config.maxReadCapacity }
    : { min: config.minWriteCapacity, max: config.maxWriteCapacity };
  return withBounds(
    target,
    bounds,
    saleScheduledActions(config.sales, bounds, (sale) => (read ? sale.minReadCapacity : sale.minWriteCapacity)),
  );
}

function withBounds(
  target: ScalableTargetSpec,
  bounds: { min: number; max: number },
  scheduledActions: ScheduledActionSpec[],
): ScalableTargetSpec {
  return { ...target, minCapacity: bounds.min, maxCapacity: bounds.max, scheduledActions };
}

/** The scheduled actions the CDK app adds for the sales (infra/sale-actions.ts), as the synthesized template has them. */
function saleScheduledActions(
  sales: readonly SaleEvent[],
  bounds: { min: number; max: number },
  minimumOf: (sale: SaleEvent) => number,
): ScheduledActionSpec[] {
  return saleActions(sales, bounds, minimumOf).map((action) => ({
    name: action.id,
    schedule: atExpression(action.at),
    minCapacity: action.minCapacity,
    maxCapacity: action.maxCapacity,
  }));
}
