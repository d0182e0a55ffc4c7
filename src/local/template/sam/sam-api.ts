import { createHash } from 'node:crypto';

/**
 * SAM's REST APIs (A4): every `AWS::Serverless::Api`, and the implicit `ServerlessRestApi` that `Api` events without
 * a `RestApiId` share, become a RestApi whose Swagger `Body` holds the routes (`aws_proxy` integrations to the
 * function, or to its alias), a Deployment, and a Stage `<Api><StageName>Stage`; each event gets a Permission.
 */

type Json = Record<string, unknown>;

/** One `Api` event of a function. */
export interface ApiEvent {
  readonly functionId: string;
  readonly eventId: string;
  readonly apiId: string;
  readonly path: string;
  readonly method: string;
  /** The logical id the integration invokes: the function, or its alias when AutoPublishAlias is set. */
  readonly invokes: { readonly functionId: string; readonly aliasId: string | undefined };
  /** The event's `Auth`: another authorizer (or `NONE`) and scopes than the API's default. */
  readonly auth?: { readonly Authorizer?: string; readonly AuthorizationScopes?: readonly string[] } | undefined;
}

/** An API's `Auth` (Cognito authorizers only, what techmoda local enforces). */
interface ApiAuth {
  readonly DefaultAuthorizer?: string;
  readonly AddDefaultAuthorizerToCorsPreflight?: boolean;
  readonly Authorizers?: Record<
    string,
    { UserPoolArn?: unknown; AuthorizationScopes?: string[]; Identity?: { Header?: string }; FunctionArn?: unknown }
  >;
}

/** An API's own properties (after Globals), with the events that route to it. */
export interface ApiDefinition {
  readonly apiId: string;
  readonly properties: Json;
  readonly events: readonly ApiEvent[];
}

/** The Swagger method key SAM writes for an event's Method. */
function methodKey(method: string): string {
  const lower = method.toLowerCase();
  return lower === 'any' ? 'x-amazon-apigateway-any-method' : lower;
}

/** The resources of one API, or the message of its first problem (SAM's wording). */
export function expandApi(api: ApiDefinition): { resources: Record<string, Json> } | { problem: { id: string; message: string } } {
  const auth = api.properties.Auth as ApiAuth | undefined;
  for (const [name, authorizer] of Object.entries(auth?.Authorizers ?? {}))
    if (authorizer.UserPoolArn === undefined)
      return {
        problem: { id: api.apiId, message: `authorizer ${name} is not a Cognito authorizer (UserPoolArn); techmoda local runs those only` },
      };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const event of api.events) {
    const key = methodKey(event.method);
    const methods = paths[event.path] ?? {};
    if (methods[key] !== undefined)
      return { problem: { id: api.apiId, message: `API method "${key}" defined multiple times for path "${event.path}".` } };
    const target = event.invokes.aliasId ? `\${${event.invokes.aliasId}}` : `\${${event.invokes.functionId}.Arn}`;
    const security = securityOf(event, auth);
    methods[key] = {
      'x-amazon-apigateway-integration': {
        httpMethod: 'POST',
        type: 'aws_proxy',
        uri: { 'Fn::Sub': `arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${target}/invocations` },
      },
      ...(security && { security }),
      responses: {},
    };
    paths[event.path] = methods;
  }
  const { StageName, MethodSettings, Name, Auth: _auth, ...rest } = api.properties;
  const unsupported = Object.keys(rest).filter((key) => !passThrough.has(key));
  if (unsupported.length > 0)
    return {
      problem: { id: api.apiId, message: `property ${unsupported[0]} is not supported by techmoda local for AWS::Serverless::Api` },
    };
  if (typeof StageName !== 'string' || StageName.length === 0)
    return { problem: { id: api.apiId, message: "Missing required property 'StageName'." } };
  // The title is the stack's name even when Name is set (observed with samtranslator); Name names the RestApi.
  const securityDefinitions = securityDefinitionsOf(auth);
  const body = {
    swagger: '2.0',
    info: { version: '1.0', title: { Ref: 'AWS::StackName' } },
    paths,
    ...(securityDefinitions && { securityDefinitions }),
  };
  // samtranslator hashes Python's repr of the Swagger; a hash of its JSON is as stable, but not the same id (docs/sam.md).
  const deploymentId = `${api.apiId}Deployment${createHash('sha1').update(JSON.stringify(body)).digest('hex').slice(0, 10)}`;
  const stageId = /^[A-Za-z0-9]+$/.test(StageName)
    ? `${api.apiId}${StageName}Stage`
    : `${api.apiId}Stage${createHash('sha1').update(StageName).digest('hex').slice(0, 10)}`;
  const resources: Record<string, Json> = {
    [api.apiId]: { Type: 'AWS::ApiGateway::RestApi', Properties: { Body: body, ...(Name === undefined ? {} : { Name }) } },
    [deploymentId]: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: {
        RestApiId: { Ref: api.apiId },
        Description: `RestApi deployment id: ${createHash('sha1').update(JSON.stringify(body)).digest('hex')}`,
        StageName: 'Stage',
      },
    },
    [stageId]: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        DeploymentId: { Ref: deploymentId },
        RestApiId: { Ref: api.apiId },
        StageName,
        ...(MethodSettings === undefined ? {} : { MethodSettings }),
      },
    },
  };
  for (const event of api.events) {
    const arnPath = event.path.replace(/\{[^}]+\}/g, '*');
    const arnMethod = methodKey(event.method) === 'x-amazon-apigateway-any-method' ? '*' : event.method.toUpperCase();
    resources[`${event.functionId}${event.eventId}Permission${StageName}`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { Ref: event.invokes.aliasId ?? event.invokes.functionId },
        Principal: 'apigateway.amazonaws.com',
        SourceArn: {
          'Fn::Sub': [
            `arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${__ApiId__}/\${__Stage__}/${arnMethod}${arnPath}`,
            { __ApiId__: { Ref: api.apiId }, __Stage__: '*' },
          ],
        },
      },
    };
  }
  return { resources };
}

/** An operation's `security`: the event's authorizer, else the API's default, with scopes (SAM writes `NONE: []` for NONE). */
function securityOf(event: ApiEvent, auth: ApiAuth | undefined): Record<string, readonly string[]>[] | undefined {
  const name = event.auth?.Authorizer ?? auth?.DefaultAuthorizer;
  if (name === undefined) return undefined;
  if (name === 'NONE') return [{ NONE: [] }];
  const scopes = event.auth?.AuthorizationScopes ?? auth?.Authorizers?.[name]?.AuthorizationScopes ?? [];
  return [{ [name]: scopes }];
}

/** The Swagger `securityDefinitions` of the API's Cognito authorizers, as samtranslator writes them. */
function securityDefinitionsOf(auth: ApiAuth | undefined): Json | undefined {
  const authorizers = Object.entries(auth?.Authorizers ?? {});
  if (authorizers.length === 0) return undefined;
  return Object.fromEntries(
    authorizers.map(([name, authorizer]) => [
      name,
      {
        in: 'header',
        type: 'apiKey',
        name: authorizer.Identity?.Header ?? 'Authorization',
        'x-amazon-apigateway-authorizer': {
          providerARNs: Array.isArray(authorizer.UserPoolArn) ? authorizer.UserPoolArn : [authorizer.UserPoolArn],
          type: 'cognito_user_pools',
        },
        'x-amazon-apigateway-authtype': 'cognito_user_pools',
      },
    ]),
  );
}

/** Serverless::Api properties with no effect on the local cloud (documentation, tracing, endpoint type, tags). */
const passThrough = new Set(['Description', 'TracingEnabled', 'EndpointConfiguration', 'Tags']);
