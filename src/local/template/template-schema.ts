import { z } from 'zod';

// The parts of a CloudFormation template the local cloud reads, as zod schemas: a template that does not fit is
// refused at load time with the resource and the property named, instead of misbehaving later. Values that may be
// intrinsic functions ({"Ref": ...}, {"Fn::Sub": ...}) are `unknown` here and resolved by intrinsics.ts; the
// resolved value is checked again where its type matters (alarms). Other properties pass through (loose objects).

const count = z.number().int().min(0);
const keySchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) }));
const throughput = z.looseObject({ ReadCapacityUnits: count, WriteCapacityUnits: count });

/** Any resource: a type, properties and metadata. */
export const cfnResource = z.looseObject({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
});
export type CfnResource = z.infer<typeof cfnResource>;

export const cfnTemplate = z.looseObject({ Resources: z.record(z.string(), cfnResource) });

export const functionProperties = z.looseObject({
  Handler: z.string().optional(),
  Runtime: z.string().optional(),
  MemorySize: z.number().int().min(128).max(10_240).optional(),
  Architectures: z.tuple([z.enum(['x86_64', 'arm64'])]).optional(),
  Timeout: z.number().int().min(1).max(900).optional(),
  Environment: z.looseObject({ Variables: z.record(z.string(), z.unknown()).optional() }).optional(),
  ReservedConcurrentExecutions: count.optional(),
});

export const aliasProperties = z.looseObject({
  Name: z.string(),
  FunctionName: z.unknown(),
  ProvisionedConcurrencyConfig: z.looseObject({ ProvisionedConcurrentExecutions: count }).optional(),
});
export type AliasProperties = z.infer<typeof aliasProperties>;

const warmThroughput = z.looseObject({
  ReadUnitsPerSecond: z.number().int().positive().optional(),
  WriteUnitsPerSecond: z.number().int().positive().optional(),
});

export const tableProperties = z.looseObject({
  TableName: z.unknown().optional(),
  BillingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']).optional(),
  KeySchema: keySchema,
  AttributeDefinitions: z.array(z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) })).default([]),
  ProvisionedThroughput: throughput.optional(),
  OnDemandThroughput: z.looseObject({ MaxReadRequestUnits: z.number().optional(), MaxWriteRequestUnits: z.number().optional() }).optional(),
  WarmThroughput: warmThroughput.optional(),
  GlobalSecondaryIndexes: z
    .array(
      z.looseObject({
        IndexName: z.string(),
        KeySchema: keySchema,
        Projection: z
          .looseObject({
            ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(),
            NonKeyAttributes: z.array(z.string()).optional(),
          })
          .optional(),
        ProvisionedThroughput: throughput.optional(),
        WarmThroughput: warmThroughput.optional(),
      }),
    )
    .default([]),
});

export const methodProperties = z.looseObject({
  HttpMethod: z.string(),
  ResourceId: z.unknown(),
  Integration: z.looseObject({ Type: z.string(), Uri: z.unknown() }),
  AuthorizationType: z.string().optional(),
  AuthorizerId: z.unknown().optional(),
  AuthorizationScopes: z.array(z.string()).optional(),
});

export const stageProperties = z.looseObject({
  StageName: z.string().optional(),
  MethodSettings: z
    .array(
      z.looseObject({
        HttpMethod: z.string().optional(),
        ResourcePath: z.string().optional(),
        ThrottlingRateLimit: z.number().min(0).optional(),
        ThrottlingBurstLimit: z.number().int().min(0).optional(),
        MetricsEnabled: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
      }),
    )
    .default([]),
  AccessLogSetting: z.looseObject({ Format: z.string().optional() }).optional(),
});

/** An alarm after its intrinsics are resolved: every field the evaluation reads, with CloudWatch's own vocabularies. */
export const alarmProperties = z.looseObject({
  AlarmName: z.string().optional(),
  AlarmDescription: z.string().optional(),
  Namespace: z.string().optional(),
  MetricName: z.string().optional(),
  Metrics: z.array(z.unknown()).optional(),
  Dimensions: z.array(z.object({ Name: z.string(), Value: z.union([z.string(), z.number()]) })).default([]),
  Statistic: z.enum(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']).optional(),
  ExtendedStatistic: z.string().optional(),
  Period: z.number().int().min(1).default(60),
  EvaluationPeriods: z.number().int().min(1),
  DatapointsToAlarm: z.number().int().min(1).optional(),
  Threshold: z.number().optional(),
  ComparisonOperator: z.enum(['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']),
  TreatMissingData: z.enum(['missing', 'notBreaching', 'breaching', 'ignore']).optional(),
});

export const scalableTargetProperties = z.looseObject({
  ServiceNamespace: z.string(),
  ResourceId: z.unknown(),
  ScalableDimension: z.string(),
  MinCapacity: count,
  MaxCapacity: count,
  ScheduledActions: z
    .array(
      z.looseObject({
        ScheduledActionName: z.string(),
        Schedule: z.string(),
        Timezone: z.string().optional(),
        ScalableTargetAction: z.looseObject({ MinCapacity: count.optional(), MaxCapacity: count.optional() }).optional(),
      }),
    )
    .default([]),
});

export const scalingPolicyProperties = z.looseObject({
  PolicyName: z.string().optional(),
  PolicyType: z.string(),
  ScalingTargetId: z.unknown(),
  TargetTrackingScalingPolicyConfiguration: z
    .looseObject({
      TargetValue: z.number(),
      PredefinedMetricSpecification: z.looseObject({ PredefinedMetricType: z.string() }).optional(),
      ScaleInCooldown: count.optional(),
      ScaleOutCooldown: count.optional(),
      DisableScaleIn: z.boolean().optional(),
    })
    .optional(),
});

/** Parses `properties` of resource `logicalId` with `schema`, or throws with the resource and property named. */
export function parseProperties<T>(schema: z.ZodType<T>, properties: unknown, logicalId: string, fail: (message: string) => Error): T {
  const parsed = schema.safeParse(properties ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') || '(properties)';
  throw fail(`resource ${logicalId}: property ${path}: ${issue?.message ?? 'invalid'}`);
}
