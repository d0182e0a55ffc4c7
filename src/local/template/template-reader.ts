import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { AppError } from '../../common/app-error.ts';
import type { AlarmDefinition } from '../../scaling/cloudwatch-alarm.ts';
import { isStatistic } from '../../scaling/metric-store.ts';
import type { ScalableTargetSpec } from '../../scaling/scalable-target.ts';
import type { LocalApi, LocalFunction, LocalRoute, LocalTable, StackModel } from '../../scaling/stack-model.ts';
import type { TargetTrackingSpec } from '../../scaling/target-tracking.ts';
import { functionCode } from './function-code.ts';
import { nodeRuntimeMajor } from './function-runtime.ts';
import { type IntrinsicContext, resolveIntrinsics, resolveString } from './intrinsics.ts';
import { localAccount } from './local-account.ts';
import { parseCfnTemplate } from './sam/cfn-yaml.ts';
import { expandSam, usesSam } from './sam/sam-transform.ts';
import {
  type AliasProperties,
  alarmProperties,
  aliasProperties,
  type CfnResource,
  cfnTemplate,
  functionProperties,
  methodProperties,
  parseProperties,
  scalableTargetProperties,
  scalingPolicyProperties,
  stageProperties,
  tableProperties,
} from './template-schema.ts';
import { bodyAuthorization, methodAuthorization, readUserPools } from './user-pools.ts';

/** The template is missing, unreadable or not a template this tool can run. */
export class TemplateError extends AppError {
  constructor(message: string) {
    super('TEMPLATE_INVALID', message);
  }
}

const invalid = (message: string) => new TemplateError(message);

/** The logical id a `{"Ref": id}` names, or undefined for anything else. */
function refOf(value: unknown): string | undefined {
  return value && typeof value === 'object' && 'Ref' in value ? String(value.Ref) : undefined;
}

// Types the local cloud emulates (this file reads them) or that have no runtime effect to emulate locally.
const emulatedTypes = new Set([
  'AWS::Lambda::Function',
  'AWS::Lambda::Alias',
  'AWS::Lambda::Version',
  'AWS::DynamoDB::Table',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Authorizer',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolResourceServer',
  'AWS::Cognito::UserPoolDomain',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
]);

/** Options of {@link readStackModel}. */
export interface ReadOptions {
  /** `AWS::StackName`. @default the file name for a synthesized CDK template, `techmoda-local` for a SAM one */
  readonly stackName?: string | undefined;
}

/**
 * Reads a template into the local stack model: synthesized CloudFormation (assets beside it, as in cdk.out) or a SAM
 * template (YAML or JSON, short-form tags, `Transform: AWS::Serverless-2016-10-31` expanded as samtranslator does).
 */
export function readStackModel(templatePath: string, options: ReadOptions = {}): StackModel {
  let json: unknown;
  try {
    json = parseCfnTemplate(readFileSync(templatePath, 'utf8'));
  } catch (error) {
    throw new TemplateError(`cannot read template ${templatePath}: ${(error as Error).message.split('\n')[0]}`);
  }
  const sam = typeof json === 'object' && json !== null && usesSam(json as Record<string, unknown>);
  const expanded = sam ? expandSam(json as Record<string, unknown>) : json;
  const parsed = cfnTemplate.safeParse(expanded);
  if (!parsed.success) throw new TemplateError(`${templatePath} has no valid Resources section: ${parsed.error.issues[0]?.message}`);
  const stackName =
    options.stackName ??
    (sam
      ? 'techmoda-local'
      : basename(templatePath)
          .replace(/\.template\.json$/, '')
          .replace(/\.json$/, ''));
  return buildModel(stackName, parsed.data.Resources, dirname(templatePath));
}

/** The pseudo parameters' values, for names resolved before the resources are known (a table's `!Sub ${AWS::StackName}-products`). */
function pseudoParameter(name: string, stackName: string): string | undefined {
  if (name === 'AWS::Region') return localAccount.region;
  if (name === 'AWS::AccountId') return localAccount.accountId;
  if (name === 'AWS::Partition') return localAccount.partition;
  if (name === 'AWS::StackName') return stackName;
  if (name === 'AWS::URLSuffix') return 'amazonaws.com';
  return undefined;
}

function buildModel(stackName: string, resources: Record<string, CfnResource>, assetRoot: string): StackModel {
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const pseudo: IntrinsicContext = { ref: (name) => pseudoParameter(name, stackName), getAtt: () => undefined };
  const functionNames = new Map(ofType('AWS::Lambda::Function').map(([id, r]) => [id, physicalFunctionName(id, r, stackName, pseudo)]));
  const tableNames = new Map(
    ofType('AWS::DynamoDB::Table').map(([id, r]) => {
      const named = r.Properties?.TableName;
      return [id, named === undefined ? `${stackName}-${trimHash(id)}` : resolveString(named, pseudo, `${id}.TableName`)];
    }),
  );
  const aliases = new Map(ofType('AWS::Lambda::Alias').map(([id, r]) => [id, parseProperties(aliasProperties, r.Properties, id, invalid)]));

  const functionArn = (name: string) =>
    `arn:${localAccount.partition}:lambda:${localAccount.region}:${localAccount.accountId}:function:${name}`;
  const context: IntrinsicContext = {
    ref(name) {
      const pseudoValue = pseudoParameter(name, stackName);
      if (pseudoValue !== undefined) return pseudoValue;
      if (tableNames.has(name)) return tableNames.get(name);
      if (functionNames.has(name)) return functionNames.get(name);
      const alias = aliases.get(name);
      if (alias) return `${functionArn(functionNames.get(refOf(alias.FunctionName) ?? '') ?? '?')}:${alias.Name}`;
      // A resource server's Ref is its identifier: scopes read `${Ref}/write` (AWS::Cognito::UserPoolResourceServer).
      if (resources[name]?.Type === 'AWS::Cognito::UserPoolResourceServer') return String(resources[name].Properties?.Identifier);
      return resources[name] ? name : undefined;
    },
    getAtt(logicalId, attribute) {
      if (functionNames.has(logicalId) && attribute === 'Arn') return functionArn(functionNames.get(logicalId) as string);
      if (tableNames.has(logicalId) && attribute === 'Arn')
        return `arn:aws:dynamodb:${localAccount.region}:${localAccount.accountId}:table/${tableNames.get(logicalId)}`;
      if (resources[logicalId]?.Type === 'AWS::ApiGateway::RestApi' && attribute === 'RootResourceId') return `${logicalId}:root`;
      if (resources[logicalId]?.Type === 'AWS::Lambda::Version' && attribute === 'Version') return '1';
      return resources[logicalId] ? `${logicalId}.${attribute}` : undefined;
    },
  };

  const functions = ofType('AWS::Lambda::Function').map(([id, r]) =>
    readFunction(id, r, functionNames.get(id) as string, assetRoot, context, aliases),
  );
  const tables = ofType('AWS::DynamoDB::Table').map(([id, r]) => readTable(id, r, tableNames.get(id) as string));
  const notEmulated: Record<string, number> = {};
  const alarms: AlarmDefinition[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const alarm = resource.Type === 'AWS::CloudWatch::Alarm' ? readAlarm(id, resource, context) : undefined;
    if (alarm) alarms.push(alarm);
    else if (!emulatedTypes.has(resource.Type)) notEmulated[resource.Type] = (notEmulated[resource.Type] ?? 0) + 1;
  }
  const targets = new Map(ofType('AWS::ApplicationAutoScaling::ScalableTarget').map(([id, r]) => [id, readScalableTarget(id, r, context)]));
  const scalingPolicies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy').map(([id, r]) => readScalingPolicy(id, r, targets));
  const api = readApi(resources, context, functionNames);
  const userPools = readUserPools(resources, context);
  return { stackName, functions, tables, api, alarms, scalableTargets: [...targets.values()], scalingPolicies, userPools, notEmulated };
}

function readFunction(
  logicalId: string,
  resource: CfnResource,
  name: string,
  assetRoot: string,
  context: IntrinsicContext,
  aliases: Map<string, AliasProperties>,
): LocalFunction {
  const p = parseProperties(functionProperties, resource.Properties, logicalId, invalid);
  const runtime = p.Runtime ?? 'nodejs22.x';
  if (nodeRuntimeMajor(runtime) === undefined)
    throw new TemplateError(`function ${logicalId} runs ${runtime}; the local cloud runs Node.js functions only (nodejsNN.x)`);
  const code = functionCode(logicalId, p.Handler ?? 'index.handler', resource.Metadata ?? {}, assetRoot);
  const variables = (resolveIntrinsics(p.Environment?.Variables ?? {}, context, `${logicalId}.Environment`) ?? {}) as Record<
    string,
    unknown
  >;
  const provisioned: Record<string, number> = {};
  for (const alias of aliases.values()) {
    const count = alias.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions;
    if (refOf(alias.FunctionName) === logicalId && count !== undefined) provisioned[alias.Name] = count;
  }
  return {
    logicalId,
    name,
    ...code,
    runtime,
    memoryMb: p.MemorySize ?? 128,
    architecture: p.Architectures?.[0] ?? 'x86_64',
    timeoutMs: (p.Timeout ?? 3) * 1000,
    environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
    reservedConcurrency: p.ReservedConcurrentExecutions,
    provisioned,
  };
}

function readTable(logicalId: string, resource: CfnResource, tableName: string): LocalTable {
  const p = parseProperties(tableProperties, resource.Properties, logicalId, invalid);
  const billingMode = p.BillingMode ?? 'PROVISIONED';
  return {
    logicalId,
    tableName,
    keySchema: p.KeySchema,
    attributeDefinitions: p.AttributeDefinitions,
    indexes: p.GlobalSecondaryIndexes.map((gsi) => ({
      indexName: gsi.IndexName,
      keySchema: gsi.KeySchema,
      projection: gsi.Projection ?? { ProjectionType: 'ALL' },
      readUnits: gsi.ProvisionedThroughput?.ReadCapacityUnits,
      writeUnits: gsi.ProvisionedThroughput?.WriteCapacityUnits,
      warmThroughput: warmThroughputOf(gsi.WarmThroughput),
    })),
    billingMode,
    readUnits: p.ProvisionedThroughput?.ReadCapacityUnits,
    writeUnits: p.ProvisionedThroughput?.WriteCapacityUnits,
    maxOnDemand: p.OnDemandThroughput
      ? { readUnitsPerSecond: p.OnDemandThroughput.MaxReadRequestUnits, writeUnitsPerSecond: p.OnDemandThroughput.MaxWriteRequestUnits }
      : undefined,
    warmThroughput: warmThroughputOf(p.WarmThroughput),
  };
}

function warmThroughputOf(warm: { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number } | undefined) {
  return warm ? { readUnitsPerSecond: warm.ReadUnitsPerSecond, writeUnitsPerSecond: warm.WriteUnitsPerSecond } : undefined;
}

function readApi(
  resources: Record<string, CfnResource>,
  context: IntrinsicContext,
  functionNames: Map<string, string>,
): LocalApi | undefined {
  const apis = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::RestApi');
  if (apis.length === 0) return undefined;
  if (apis.length > 1) throw new TemplateError(`the template has ${apis.length} REST APIs; techmoda local runs one`);
  const [apiId, api] = apis[0] as [string, CfnResource];
  const pathOf = (resourceId: string): string => {
    if (resourceId === `${apiId}:root`) return '';
    const resource = resources[resourceId];
    if (resource?.Type !== 'AWS::ApiGateway::Resource') throw new TemplateError(`API resource ${resourceId} not found`);
    return `${pathOf(resolveString(resource.Properties?.ParentId, context, `${resourceId}.ParentId`))}/${String(resource.Properties?.PathPart)}`;
  };
  const knownFunctions = new Set(functionNames.values());
  /** The function (and alias) a Lambda proxy integration's URI invokes. */
  const target = (uri: string, where: string) => {
    const match = /functions\/arn:[^:]+:lambda:[^:]+:[^:]+:function:([^:/]+)(?::([^/]+))?\/invocations$/.exec(uri);
    if (!match || !knownFunctions.has(match[1] as string))
      throw new TemplateError(`${where} integrates with ${uri}, not a function of this template`);
    return { functionName: match[1] as string, qualifier: match[2] };
  };
  const routes: LocalRoute[] = [];
  for (const [id, method] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Method')) {
    const p = parseProperties(methodProperties, method.Properties, id, invalid);
    if (p.Integration.Type !== 'AWS_PROXY')
      throw new TemplateError(`method ${id} uses integration ${p.Integration.Type}; techmoda local runs Lambda proxy integrations only`);
    routes.push({
      resourcePath: pathOf(resolveString(p.ResourceId, context, `${id}.ResourceId`)) || '/',
      method: p.HttpMethod,
      ...target(resolveString(p.Integration.Uri, context, `${id}.Integration.Uri`), `method ${id}`),
      authorization: methodAuthorization(`method ${id}`, p, resources, invalid),
    });
  }
  // SAM (and OpenAPI-defined APIs) put the routes in the RestApi's Swagger Body instead (A2).
  const body = api.Properties?.Body as
    | { info?: { title?: unknown }; paths?: Record<string, Record<string, unknown>>; securityDefinitions?: unknown }
    | undefined;
  for (const [path, methods] of Object.entries(body?.paths ?? {})) {
    for (const [key, operation] of Object.entries(methods)) {
      const integration = (operation as { 'x-amazon-apigateway-integration'?: { type?: string; uri?: unknown } })[
        'x-amazon-apigateway-integration'
      ];
      const where = `${apiId} Body ${key.toUpperCase()} ${path}`;
      if (integration?.type !== 'aws_proxy')
        throw new TemplateError(`${where} is not a Lambda proxy (aws_proxy) integration; techmoda local runs those only`);
      const method = key === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase();
      routes.push({
        resourcePath: path,
        method,
        ...target(resolveString(integration.uri, context, `${where} uri`), where),
        authorization: bodyAuthorization(where, operation, body, resources, invalid),
      });
    }
  }
  const [stageId, stageResource] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGateway::Stage') ?? [];
  const stage = stageId ? parseProperties(stageProperties, stageResource?.Properties, stageId, invalid) : undefined;
  const defaults = stage?.MethodSettings.find((s) => s.HttpMethod === '*' && s.ResourcePath === '/*');
  return {
    name:
      api.Properties?.Name !== undefined
        ? String(api.Properties.Name)
        : body?.info?.title !== undefined
          ? resolveString(body.info.title, context, `${apiId}.Body.info.title`)
          : apiId,
    stageName: stage?.StageName ?? 'prod',
    defaultThrottle:
      defaults?.ThrottlingRateLimit !== undefined
        ? {
            ratePerSecond: Number(defaults.ThrottlingRateLimit),
            burst: Number(defaults.ThrottlingBurstLimit ?? defaults.ThrottlingRateLimit),
          }
        : undefined,
    routes,
    accessLogFormat: stage?.AccessLogSetting?.Format,
    detailedMetrics: String(defaults?.MetricsEnabled) === 'true',
  };
}

/** A single-metric alarm; undefined for metric-math alarms, which the local cloud does not evaluate. */
function readAlarm(logicalId: string, resource: CfnResource, context: IntrinsicContext): AlarmDefinition | undefined {
  const p = parseProperties(alarmProperties, resolveIntrinsics(resource.Properties ?? {}, context, logicalId), logicalId, invalid);
  if (p.Metrics || !p.MetricName) return undefined;
  const statistic = p.ExtendedStatistic ?? p.Statistic ?? 'Average';
  if (!isStatistic(statistic))
    throw new TemplateError(`alarm ${logicalId} uses statistic ${statistic}, which techmoda local does not support`);
  return {
    alarmName: String(p.AlarmName ?? trimHash(logicalId)),
    metric: {
      namespace: String(p.Namespace),
      metricName: String(p.MetricName),
      dimensions: Object.fromEntries(p.Dimensions.map((d) => [d.Name, String(d.Value)])),
    },
    statistic,
    periodSeconds: p.Period,
    evaluationPeriods: p.EvaluationPeriods,
    datapointsToAlarm: p.DatapointsToAlarm,
    threshold: p.Threshold ?? 0,
    comparison: p.ComparisonOperator,
    treatMissingData: p.TreatMissingData,
    description: p.AlarmDescription,
  };
}

function readScalableTarget(logicalId: string, resource: CfnResource, context: IntrinsicContext): ScalableTargetSpec {
  const p = parseProperties(scalableTargetProperties, resource.Properties, logicalId, invalid);
  const namespace = p.ServiceNamespace;
  if (namespace !== 'dynamodb' && namespace !== 'lambda')
    throw new TemplateError(`scalable target ${logicalId} is in namespace ${namespace}; techmoda local scales dynamodb and lambda`);
  return {
    serviceNamespace: namespace,
    resourceId: resolveString(p.ResourceId, context, `${logicalId}.ResourceId`),
    scalableDimension: p.ScalableDimension,
    minCapacity: p.MinCapacity,
    maxCapacity: p.MaxCapacity,
    scheduledActions: p.ScheduledActions.map((a) => ({
      name: a.ScheduledActionName,
      schedule: a.Schedule,
      timezone: a.Timezone,
      minCapacity: a.ScalableTargetAction?.MinCapacity,
      maxCapacity: a.ScalableTargetAction?.MaxCapacity,
    })),
  };
}

function readScalingPolicy(logicalId: string, resource: CfnResource, targets: Map<string, ScalableTargetSpec>): TargetTrackingSpec {
  const p = parseProperties(scalingPolicyProperties, resource.Properties, logicalId, invalid);
  const target = targets.get(refOf(p.ScalingTargetId) ?? '');
  const configuration = p.TargetTrackingScalingPolicyConfiguration;
  if (p.PolicyType !== 'TargetTrackingScaling' || !target || !configuration)
    throw new TemplateError(`scaling policy ${logicalId}: techmoda local runs target tracking on a scalable target of the template`);
  const metricType = configuration.PredefinedMetricSpecification?.PredefinedMetricType;
  if (!metricType) throw new TemplateError(`scaling policy ${logicalId}: only predefined metrics are emulated`);
  return {
    policyName: p.PolicyName ?? logicalId,
    resourceId: target.resourceId,
    scalableDimension: target.scalableDimension,
    predefinedMetricType: metricType,
    targetValue: configuration.TargetValue,
    scaleInCooldownSeconds: configuration.ScaleInCooldown,
    scaleOutCooldownSeconds: configuration.ScaleOutCooldown,
    disableScaleIn: configuration.DisableScaleIn,
  };
}

/**
 * A function's name: its FunctionName; for CDK, the construct's ("TechModaProductApi/Functions/GetProducts/Resource"
 * -> "GetProducts"); otherwise the physical name CloudFormation gives, `<stack>-<LogicalId>-<suffix>` within 64
 * characters (A3), with a suffix derived from both so that it stays the same from run to run.
 */
function physicalFunctionName(logicalId: string, resource: CfnResource, stackName: string, pseudo: IntrinsicContext): string {
  const named = resource.Properties?.FunctionName;
  if (named !== undefined) return resolveString(named, pseudo, `${logicalId}.FunctionName`);
  const path = resource.Metadata?.['aws:cdk:path'];
  const segments = typeof path === 'string' ? path.split('/') : [];
  if (segments.length >= 2) return segments[segments.length - 2] as string;
  const suffix = BigInt(`0x${createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex').slice(0, 16)}`)
    .toString(36)
    .toUpperCase()
    .slice(0, 12)
    .padStart(12, '0');
  const head = `${stackName}-${logicalId}`.slice(0, 64 - suffix.length - 1);
  return `${head}-${suffix}`;
}

function trimHash(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}
