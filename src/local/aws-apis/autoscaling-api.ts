import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ApplicationAutoScaling } from '../../scaling/application-auto-scaling.ts';
import type { CapacityPort } from '../../scaling/scalable-target.ts';
import { namespaceOf, ScalingRequestError } from '../../scaling/scalable-target.ts';
import type { StackModel } from '../../scaling/stack-model.ts';
import type { SideRoute } from '../gateway/side-route.ts';
import { localAccount } from '../template/local-account.ts';
import {
  deletePolicySchema,
  deleteScheduledActionSchema,
  deregisterSchema,
  describeSchema,
  predefinedMetrics,
  putPolicySchema,
  putScheduledActionSchema,
  registerSchema,
} from './autoscaling-schemas.ts';
import { readBody, sendAws } from './aws-wire.ts';

const { accountId: account, region } = localAccount;
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

/** What the API needs from the running local cloud besides the model: capacity, resources, and where changes go. */
export interface AutoScalingApiContext {
  readonly autoScaling: ApplicationAutoScaling;
  readonly capacity: CapacityPort;
  /** Virtual now, and virtual time at start-up (creation time of the template's targets and policies). */
  readonly nowMs: () => number;
  readonly startMs: number;
  /** The stack, whose tables, indexes and aliases can be registered as scalable targets. */
  readonly model: StackModel;
  /** Told of every change made through the API (the event log, the dashboard, the console). */
  readonly onChange: (operation: string, resource: string, detail: string) => void;
}

/**
 * Application Auto Scaling's API (JSON 1.1, `X-Amz-Target: AnyScaleFrontendService.<Op>`) on the local cloud, as the
 * AWS CLI and SDKs call it: the Describe operations read the running model (timestamps in the control plane's
 * virtual time, as epoch seconds); Register/DeregisterScalableTarget, Put/DeleteScalingPolicy and
 * Put/DeleteScheduledAction change it, so the next tick scales by them. Other operations answer 400 `UnknownOperationException`, never a 5xx.
 */
export function autoScalingApi(context: AutoScalingApiContext): SideRoute {
  const { autoScaling } = context;
  const createdAt = new Map<string, number>();
  const created = (key: string) => epochSeconds(createdAt.get(key) ?? context.startMs);
  const operations: Record<string, (json: unknown) => unknown> = {
    DescribeScalableTargets: (json) => {
      const input = parse(describeSchema, json);
      return {
        ScalableTargets: autoScaling.scalableTargets
          .filter((t) => t.spec.serviceNamespace === input.ServiceNamespace && matches(input, t.spec.resourceId, t.spec.scalableDimension))
          .map((t) => ({
            ServiceNamespace: t.spec.serviceNamespace,
            ResourceId: t.spec.resourceId,
            ScalableDimension: t.spec.scalableDimension,
            MinCapacity: t.min,
            MaxCapacity: t.max,
            RoleARN: `arn:aws:iam::${account}:role/aws-service-role/${t.spec.serviceNamespace}.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling`,
            CreationTime: created(`target|${t.spec.resourceId}|${t.spec.scalableDimension}`),
            SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
          })),
      };
    },
    DescribeScalingPolicies: (json) => {
      const input = parse(describeSchema, json);
      return {
        ScalingPolicies: autoScaling.scalingPolicies
          .filter(
            ({ spec }) =>
              namespaceOf(spec.resourceId) === input.ServiceNamespace && matches(input, spec.resourceId, spec.scalableDimension),
          )
          .filter(({ spec }) => input.PolicyNames === undefined || input.PolicyNames.includes(spec.policyName))
          .map(({ spec, alarmNames }) => ({
            PolicyARN: policyArn(input.ServiceNamespace, spec.resourceId, spec.policyName),
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
            CreationTime: created(`policy|${spec.resourceId}|${spec.policyName}`),
          })),
      };
    },
    DescribeScalingActivities: (json) => {
      const input = parse(describeSchema, json);
      return {
        ScalingActivities: autoScaling.activities
          .filter((a) => a.serviceNamespace === input.ServiceNamespace && matches(input, a.resourceId, a.scalableDimension))
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
      };
    },
    DescribeScheduledActions: (json) => {
      const input = parse(describeSchema, json);
      return {
        ScheduledActions: autoScaling.scheduledActions
          .filter(
            ({ target }) =>
              target.serviceNamespace === input.ServiceNamespace && matches(input, target.resourceId, target.scalableDimension),
          )
          .filter(({ action }) => input.ScheduledActionNames === undefined || input.ScheduledActionNames.includes(action.name))
          .map(({ target, action }) => ({
            ScheduledActionName: action.name,
            ScheduledActionARN: `arn:aws:autoscaling:${region}:${account}:scheduledAction:${stableUuid(`${target.resourceId}|${action.name}`)}:resource/${target.serviceNamespace}/${target.resourceId}:scheduledActionName/${action.name}`,
            ServiceNamespace: target.serviceNamespace,
            Schedule: action.schedule,
            Timezone: action.timezone ?? 'UTC',
            ResourceId: target.resourceId,
            ScalableDimension: target.scalableDimension,
            ScalableTargetAction: {
              ...(action.minCapacity === undefined ? {} : { MinCapacity: action.minCapacity }),
              ...(action.maxCapacity === undefined ? {} : { MaxCapacity: action.maxCapacity }),
            },
            CreationTime: created(`schedule|${target.resourceId}|${action.name}`),
          })),
      };
    },
    RegisterScalableTarget: (json) => {
      const input = parse(registerSchema, json);
      checkTarget(input, context.model);
      const known = autoScaling.bounds(input.ResourceId, input.ScalableDimension);
      const min = input.MinCapacity ?? known?.min;
      const max = input.MaxCapacity ?? known?.max;
      if (min === undefined || max === undefined)
        throw new AutoScalingApiError(
          'ValidationException',
          'MinCapacity and MaxCapacity are required for registering a new scalable target',
        );
      if (min > max) throw new AutoScalingApiError('ValidationException', 'Minimum capacity cannot be greater than maximum capacity');
      const outcome = autoScaling.registerTarget(
        {
          serviceNamespace: input.ServiceNamespace as 'dynamodb' | 'lambda',
          resourceId: input.ResourceId,
          scalableDimension: input.ScalableDimension,
          minCapacity: min,
          maxCapacity: max,
          scheduledActions: [],
        },
        context.nowMs(),
        context.capacity,
      );
      if (outcome === 'created') createdAt.set(`target|${input.ResourceId}|${input.ScalableDimension}`, context.nowMs());
      context.onChange('RegisterScalableTarget', input.ResourceId, `${outcome}: ${input.ScalableDimension} min ${min} max ${max}`);
      return {
        ScalableTargetARN: `arn:aws:application-autoscaling:${region}:${account}:scalable-target/${stableUuid(`${input.ResourceId}|${input.ScalableDimension}`)}`,
      };
    },
    DeregisterScalableTarget: (json) => {
      const input = parse(deregisterSchema, json);
      autoScaling.deregisterTarget(input.ResourceId, input.ScalableDimension);
      context.onChange('DeregisterScalableTarget', input.ResourceId, `${input.ScalableDimension} deregistered, with its policies`);
      return {};
    },
    PutScalingPolicy: (json) => {
      const input = parse(putPolicySchema, json);
      const configuration = input.TargetTrackingScalingPolicyConfiguration;
      if ((input.PolicyType ?? 'StepScaling') !== 'TargetTrackingScaling' || !configuration)
        throw new AutoScalingApiError(
          'ValidationException',
          'The local cloud emulates TargetTrackingScaling policies only: give --policy-type TargetTrackingScaling and a TargetTrackingScalingPolicyConfiguration',
        );
      const metricType = configuration.PredefinedMetricSpecification?.PredefinedMetricType;
      if (metricType === undefined || predefinedMetrics[metricType] === undefined)
        throw new AutoScalingApiError(
          'ValidationException',
          `The local cloud emulates the predefined metrics ${Object.keys(predefinedMetrics).join(', ')}; a CustomizedMetricSpecification is not emulated`,
        );
      if (!input.ScalableDimension.endsWith(predefinedMetrics[metricType] as string))
        throw new AutoScalingApiError(
          'ValidationException',
          `${metricType} cannot track the scalable dimension ${input.ScalableDimension}`,
        );
      // B 4.2: DynamoDB's target utilisation is 20-90%.
      if (input.ServiceNamespace === 'dynamodb' && !(configuration.TargetValue >= 20 && configuration.TargetValue <= 90))
        throw new AutoScalingApiError('ValidationException', 'TargetValue for DynamoDB must be between 20 and 90');
      const alarms = autoScaling.putPolicy({
        policyName: input.PolicyName,
        resourceId: input.ResourceId,
        scalableDimension: input.ScalableDimension,
        predefinedMetricType: metricType,
        targetValue: configuration.TargetValue,
        scaleInCooldownSeconds: configuration.ScaleInCooldown,
        scaleOutCooldownSeconds: configuration.ScaleOutCooldown,
        disableScaleIn: configuration.DisableScaleIn,
      });
      const key = `policy|${input.ResourceId}|${input.PolicyName}`;
      if (!createdAt.has(key)) createdAt.set(key, context.nowMs());
      context.onChange('PutScalingPolicy', input.ResourceId, `${input.PolicyName}: ${metricType} target ${configuration.TargetValue}`);
      return {
        PolicyARN: policyArn(input.ServiceNamespace, input.ResourceId, input.PolicyName),
        Alarms: alarms.map((name) => ({ AlarmName: name, AlarmARN: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` })),
      };
    },
    DeleteScalingPolicy: (json) => {
      const input = parse(deletePolicySchema, json);
      autoScaling.deletePolicy(input.PolicyName, input.ResourceId, input.ScalableDimension);
      context.onChange('DeleteScalingPolicy', input.ResourceId, `${input.PolicyName} deleted, with its alarms`);
      return {};
    },
    PutScheduledAction: (json) => {
      const input = parse(putScheduledActionSchema, json);
      const existing = autoScaling.scheduledActions.find(
        (s) => s.target.resourceId === input.ResourceId && s.action.name === input.ScheduledActionName,
      );
      const schedule = input.Schedule ?? existing?.action.schedule;
      if (schedule === undefined) throw new AutoScalingApiError('ValidationException', 'Schedule is required for a new scheduled action');
      const min = input.ScalableTargetAction?.MinCapacity;
      const max = input.ScalableTargetAction?.MaxCapacity;
      if (min !== undefined && max !== undefined && min > max)
        throw new AutoScalingApiError('ValidationException', 'Minimum capacity cannot be greater than maximum capacity');
      const outcome = autoScaling.putScheduledAction(
        input.ResourceId,
        input.ScalableDimension,
        { name: input.ScheduledActionName, schedule, timezone: input.Timezone, minCapacity: min, maxCapacity: max },
        context.nowMs(),
      );
      if (outcome === 'created') createdAt.set(`schedule|${input.ResourceId}|${input.ScheduledActionName}`, context.nowMs());
      context.onChange('PutScheduledAction', input.ResourceId, `${input.ScheduledActionName} ${outcome}: ${schedule}`);
      return {};
    },
    DeleteScheduledAction: (json) => {
      const input = parse(deleteScheduledActionSchema, json);
      autoScaling.deleteScheduledAction(input.ResourceId, input.ScalableDimension, input.ScheduledActionName);
      context.onChange('DeleteScheduledAction', input.ResourceId, `${input.ScheduledActionName} deleted`);
      return {};
    },
  };
  return async (request, response, url) => {
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || url.pathname !== '/' || typeof target !== 'string' || !target.startsWith(targetPrefix)) return false;
    const operationName = target.slice(targetPrefix.length);
    try {
      const operation = operations[operationName];
      if (!operation) throw new AutoScalingApiError('UnknownOperationException', `The local cloud does not emulate ${operationName}`);
      return answer(response, 200, operation(parseJson(await readBody(request))));
    } catch (error) {
      if (error instanceof ScalingRequestError) return answer(response, 400, { __type: error.code, Message: error.message });
      if (!(error instanceof AutoScalingApiError)) throw error;
      return answer(response, 400, { __type: error.code, Message: error.message });
    }
  };
}

/** Whether a Describe request's resource filters admit a target. */
function matches(input: z.output<typeof describeSchema>, resourceId: string, dimension: string): boolean {
  return (
    (input.ResourceIds === undefined || input.ResourceIds.includes(resourceId)) &&
    (input.ResourceId === undefined || input.ResourceId === resourceId) &&
    (input.ScalableDimension === undefined || input.ScalableDimension === dimension)
  );
}

/** A target the local cloud can scale: a DynamoDB table or index, or a Lambda alias, that exists, with a dimension of its kind. */
function checkTarget(input: z.output<typeof deregisterSchema>, model: StackModel): void {
  const shapes: Record<string, { resource: RegExp; dimensions: RegExp }> = {
    dynamodb: { resource: /^table\/[^/]+(\/index\/[^/]+)?$/, dimensions: /^dynamodb:(table|index):(Read|Write)CapacityUnits$/ },
    lambda: { resource: /^function:[^:]+:[^:]+$/, dimensions: /^lambda:function:ProvisionedConcurrency$/ },
  };
  const shape = shapes[input.ServiceNamespace];
  if (!shape)
    throw new AutoScalingApiError(
      'ValidationException',
      `The local cloud emulates the service namespaces dynamodb and lambda, not ${input.ServiceNamespace}`,
    );
  if (!shape.resource.test(input.ResourceId) || !shape.dimensions.test(input.ScalableDimension))
    throw new AutoScalingApiError(
      'ValidationException',
      `Unsupported service namespace, resource type or scalable dimension: ${input.ServiceNamespace} ${input.ResourceId} ${input.ScalableDimension}`,
    );
  const onIndex = input.ResourceId.includes('/index/');
  if (input.ServiceNamespace === 'dynamodb' && onIndex !== input.ScalableDimension.startsWith('dynamodb:index:'))
    throw new AutoScalingApiError('ValidationException', `${input.ScalableDimension} does not apply to ${input.ResourceId}`);
  const problem = resourceProblem(model, input.ResourceId);
  if (problem) throw new AutoScalingApiError('ValidationException', problem);
}

/** Why a resource id names nothing scalable in the running stack, or undefined when it names a table, index or alias. */
function resourceProblem(model: StackModel, resourceId: string): string | undefined {
  if (resourceId.startsWith('function:')) {
    const [, name, alias] = resourceId.split(':');
    const fn = model.functions.find((f) => f.name === name || f.logicalId === name);
    if (!fn) return `Function not found: ${name}`;
    const aliases = new Set([
      ...Object.keys(fn.provisioned),
      ...(model.api?.routes ?? []).filter((r) => r.functionName === fn.name).map((r) => r.qualifier),
    ]);
    return aliases.has(alias) ? undefined : `Function ${name} has no alias ${alias} in the running stack`;
  }
  const [, tableName, , indexName] = resourceId.split('/');
  const table = model.tables.find((t) => t.tableName === tableName);
  if (!table) return `Table not found: ${tableName}`;
  if (table.billingMode === 'PAY_PER_REQUEST')
    return `Table ${tableName} is on-demand (PAY_PER_REQUEST): there is no provisioned capacity to scale`;
  if (indexName !== undefined && !table.indexes.some((i) => i.indexName === indexName))
    return `Table ${tableName} has no index ${indexName}`;
  return undefined;
}

function policyArn(namespace: string, resourceId: string, policyName: string): string {
  return `arn:aws:autoscaling:${region}:${account}:scalingPolicy:${stableUuid(`${resourceId}|${policyName}`)}:resource/${namespace}/${resourceId}:policyName/${policyName}`;
}

/** A stable id in an ARN, derived from a name (AWS uses a UUID fixed at creation). */
function stableUuid(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  const hex = hash.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

function parseJson(body: string): unknown {
  try {
    return body.length === 0 ? {} : JSON.parse(body);
  } catch {
    throw new AutoScalingApiError('SerializationException', 'The request body is not JSON');
  }
}

function parse<T extends z.ZodType>(schema: T, json: unknown): z.output<T> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AutoScalingApiError('ValidationException', `${issue?.path.join('.') || 'request'}: ${issue?.message}`);
}

const answer = (response: ServerResponse, status: number, body: unknown): true =>
  sendAws(response, status, 'application/x-amz-json-1.1', body);
