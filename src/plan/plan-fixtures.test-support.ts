import type { ScalableTargetSpec } from '../scaling/scalable-target.ts';
import type { LocalFunction, LocalTable, StackModel } from '../scaling/stack-model.ts';
import type { TargetTrackingSpec } from '../scaling/target-tracking.ts';
import type { RequestDemand } from './request-demand.ts';
import type { TrafficProfile } from './traffic-profile.ts';

/** A stack small enough to reason about by hand: one table, GetProducts behind GET /products, lab-like scaling. */
export function handStack(options: {
  billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  readUnits?: number;
  writeUnits?: number;
  reserved?: number;
  autoScaling?: boolean;
  provisionedFunction?: { provisioned: number; memoryMb: number; architecture: 'x86_64' | 'arm64' };
}): StackModel {
  const billingMode = options.billingMode ?? 'PROVISIONED';
  const table: LocalTable = {
    logicalId: 'Products',
    tableName: 'products',
    keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    indexes: [],
    billingMode,
    readUnits: billingMode === 'PROVISIONED' ? (options.readUnits ?? 5) : undefined,
    writeUnits: billingMode === 'PROVISIONED' ? (options.writeUnits ?? 5) : undefined,
    maxOnDemand: undefined,
  };
  const fn = (name: string, extra: Partial<LocalFunction>): LocalFunction => ({
    logicalId: name,
    name,
    codeDir: '.',
    handlerModule: 'index',
    handlerExport: 'handler',
    runtime: 'nodejs22.x',
    memoryMb: 512,
    architecture: 'arm64',
    timeoutMs: 10_000,
    environment: {},
    reservedConcurrency: undefined,
    provisioned: {},
    ...extra,
  });
  const functions = [fn('GetProducts', { reservedConcurrency: options.reserved ?? 100 })];
  if (options.provisionedFunction)
    functions.push(
      fn('CreateProduct', {
        memoryMb: options.provisionedFunction.memoryMb,
        architecture: options.provisionedFunction.architecture,
        provisioned: { live: options.provisionedFunction.provisioned },
      }),
    );
  const scalableTargets: ScalableTargetSpec[] = options.autoScaling
    ? [
        {
          serviceNamespace: 'dynamodb',
          resourceId: 'table/products',
          scalableDimension: 'dynamodb:table:ReadCapacityUnits',
          minCapacity: options.readUnits ?? 5,
          maxCapacity: 100,
          scheduledActions: [],
        },
      ]
    : [];
  const scalingPolicies: TargetTrackingSpec[] = options.autoScaling
    ? [
        {
          policyName: 'read-tracking',
          resourceId: 'table/products',
          scalableDimension: 'dynamodb:table:ReadCapacityUnits',
          predefinedMetricType: 'DynamoDBReadCapacityUtilization',
          targetValue: 70,
        },
      ]
    : [];
  return {
    stackName: 'hand',
    functions,
    api: {
      name: 'api',
      stageName: 'prod',
      defaultThrottle: { ratePerSecond: 1_000, burst: 2_000 },
      routes: [
        { resourcePath: '/products', method: 'GET', functionName: 'GetProducts', qualifier: undefined },
        { resourcePath: '/products/{id}', method: 'GET', functionName: 'GetProducts', qualifier: undefined },
      ],
    },
    tables: [table],
    alarms: [],
    scalableTargets,
    scalingPolicies,
    notEmulated: {},
  };
}

/** A listing that reads one unit (a page of small items, eventually consistent) and a get that reads one. */
export const handDemand: RequestDemand[] = [
  {
    kind: 'list',
    method: 'GET',
    resourcePath: '/products',
    operations: [{ operation: 'Scan', tableName: 'products', kind: 'read', units: 1 }],
  },
  {
    kind: 'get',
    method: 'GET',
    resourcePath: '/products/{id}',
    operations: [{ operation: 'GetItem', tableName: 'products', kind: 'read', units: 1 }],
  },
];

/** A constant rate of gets for an hour. */
export function steadyHour(ratePerSecond: number): TrafficProfile {
  return { name: 'hour', phases: [{ name: 'hour', durationSeconds: 3_600, ratePerSecond }], mix: { get: 1 } };
}
