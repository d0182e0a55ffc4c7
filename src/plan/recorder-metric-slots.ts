import type { TableResource } from './table-resource.ts';
import type { MetricSlot, WindowedMetrics } from './windowed-metrics.ts';

/**
 * The AWS metrics the prediction recorder writes for functions, aliases and table parts, each slot looked up once
 * (by name or by the resource's index) instead of every second.
 */
export class RecorderMetricSlots {
  constructor(private readonly metrics: WindowedMetrics) {}

  private readonly functionSlotsByName = new Map<string, ReturnType<RecorderMetricSlots['makeFunctionSlots']>>();
  private readonly resourceSlotsByIndex: ReturnType<RecorderMetricSlots['makeResourceSlots']>[] = [];
  private readonly aliasSlots = new Map<string, Map<string, MetricSlot | undefined>>();
  private readonly throttledRequestSlots: Map<string, MetricSlot | undefined>[] = [];

  /** Throttles, Invocations, Errors and ConcurrentExecutions of a function. */
  function(functionName: string) {
    let slots = this.functionSlotsByName.get(functionName);
    if (!slots) {
      slots = this.makeFunctionSlots(functionName);
      this.functionSlotsByName.set(functionName, slots);
    }
    return slots;
  }

  private makeFunctionSlots(functionName: string) {
    const dimensions = { FunctionName: functionName };
    const slot = (name: string) => this.metrics.slot('AWS/Lambda', name, dimensions);
    return {
      throttles: slot('Throttles'),
      invocations: slot('Invocations'),
      errors: slot('Errors'),
      concurrency: slot('ConcurrentExecutions'),
    };
  }

  /** Consumed units and throttle events of a table's or GSI's reads or writes. */
  resource(resource: TableResource) {
    let slots = this.resourceSlotsByIndex[resource.index];
    if (!slots) {
      slots = this.makeResourceSlots(resource);
      this.resourceSlotsByIndex[resource.index] = slots;
    }
    return slots;
  }

  private makeResourceSlots(resource: TableResource) {
    const read = resource.kind === 'read';
    return {
      consumed: this.metrics.slot('AWS/DynamoDB', read ? 'ConsumedReadCapacityUnits' : 'ConsumedWriteCapacityUnits', resource.dimensions),
      throttleEvents: this.metrics.slot('AWS/DynamoDB', read ? 'ReadThrottleEvents' : 'WriteThrottleEvents', resource.dimensions),
    };
  }

  /** ThrottledRequests of a table part and an operation (a throttled day asks this most seconds). */
  throttledRequests(resource: TableResource, operation: string): MetricSlot | undefined {
    const byOperation = this.throttledRequestSlots[resource.index] ?? new Map<string, MetricSlot | undefined>();
    this.throttledRequestSlots[resource.index] = byOperation;
    if (!byOperation.has(operation))
      byOperation.set(operation, this.metrics.slot('AWS/DynamoDB', 'ThrottledRequests', resource.operationDimensions(operation)));
    return byOperation.get(operation);
  }

  /** ProvisionedConcurrencyUtilization of an alias. */
  alias(functionName: string, qualifier: string): MetricSlot | undefined {
    const byQualifier = this.aliasSlots.get(functionName) ?? new Map<string, MetricSlot | undefined>();
    this.aliasSlots.set(functionName, byQualifier);
    if (!byQualifier.has(qualifier)) {
      const resource = `${functionName}:${qualifier}`;
      byQualifier.set(
        qualifier,
        this.metrics.slot('AWS/Lambda', 'ProvisionedConcurrencyUtilization', { FunctionName: functionName, Resource: resource }),
      );
    }
    return byQualifier.get(qualifier);
  }
}
