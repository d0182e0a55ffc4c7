import { z } from 'zod';

// The request shapes of Application Auto Scaling's API operations that the local cloud answers (zod).

export const serviceNamespace = z.enum([
  'dynamodb',
  'lambda',
  'ecs',
  'ec2',
  'appstream',
  'elasticmapreduce',
  'rds',
  'sagemaker',
  'custom-resource',
  'comprehend',
  'kafka',
  'elasticache',
  'neptune',
  'cassandra',
  'workspaces',
]);
export const resourceId = z.string().min(1).max(1600);
export const scalableDimension = z.string().min(1);
export const capacity = z.number().int().min(0);
const targetIdentity = { ServiceNamespace: serviceNamespace, ResourceId: resourceId, ScalableDimension: scalableDimension };

export const describeSchema = z.looseObject({
  ServiceNamespace: serviceNamespace,
  ResourceIds: z.array(z.string()).optional(),
  ResourceId: z.string().optional(),
  ScalableDimension: z.string().optional(),
  PolicyNames: z.array(z.string()).optional(),
  ScheduledActionNames: z.array(z.string()).optional(),
});

export const registerSchema = z.looseObject({ ...targetIdentity, MinCapacity: capacity.optional(), MaxCapacity: capacity.optional() });
export const deregisterSchema = z.looseObject(targetIdentity);
export const putPolicySchema = z.looseObject({
  ...targetIdentity,
  PolicyName: z.string().min(1).max(256),
  PolicyType: z.enum(['StepScaling', 'TargetTrackingScaling', 'PredictiveScaling']).optional(),
  TargetTrackingScalingPolicyConfiguration: z
    .looseObject({
      TargetValue: z.number(),
      PredefinedMetricSpecification: z.looseObject({ PredefinedMetricType: z.string(), ResourceLabel: z.string().optional() }).optional(),
      CustomizedMetricSpecification: z.unknown().optional(),
      ScaleOutCooldown: z.number().int().min(0).optional(),
      ScaleInCooldown: z.number().int().min(0).optional(),
      DisableScaleIn: z.boolean().optional(),
    })
    .optional(),
});
export const deletePolicySchema = z.looseObject({ ...targetIdentity, PolicyName: z.string().min(1).max(256) });
export const putScheduledActionSchema = z.looseObject({
  ...targetIdentity,
  ScheduledActionName: z.string().min(1).max(256),
  Schedule: z.string().min(1).max(1600).optional(),
  Timezone: z.string().optional(),
  ScalableTargetAction: z.looseObject({ MinCapacity: capacity.optional(), MaxCapacity: capacity.optional() }).optional(),
});

export const deleteScheduledActionSchema = z.looseObject({ ...targetIdentity, ScheduledActionName: z.string().min(1).max(256) });

/** Which dimension each predefined metric of the emulated services tracks. */
export const predefinedMetrics: Record<string, string> = {
  DynamoDBReadCapacityUtilization: 'ReadCapacityUnits',
  DynamoDBWriteCapacityUtilization: 'WriteCapacityUnits',
  LambdaProvisionedConcurrencyUtilization: 'ProvisionedConcurrency',
};
