import type { Finding } from './finding.ts';
import type { ReviewRule } from './review-rule.ts';
import { type ReviewedTemplate, referencedIds, resourcesOfType } from './reviewed-template.ts';

/**
 * AWS managed policies often attached to serverless roles, with their real path (AWS managed policy reference;
 * B 10.8: `AmazonDynamoDBFullAccess` has none, `AWSLambdaBasicExecutionRole` is under `service-role/`). An ARN
 * naming one of these under another path does not exist, and IAM refuses the attachment.
 */
const managedPolicyPaths: Readonly<Record<string, string>> = {
  AmazonDynamoDBFullAccess: '',
  AmazonDynamoDBFullAccess_v2: '',
  AmazonDynamoDBReadOnlyAccess: '',
  AWSLambdaBasicExecutionRole: 'service-role/',
  AWSLambdaDynamoDBExecutionRole: 'service-role/',
  AWSLambdaVPCAccessExecutionRole: 'service-role/',
  AWSLambdaRole: 'service-role/',
};

/** Managed policies that allow reading and writing DynamoDB tables (B 10.9). */
const dynamoDbDataPolicies: Readonly<Record<string, 'all' | 'read'>> = {
  AmazonDynamoDBFullAccess: 'all',
  AmazonDynamoDBFullAccess_v2: 'all',
  AmazonDynamoDBReadOnlyAccess: 'read',
};

interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** A managed policy ARN's path and name, when it is a literal AWS managed policy ARN. */
function managedPolicy(arn: unknown): { path: string; name: string } | undefined {
  const match = typeof arn === 'string' ? /^arn:aws:iam::aws:policy\/(.*?)([^/]+)$/.exec(arn) : null;
  return match ? { path: match[1] as string, name: match[2] as string } : undefined;
}

/** A role's managed policy ARNs and every statement that applies to it: its inline policies and AWS::IAM::Policy resources naming it. */
function roleGrants(template: ReviewedTemplate, roleId: string): { managed: unknown[]; statements: Statement[] } {
  const role = template.resources[roleId];
  const inline = list(role?.Properties?.Policies).flatMap((p) =>
    list((p as { PolicyDocument?: { Statement?: unknown } }).PolicyDocument?.Statement),
  );
  const attached = resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => list(policy.Properties?.Roles).some((r) => referencedIds(r).includes(roleId)))
    .flatMap(([, policy]) => list((policy.Properties?.PolicyDocument as { Statement?: unknown } | undefined)?.Statement));
  return { managed: list(role?.Properties?.ManagedPolicyArns), statements: [...inline, ...attached] as Statement[] };
}

/** A managed-policy ARN that does not exist: the deployment fails when IAM refuses to attach it. */
export const unknownManagedPolicy: ReviewRule = {
  id: 'iam-unknown-managed-policy',
  summary: 'a managed-policy ARN that does not exist: IAM refuses it and the stack rolls back',
  check(template) {
    return resourcesOfType(template, 'AWS::IAM::Role').flatMap(([id, role]) =>
      list(role.Properties?.ManagedPolicyArns).flatMap((arn): Finding[] => {
        const policy = managedPolicy(arn);
        const expected = policy ? managedPolicyPaths[policy.name] : undefined;
        if (!policy || expected === undefined || expected === policy.path) return [];
        return [
          {
            rule: 'iam-unknown-managed-policy',
            severity: 'error',
            resource: id,
            message: `${String(arn)} does not exist: ${policy.name} is at arn:aws:iam::aws:policy/${expected}${policy.name}; IAM refuses the attachment and the stack rolls back (B 10.8)`,
            fix: `use arn:aws:iam::aws:policy/${expected}${policy.name}${dynamoDbDataPolicies[policy.name] ? ', or better, no broad managed policy (for DynamoDB auto scaling, omit RoleARN: the service-linked role does the job, B 10.4-10.6)' : ''}`,
          },
        ];
      }),
    );
  },
};

/** Data access on every table of the account: `dynamodb:*`, `*`, or a full-access managed policy. */
export const wildcardDataAccess: ReviewRule = {
  id: 'iam-wildcard-data-access',
  summary: 'a role that may read and write every table of the account',
  check(template) {
    return resourcesOfType(template, 'AWS::IAM::Role').flatMap(([id]): Finding[] => {
      const { managed, statements } = roleGrants(template, id);
      const broadManaged = managed.map(managedPolicy).find((p) => p && dynamoDbDataPolicies[p.name] === 'all');
      const broadStatement = statements.find(
        (s) =>
          s.Effect === 'Allow' &&
          (list(s.Action).some((a) => a === '*' || a === 'dynamodb:*') ||
            (list(s.Resource).includes('*') && list(s.Action).some((a) => typeof a === 'string' && a.startsWith('dynamodb:')))),
      );
      if (!broadManaged && !broadStatement) return [];
      const what = broadManaged
        ? `the managed policy ${broadManaged.name} (dynamodb:* on every table, DAX and more, B 10.9)`
        : 'a statement allowing DynamoDB actions on every resource';
      return [
        {
          rule: 'iam-wildcard-data-access',
          severity: 'warning',
          resource: id,
          message: `${id} holds ${what}`,
          fix: 'grant only the actions the code calls, on the table and index ARNs (SAM: DynamoDBReadPolicy/DynamoDBCrudPolicy with TableName)',
        },
      ];
    });
  },
};

/** A function whose role grants nothing on the template's tables: every DynamoDB call it makes is AccessDenied in AWS. */
export const functionWithoutTableAccess: ReviewRule = {
  id: 'function-without-table-access',
  summary: 'a function with no permission on the tables: every call is AccessDenied once deployed',
  check(template) {
    const tables = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id, table]) => ({ id, name: table.Properties?.TableName }));
    if (tables.length === 0) return [];
    return resourcesOfType(template, 'AWS::Lambda::Function').flatMap(([id, fn]): Finding[] => {
      const [roleId] = referencedIds(fn.Properties?.Role);
      if (!roleId || template.resources[roleId]?.Type !== 'AWS::IAM::Role') return []; // a role from elsewhere: cannot tell
      const { managed, statements } = roleGrants(template, roleId);
      if (managed.map(managedPolicy).some((p) => p && dynamoDbDataPolicies[p.name])) return [];
      const onTable = statements.some(
        (s) =>
          s.Effect === 'Allow' &&
          list(s.Action).some((a) => a === '*' || (typeof a === 'string' && a.startsWith('dynamodb:'))) &&
          list(s.Resource).some(
            (r) =>
              r === '*' ||
              tables.some((t) => referencedIds(r).includes(t.id) || (typeof t.name === 'string' && JSON.stringify(r).includes(t.name))),
          ),
      );
      if (onTable) return [];
      return [
        {
          rule: 'function-without-table-access',
          severity: 'error',
          resource: id,
          message: `${id}'s role (${roleId}) allows no DynamoDB action on ${tables.map((t) => t.id).join(', ')}: in AWS every call it makes to the table is AccessDenied (IAM is not enforced locally, so only a review shows it)`,
          fix: 'SAM: Policies: [DynamoDBReadPolicy: {TableName: !Ref ProductsTable}] (reads) or DynamoDBCrudPolicy (writes); CDK: table.grantReadData(fn)',
        },
      ];
    });
  },
};
