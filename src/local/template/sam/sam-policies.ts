/**
 * A function's `Policies` as SAM turns them into its role (A3): a managed policy's name or ARN goes into
 * `ManagedPolicyArns`; a policy template becomes an inline policy `<Fn>RolePolicy<i>`; an inline document is kept.
 * Only the DynamoDB templates are expanded (the actions samtranslator's policy_templates.json gives them); IAM is
 * not enforced locally, so the role matters to `techmoda review`, not to the local cloud.
 */

type Json = Record<string, unknown>;

// Fn::Sub's own ${...} syntax, escaped in these template literals.
const tableArn = (table: unknown) => ({
  'Fn::Sub': [`arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${tableName}`, { tableName: table }],
});
const indexArn = (table: unknown) => ({
  'Fn::Sub': [`arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${tableName}/index/*`, { tableName: table }],
});

const templates: Record<string, readonly string[]> = {
  DynamoDBCrudPolicy: [
    'dynamodb:GetItem',
    'dynamodb:DeleteItem',
    'dynamodb:PutItem',
    'dynamodb:Scan',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:BatchGetItem',
    'dynamodb:DescribeTable',
    'dynamodb:ConditionCheckItem',
  ],
  DynamoDBReadPolicy: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'],
  DynamoDBWritePolicy: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
};

/** The policy templates this expansion knows. */
export const policyTemplateNames = Object.keys(templates);

/** The role's managed policies and inline policies; throws UnknownPolicyTemplateError for a template it does not know. */
export function expandPolicies(functionId: string, policies: unknown): { managed: unknown[]; inline: Json[] } {
  const list = policies === undefined ? [] : Array.isArray(policies) ? policies : [policies];
  const managed: unknown[] = [];
  const inline: Json[] = [];
  list.forEach((policy, index) => {
    if (typeof policy === 'string') managed.push(policy.startsWith('arn:') ? policy : `arn:aws:iam::aws:policy/${policy}`);
    else if (isObject(policy) && 'Statement' in policy)
      inline.push({ PolicyName: `${functionId}RolePolicy${index}`, PolicyDocument: policy });
    else if (isObject(policy) && (Object.keys(policy)[0] ?? '').startsWith('Fn::')) managed.push(policy);
    else if (isObject(policy) && Object.keys(policy).length === 1) {
      const [name, parameters] = Object.entries(policy)[0] as [string, unknown];
      const actions = templates[name];
      if (!actions) throw new UnknownPolicyTemplateError(name);
      const table = isObject(parameters) ? parameters.TableName : undefined;
      inline.push({
        PolicyName: `${functionId}RolePolicy${index}`,
        PolicyDocument: { Statement: [{ Action: [...actions], Resource: [tableArn(table), indexArn(table)], Effect: 'Allow' }] },
      });
    } else throw new UnknownPolicyTemplateError(JSON.stringify(policy));
  });
  return { managed, inline };
}

/** A policy template this expansion does not know. */
export class UnknownPolicyTemplateError extends Error {
  constructor(readonly template: string) {
    super(
      `policy template ${template} is not supported by techmoda local (supported: ${policyTemplateNames.join(', ')}, managed policy names and ARNs, inline documents)`,
    );
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
