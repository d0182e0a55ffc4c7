import type { LocalUserPool, RouteAuthorization } from '../../scaling/stack-model.ts';
import { type IntrinsicContext, resolveIntrinsics } from './intrinsics.ts';
import type { CfnResource } from './template-schema.ts';

type Fail = (message: string) => Error;

/** The logical id of a user pool named by `{"Fn::GetAtt": [id, "Arn"]}`, `{"Ref": id}` or an ARN ending in `userpool/id`. */
export function userPoolIdOf(value: unknown, resources: Record<string, CfnResource>): string | undefined {
  let id: unknown;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    id = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'][0] : v.Ref;
  } else if (typeof value === 'string') id = /userpool\/(.+)$/.exec(value)?.[1] ?? value;
  return typeof id === 'string' && resources[id]?.Type === 'AWS::Cognito::UserPool' ? id : undefined;
}

/** The template's user pools with their resource servers' scopes, app clients and domain. */
export function readUserPools(resources: Record<string, CfnResource>, context: IntrinsicContext): LocalUserPool[] {
  const entries = Object.entries(resources);
  const poolOf = (r: CfnResource) => (r.Properties?.UserPoolId as { Ref?: string } | undefined)?.Ref;
  return entries
    .filter(([, r]) => r.Type === 'AWS::Cognito::UserPool')
    .map(([id, pool]) => ({
      logicalId: id,
      name: String(pool.Properties?.UserPoolName ?? id),
      scopes: entries
        .filter(([, r]) => r.Type === 'AWS::Cognito::UserPoolResourceServer' && poolOf(r) === id)
        .flatMap(([, r]) =>
          ((r.Properties?.Scopes as { ScopeName: string }[] | undefined) ?? []).map((s) => `${r.Properties?.Identifier}/${s.ScopeName}`),
        ),
      clients: entries
        .filter(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient' && poolOf(r) === id)
        .map(([clientId, r]) => {
          const p = (resolveIntrinsics(r.Properties ?? {}, context, clientId) ?? {}) as Record<string, unknown>;
          return {
            logicalId: clientId,
            name: String(p.ClientName ?? clientId),
            clientCredentials: ((p.AllowedOAuthFlows as string[] | undefined) ?? []).includes('client_credentials'),
            generateSecret: p.GenerateSecret === true || p.GenerateSecret === 'true',
            scopes: ((p.AllowedOAuthScopes as string[] | undefined) ?? []).map(String),
            accessTokenValiditySeconds: accessTokenSeconds(p),
          };
        }),
      domain: entries.filter(([, r]) => r.Type === 'AWS::Cognito::UserPoolDomain' && poolOf(r) === id).map(([domainId]) => domainId)[0],
    }));
}

/** `AccessTokenValidity` in its `TokenValidityUnits` (default hours); Cognito's default is one hour (B 11.5). */
function accessTokenSeconds(p: Record<string, unknown>): number {
  const value = p.AccessTokenValidity === undefined ? 1 : Number(p.AccessTokenValidity);
  const unit = (p.TokenValidityUnits as { AccessToken?: string } | undefined)?.AccessToken ?? 'hours';
  const perUnit = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 }[unit] ?? 3600;
  return (p.AccessTokenValidity === undefined ? 1 * 3600 : value * perUnit) || 3600;
}

/** What a method's `AuthorizationType`, `AuthorizerId` and `AuthorizationScopes` ask of a caller. */
export function methodAuthorization(
  where: string,
  method: { AuthorizationType?: unknown; AuthorizerId?: unknown; AuthorizationScopes?: unknown },
  resources: Record<string, CfnResource>,
  fail: Fail,
): RouteAuthorization | undefined {
  const type = String(method.AuthorizationType ?? 'NONE');
  if (type === 'NONE') return undefined;
  if (type !== 'COGNITO_USER_POOLS') throw fail(`${where} uses ${type} authorization; techmoda local enforces COGNITO_USER_POOLS only`);
  const authorizerId = (method.AuthorizerId as { Ref?: string } | undefined)?.Ref;
  const authorizer = authorizerId ? resources[authorizerId] : undefined;
  if (!authorizerId || authorizer?.Type !== 'AWS::ApiGateway::Authorizer') throw fail(`${where} names no AWS::ApiGateway::Authorizer`);
  const p = authorizer.Properties ?? {};
  return cognitoAuthorization(
    `authorizer ${authorizerId}`,
    String(p.Name ?? authorizerId),
    p.ProviderARNs,
    p.IdentitySource,
    method.AuthorizationScopes,
    resources,
    fail,
  );
}

/** A Cognito authorizer's pools, header and a method's scopes, checked against the template. */
export function cognitoAuthorization(
  where: string,
  authorizerName: string,
  providers: unknown,
  identitySource: unknown,
  scopes: unknown,
  resources: Record<string, CfnResource>,
  fail: Fail,
): RouteAuthorization {
  const userPools = ((providers as unknown[] | undefined) ?? []).map((arn) => {
    const id = userPoolIdOf(arn, resources);
    if (!id) throw fail(`${where} trusts user pool ${JSON.stringify(arn)}, which is not in this template`);
    return id;
  });
  if (userPools.length === 0) throw fail(`${where} lists no user pool (ProviderARNs)`);
  const source = String(identitySource ?? 'method.request.header.Authorization');
  const header = /^method\.request\.header\.(.+)$/.exec(source)?.[1];
  if (!header) throw fail(`${where} reads its token from ${source}; techmoda local reads a request header`);
  return { authorizerName, userPools, header: header.toLowerCase(), scopes: ((scopes as unknown[] | undefined) ?? []).map(String) };
}

/** An OpenAPI operation's `security` against the body's `securityDefinitions` (what SAM's `Auth` writes, A2). */
export function bodyAuthorization(
  where: string,
  operation: unknown,
  body: { securityDefinitions?: unknown } | undefined,
  resources: Record<string, CfnResource>,
  fail: Fail,
): RouteAuthorization | undefined {
  const requirements = ((operation as { security?: Record<string, unknown>[] }).security ?? []).flatMap((r) => Object.entries(r));
  const definitions = (body?.securityDefinitions ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, scopes] of requirements) {
    const authorizer = definitions[name]?.['x-amazon-apigateway-authorizer'] as { type?: string; providerARNs?: unknown } | undefined;
    if (!authorizer) continue; // SAM's NONE, or an API key: no Cognito check
    if (authorizer.type !== 'cognito_user_pools')
      throw fail(`${where} uses a ${authorizer.type} authorizer; techmoda local enforces cognito_user_pools only`);
    const header = definitions[name]?.name;
    return cognitoAuthorization(
      where,
      name,
      authorizer.providerARNs,
      `method.request.header.${header ?? 'Authorization'}`,
      scopes,
      resources,
      fail,
    );
  }
  return undefined;
}
