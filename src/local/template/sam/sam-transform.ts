import { createHash } from 'node:crypto';
import { AppError } from '../../../common/app-error.ts';
import { type ApiEvent, expandApi } from './sam-api.ts';
import { globalsProblem, globalsSections, mergeGlobals } from './sam-globals.ts';
import { expandPolicies, UnknownPolicyTemplateError } from './sam-policies.ts';

/**
 * The SAM transform (`Transform: AWS::Serverless-2016-10-31`) in TypeScript, producing what samtranslator produces
 * for the subset the local cloud runs (docs/sam.md): the same logical ids (`<Fn>Role`, `<Fn>Version<hash>`,
 * `<Fn>Alias<name>`, `ServerlessRestApi`, `ServerlessRestApiProdStage` ...), so alarm dimensions, alias names and
 * the reader's routes match a deployed stack. Errors are SAM's, in SAM's words, all reported at once.
 */

type Json = Record<string, unknown>;
export const samTransform = 'AWS::Serverless-2016-10-31';

/** The template breaks the SAM transform: the message is what CloudFormation shows. */
export class SamTransformError extends AppError {
  constructor(problems: readonly { id: string; message: string }[]) {
    const listed = problems.map((p) => (p.id === 'Globals' ? p.message : `Resource with id [${p.id}] is invalid. ${p.message}`));
    super(
      'TEMPLATE_INVALID',
      `Transform ${samTransform} failed with: Invalid Serverless Application Specification document. Number of errors found: ${problems.length}. ${listed.join(' ')}`,
    );
  }
}

/** Properties of AWS::Serverless::Function the transform handles. */
const functionProperties = [
  'Handler',
  'Runtime',
  'CodeUri',
  'InlineCode',
  'MemorySize',
  'Timeout',
  'Environment',
  'ReservedConcurrentExecutions',
  'AutoPublishAlias',
  'ProvisionedConcurrencyConfig',
  'Policies',
  'Role',
  'Events',
  'FunctionName',
  'Description',
  'Architectures',
  'Tags',
  'Tracing',
  'KmsKeyArn',
];
const apiProperties = ['StageName', 'MethodSettings', 'Name', 'Description', 'TracingEnabled', 'EndpointConfiguration', 'Tags', 'Auth'];
const simpleTableProperties = [
  'PrimaryKey',
  'ProvisionedThroughput',
  'TableName',
  'Tags',
  'SSESpecification',
  'PointInTimeRecoverySpecification',
];

/** Whether a template asks for the SAM transform. */
export function usesSam(template: Json): boolean {
  const transform = template.Transform;
  return transform === samTransform || (Array.isArray(transform) && transform.includes(samTransform));
}

/** Expands the template's Serverless resources; every other resource passes through unchanged. */
export function expandSam(template: Json): Json {
  const resources = (template.Resources ?? {}) as Record<string, Json>;
  const globals = (template.Globals ?? {}) as Record<string, Json>;
  const problems: { id: string; message: string }[] = [];
  const globalsIssue = globalsProblem(globals, { Function: functionProperties, Api: apiProperties, SimpleTable: simpleTableProperties });
  if (globalsIssue) throw new SamTransformError([{ id: 'Globals', message: globalsIssue }]);
  const withGlobals = (resource: Json): Json => {
    const section = Object.entries(globalsSections).find(([, type]) => type === resource.Type)?.[0];
    return section ? (mergeGlobals(globals[section], resource.Properties ?? {}) as Json) : ((resource.Properties ?? {}) as Json);
  };
  const output: Record<string, Json> = {};
  const apis = new Map<string, { properties: Json; events: ApiEvent[] }>();
  for (const [id, resource] of Object.entries(resources))
    if (resource.Type === 'AWS::Serverless::Api') apis.set(id, { properties: withGlobals(resource), events: [] });

  for (const [id, resource] of Object.entries(resources)) {
    const type = String(resource.Type);
    if (type === 'AWS::Serverless::Function') {
      const result = expandFunction(
        id,
        resource,
        withGlobals(resource),
        apis,
        withGlobals({ Type: 'AWS::Serverless::Api', Properties: {} }),
      );
      if ('problem' in result) problems.push({ id, message: result.problem });
      else Object.assign(output, result.resources);
    } else if (type === 'AWS::Serverless::SimpleTable') {
      const result = expandSimpleTable(withGlobals(resource));
      if ('problem' in result) problems.push({ id, message: result.problem });
      else output[id] = result.resource;
    } else if (type === 'AWS::Serverless::Api') {
      // Expanded below, once every function's events are known.
    } else if (type.startsWith('AWS::Serverless::')) {
      problems.push({ id, message: `Resource type ${type} is not supported by techmoda local (it runs Function, Api and SimpleTable).` });
    } else output[id] = resource;
  }
  for (const [apiId, api] of apis) {
    const result = expandApi({ apiId, properties: api.properties, events: api.events });
    if ('problem' in result) problems.push(result.problem);
    else Object.assign(output, result.resources);
  }
  if (problems.length > 0) throw new SamTransformError(problems);
  const { Transform: _transform, Globals: _globals, ...rest } = template;
  return { ...rest, Resources: output };
}

function expandFunction(
  id: string,
  resource: Json,
  properties: Json,
  apis: Map<string, { properties: Json; events: ApiEvent[] }>,
  implicitApiProperties: Json,
): { resources: Record<string, Json> } | { problem: string } {
  const unknown = Object.keys(properties).find((key) => !functionProperties.includes(key));
  if (unknown) return { problem: `property ${unknown} not defined for resource of type AWS::Serverless::Function` };
  const p = properties;
  if (p.InlineCode !== undefined && p.CodeUri !== undefined) return { problem: "Only one of 'InlineCode' or 'CodeUri' can be set." };
  if (p.InlineCode !== undefined) return { problem: 'InlineCode is not supported by techmoda local: give a CodeUri directory.' };
  const alias = p.AutoPublishAlias;
  if (p.ProvisionedConcurrencyConfig !== undefined && alias === undefined)
    return { problem: 'To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function' };
  if (alias !== undefined && (typeof alias !== 'string' || !/^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/.test(alias)))
    return { problem: `AutoPublishAlias must match the pattern (?!^[0-9]+$)([a-zA-Z0-9-_]+)$, got ${JSON.stringify(alias)}.` };
  const code = codeOf(p.CodeUri);
  const functionResource: Json = {
    Type: 'AWS::Lambda::Function',
    Properties: {
      Code: code,
      ...pick(p, [
        'Handler',
        'Runtime',
        'MemorySize',
        'Timeout',
        'Environment',
        'ReservedConcurrentExecutions',
        'FunctionName',
        'Description',
        'Architectures',
        'KmsKeyArn',
      ]),
      ...(p.Tracing === undefined ? {} : { TracingConfig: { Mode: p.Tracing } }),
      Role: p.Role ?? { 'Fn::GetAtt': [`${id}Role`, 'Arn'] },
      Tags: [{ Key: 'lambda:createdBy', Value: 'SAM' }, ...Object.entries((p.Tags ?? {}) as Json).map(([Key, Value]) => ({ Key, Value }))],
    },
    // Where the code is, for the local cloud: SAM CLI reads CodeUri from the template the same way (A8).
    Metadata: { ...((resource.Metadata ?? {}) as Json), SamResourceId: id, 'techmoda:CodeUri': p.CodeUri ?? '.' },
  };
  const resources: Record<string, Json> = { [id]: functionResource };
  if (p.Role === undefined) {
    let policies: ReturnType<typeof expandPolicies>;
    try {
      policies = expandPolicies(id, p.Policies);
    } catch (error) {
      if (error instanceof UnknownPolicyTemplateError) return { problem: error.message };
      throw error;
    }
    resources[`${id}Role`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } }],
        },
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', ...policies.managed],
        ...(policies.inline.length > 0 ? { Policies: policies.inline } : {}),
        Tags: [{ Key: 'lambda:createdBy', Value: 'SAM' }],
      },
    };
  }
  let aliasId: string | undefined;
  if (typeof alias === 'string') {
    const versionId = `${id}Version${versionHash(code, p.Environment, p.MemorySize)}`;
    aliasId = `${id}Alias${alias.replace(/-/g, 'D').replace(/_/g, 'U')}`;
    resources[versionId] = { Type: 'AWS::Lambda::Version', DeletionPolicy: 'Retain', Properties: { FunctionName: { Ref: id } } };
    resources[aliasId] = {
      Type: 'AWS::Lambda::Alias',
      Properties: {
        Name: alias,
        FunctionName: { Ref: id },
        FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
        ...(p.ProvisionedConcurrencyConfig === undefined ? {} : { ProvisionedConcurrencyConfig: p.ProvisionedConcurrencyConfig }),
      },
    };
  }
  for (const [eventId, event] of Object.entries((p.Events ?? {}) as Record<string, Json>)) {
    if (event.Type !== 'Api')
      return {
        problem: `Event with id [${eventId}] is invalid. Event type ${String(event.Type)} is not supported by techmoda local (it runs Api events).`,
      };
    const e = (event.Properties ?? {}) as Json;
    if (typeof e.Path !== 'string' || typeof e.Method !== 'string')
      return { problem: `Event with id [${eventId}] is invalid. Path and Method are required.` };
    let apiId = 'ServerlessRestApi';
    if (e.RestApiId !== undefined) {
      const ref = (e.RestApiId as Json | undefined)?.Ref;
      if (typeof ref !== 'string' || !apis.has(ref))
        return {
          problem: `Event with id [${eventId}] is invalid. RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.`,
        };
      apiId = ref;
    } else if (!apis.has(apiId)) apis.set(apiId, { properties: { ...implicitApiProperties, StageName: 'Prod' }, events: [] });
    apis.get(apiId)?.events.push({
      functionId: id,
      eventId,
      apiId,
      path: e.Path,
      method: e.Method,
      invokes: { functionId: id, aliasId },
      auth: e.Auth as ApiEvent['auth'],
    });
  }
  return { resources };
}

function expandSimpleTable(p: Json): { resource: Json } | { problem: string } {
  const unknown = Object.keys(p).find((key) => !simpleTableProperties.includes(key));
  if (unknown) return { problem: `property ${unknown} not defined for resource of type AWS::Serverless::SimpleTable` };
  const key = (p.PrimaryKey ?? { Name: 'id', Type: 'String' }) as { Name?: unknown; Type?: unknown };
  const attributeType = ({ String: 'S', Number: 'N', Binary: 'B' } as Record<string, string>)[String(key.Type)];
  if (!attributeType) return { problem: `PrimaryKey Type must be String, Number or Binary, got ${String(key.Type)}.` };
  return {
    resource: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        AttributeDefinitions: [{ AttributeName: key.Name, AttributeType: attributeType }],
        KeySchema: [{ AttributeName: key.Name, KeyType: 'HASH' }],
        ...(p.ProvisionedThroughput === undefined
          ? { BillingMode: 'PAY_PER_REQUEST' }
          : { ProvisionedThroughput: p.ProvisionedThroughput }),
        ...pick(p, ['TableName', 'SSESpecification', 'PointInTimeRecoverySpecification']),
        ...(p.Tags === undefined ? {} : { Tags: Object.entries(p.Tags as Json).map(([Key, Value]) => ({ Key, Value })) }),
      },
    },
  };
}

/** CodeUri as the function's Code: `s3://bucket/key[?versionId=v]` or `{Bucket, Key, Version}` as S3; a local path as SAM CLI keeps it. */
function codeOf(codeUri: unknown): Json {
  if (typeof codeUri === 'string' && codeUri.startsWith('s3://')) {
    const url = new URL(codeUri);
    const version = url.searchParams.get('versionId');
    return { S3Bucket: url.host, S3Key: url.pathname.slice(1), ...(version ? { S3ObjectVersion: version } : {}) };
  }
  if (typeof codeUri === 'object' && codeUri !== null) {
    const { Bucket, Key, Version } = codeUri as Json;
    return { S3Bucket: Bucket, S3Key: Key, ...(Version === undefined ? {} : { S3ObjectVersion: Version }) };
  }
  return { S3Bucket: 'techmoda-local', S3Key: String(codeUri ?? '.') };
}

/** samtranslator's version id hash: SHA-1 of compact, key-sorted JSON of Code with Environment and MemorySize merged in. */
function versionHash(code: Json, environment: unknown, memorySize: unknown): string {
  const data: Json = { ...code, ...((environment ?? {}) as Json), ...(memorySize ? { MemorySize: memorySize } : {}) };
  return createHash('sha1').update(sortedJson(data)).digest('hex').slice(0, 10);
}

/** JSON with keys sorted at every level and no spaces, as Python's json.dumps(sort_keys=True, separators=(",", ":")). */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson((value as Json)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function pick(source: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}
