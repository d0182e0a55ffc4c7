import type { Finding } from './finding.ts';
import type { ReviewRule } from './review-rule.ts';
import { resourcesOfType } from './reviewed-template.ts';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'ANY']);

/**
 * A method that changes data with no authorization: whoever reaches the stage can create, change or delete the
 * catalogue. Reads may stay public (shoppers browse without signing in); writes need a caller.
 */
export const writesUnauthorized: ReviewRule = {
  id: 'writes-unauthorized',
  summary: 'a write method (POST, PUT, PATCH, DELETE) anyone can call: no authorizer',
  check(template) {
    const findings: Finding[] = [];
    const finding = (resource: string, what: string): Finding => ({
      rule: 'writes-unauthorized',
      severity: 'error',
      resource,
      message: `${what} has no authorization: anyone who reaches the stage can change the catalogue`,
      fix: 'a COGNITO_USER_POOLS authorizer with a write scope on the write methods (SAM: Auth.Authorizers with a Cognito UserPoolArn, and Auth: {Authorizer: NONE} on the reads)',
    });
    for (const [id, method] of resourcesOfType(template, 'AWS::ApiGateway::Method')) {
      const httpMethod = String(method.Properties?.HttpMethod ?? '').toUpperCase();
      const type = String(method.Properties?.AuthorizationType ?? 'NONE');
      if (writeMethods.has(httpMethod) && type === 'NONE') findings.push(finding(id, `${httpMethod} method ${id}`));
    }
    // SAM and OpenAPI APIs declare their methods in the RestApi's Body: an operation with no security requirement.
    for (const [id, api] of resourcesOfType(template, 'AWS::ApiGateway::RestApi')) {
      const body = api.Properties?.Body as { paths?: Record<string, Record<string, { security?: object[] }>>; security?: object[] };
      for (const [path, operations] of Object.entries(body?.paths ?? {}))
        for (const [key, operation] of Object.entries(operations)) {
          const httpMethod = key === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase();
          const security = operation.security ?? body?.security ?? [];
          const secured = security.some((requirement) => Object.keys(requirement).some((name) => name !== 'NONE'));
          if (writeMethods.has(httpMethod) && !secured) findings.push(finding(id, `${httpMethod} ${path}`));
        }
    }
    return findings;
  },
};
