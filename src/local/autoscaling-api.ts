import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ApplicationAutoScaling } from '../scaling/application-auto-scaling.ts';
import type { SideRoute } from './api-gateway.ts';
import { readBody, sendAws } from './aws-wire.ts';

const account = '000000000000';
const region = 'us-east-1';
const targetPrefix = 'AnyScaleFrontendService.';
const epochSeconds = (ms: number) => ms / 1000;

/** An Application Auto Scaling error: 400 with AWS's `__type` code. */
class AutoScalingApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const describeSchema = z.looseObject({
  ServiceNamespace: z.enum([
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
  ]),
  ResourceIds: z.array(z.string()).optional(),
  ResourceId: z.string().optional(),
  ScalableDimension: z.string().optional(),
  PolicyNames: z.array(z.string()).optional(),
});

/**
 * Application Auto Scaling's API (JSON 1.1, `X-Amz-Target: AnyScaleFrontendService.<Op>`) on the local cloud, as the
 * AWS CLI calls it: DescribeScalableTargets, DescribeScalingPolicies and DescribeScalingActivities, read from the
 * running model (timestamps in the control plane's virtual time, as epoch seconds). Other operations answer 400
 * `UnknownOperationException`, never a 5xx.
 */
export function autoScalingApi(autoScaling: ApplicationAutoScaling, startMs: number): SideRoute {
  return async (request, response, url) => {
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || url.pathname !== '/' || typeof target !== 'string' || !target.startsWith(targetPrefix)) return false;
    const operation = target.slice(targetPrefix.length);
    try {
      const input = parse(await readBody(request));
      const matches = (resourceId: string, dimension: string) =>
        (input.ResourceIds === undefined || input.ResourceIds.includes(resourceId)) &&
        (input.ResourceId === undefined || input.ResourceId === resourceId) &&
        (input.ScalableDimension === undefined || input.ScalableDimension === dimension);
      switch (operation) {
        case 'DescribeScalableTargets':
          return answer(response, 200, {
            ScalableTargets: autoScaling.scalableTargets
              .filter((t) => t.spec.serviceNamespace === input.ServiceNamespace && matches(t.spec.resourceId, t.spec.scalableDimension))
              .map((t) => ({
                ServiceNamespace: t.spec.serviceNamespace,
                ResourceId: t.spec.resourceId,
                ScalableDimension: t.spec.scalableDimension,
                MinCapacity: t.min,
                MaxCapacity: t.max,
                RoleARN: `arn:aws:iam::${account}:role/aws-service-role/${t.spec.serviceNamespace}.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling`,
                CreationTime: epochSeconds(startMs),
                SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
              })),
          });
        case 'DescribeScalingPolicies':
          return answer(response, 200, {
            ScalingPolicies: autoScaling.scalingPolicies
              .filter(
                ({ spec }) => namespaceOf(spec.resourceId) === input.ServiceNamespace && matches(spec.resourceId, spec.scalableDimension),
              )
              .filter(({ spec }) => input.PolicyNames === undefined || input.PolicyNames.includes(spec.policyName))
              .map(({ spec, alarmNames }) => ({
                PolicyARN: `arn:aws:autoscaling:${region}:${account}:scalingPolicy:${randomUUIDFor(spec.policyName)}:resource/${input.ServiceNamespace}/${spec.resourceId}:policyName/${spec.policyName}`,
                PolicyName: spec.policyName,
                ServiceNamespace: input.ServiceNamespace,
                ResourceId: spec.resourceId,
                ScalableDimension: spec.scalableDimension,
                PolicyType: 'TargetTrackingScaling',
                TargetTrackingScalingPolicyConfiguration: {
                  TargetValue: spec.targetValue,
                  PredefinedMetricSpecification: { PredefinedMetricType: spec.predefinedMetricType },
                  ScaleInCooldown: spec.scaleInCooldownSeconds ?? 0,
                  ScaleOutCooldown: spec.scaleOutCooldownSeconds ?? 0,
                  DisableScaleIn: spec.disableScaleIn ?? false,
                },
                Alarms: alarmNames.map((name) => ({ AlarmName: name, AlarmARN: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` })),
                CreationTime: epochSeconds(startMs),
              })),
          });
        case 'DescribeScalingActivities':
          return answer(response, 200, {
            ScalingActivities: autoScaling.activities
              .filter((a) => a.serviceNamespace === input.ServiceNamespace && matches(a.resourceId, a.scalableDimension))
              .map((a) => ({
                ActivityId: a.activityId,
                ServiceNamespace: a.serviceNamespace,
                ResourceId: a.resourceId,
                ScalableDimension: a.scalableDimension,
                Description: a.description,
                Cause: a.cause,
                StartTime: epochSeconds(a.startTimeMs),
                ...(a.endTimeMs === undefined ? {} : { EndTime: epochSeconds(a.endTimeMs) }),
                StatusCode: a.statusCode,
                ...(a.statusMessage === undefined ? {} : { StatusMessage: a.statusMessage }),
              })),
          });
        default:
          throw new AutoScalingApiError('UnknownOperationException', `The local cloud does not emulate ${operation}`);
      }
    } catch (error) {
      if (!(error instanceof AutoScalingApiError)) throw error;
      return answer(response, 400, { __type: error.code, Message: error.message });
    }
  };
}

/** The service a resource id belongs to: tables and indexes are DynamoDB's, functions Lambda's. */
function namespaceOf(resourceId: string): string {
  return resourceId.startsWith('function:') ? 'lambda' : 'dynamodb';
}

/** A stable id in a policy's ARN, derived from its name (AWS uses a UUID fixed at creation). */
function randomUUIDFor(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  const hex = hash.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

function parse(body: string): z.output<typeof describeSchema> {
  let json: unknown;
  try {
    json = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    throw new AutoScalingApiError('SerializationException', 'The request body is not JSON');
  }
  const parsed = describeSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AutoScalingApiError('ValidationException', `${issue?.path.join('.') || 'request'}: ${issue?.message}`);
}

const answer = (response: ServerResponse, status: number, body: unknown): true =>
  sendAws(response, status, 'application/x-amz-json-1.1', body);
