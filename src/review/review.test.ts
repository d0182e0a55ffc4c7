import { describe, expect, it } from 'vitest';
import { review } from './review.ts';
import type { Resource, ReviewedTemplate } from './reviewed-template.ts';

const template = (resources: Record<string, Resource>): ReviewedTemplate => ({ resources, transformFindings: [] });
const rulesOf = (t: ReviewedTemplate, today = '2026-11-30') =>
  review(t, { today: new Date(`${today}T00:00:00Z`) }).findings.map((f) => `${f.severity} ${f.rule} ${f.resource}`);
const fn = (properties: Record<string, unknown> = {}): Resource => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'nodejs24.x', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, ...properties },
});
const role = (properties: Record<string, unknown> = {}): Resource => ({ Type: 'AWS::IAM::Role', Properties: properties });
const throttlesAlarm: Resource = { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/Lambda', MetricName: 'Throttles' } };

describe('techmoda review rules', () => {
  it('runtime dates: a warning six months before deprecation and after it, an error once creation is blocked (B 10.1, 10.2)', () => {
    const t = template({ F: fn({ Runtime: 'nodejs20.x' }), Role: role(), A: throttlesAlarm });
    expect(rulesOf(t, '2025-09-01')).toEqual([]);
    expect(rulesOf(t, '2025-11-15')).toEqual(['warning runtime-deprecated F']);
    expect(rulesOf(t, '2026-05-01')).toEqual(['warning runtime-deprecated F']);
    expect(rulesOf(t, '2026-08-31')).toEqual(['error runtime-deprecated F']);
  });

  it('wildcard data access in a statement, and a function without access to the table', () => {
    const table: Resource = {
      Type: 'AWS::DynamoDB::Table',
      Properties: { BillingMode: 'PAY_PER_REQUEST', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    };
    const alarms = {
      R: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Namespace: 'AWS/DynamoDB',
          MetricName: 'ThrottledRequests',
          Dimensions: [{ Name: 'TableName', Value: { Ref: 'T' } }],
        },
      },
      A: throttlesAlarm,
    };
    const wildcard = role({ Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] } }] });
    expect(rulesOf(template({ F: fn(), Role: wildcard, T: table, ...alarms }))).toEqual(['warning iam-wildcard-data-access Role']);
    expect(rulesOf(template({ F: fn(), Role: role(), T: table, ...alarms }))).toEqual(['error function-without-table-access F']);
    const scoped = role({
      Policies: [
        { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [{ 'Fn::GetAtt': ['T', 'Arn'] }] }] } },
      ],
    });
    expect(rulesOf(template({ F: fn(), Role: scoped, T: table, ...alarms }))).toEqual([]);
  });

  it('PITR off, throttles unalarmed; an account-wide Throttles alarm covers every function', () => {
    const t = template({
      F: fn(),
      Role: role({ ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'] }),
      T: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
      A: throttlesAlarm,
    });
    expect(rulesOf(t)).toEqual(['warning throttles-unalarmed T', 'warning table-pitr-off T']);
  });

  it('a finding acknowledged in Metadata with a reason moves to the acknowledged list; one without a reason does not', () => {
    const acknowledged = (reason: string) =>
      template({
        F: {
          ...fn({ Runtime: 'nodejs14.x' }),
          Metadata: { 'techmoda:review': { acknowledged: [{ rule: 'runtime-deprecated', reason }] } },
        },
        Role: role(),
        A: throttlesAlarm,
      });
    const result = review(acknowledged('a test fixture'), { today: new Date('2026-11-30') });
    expect(result.findings).toEqual([]);
    expect(result.acknowledged).toEqual([expect.objectContaining({ rule: 'runtime-deprecated', resource: 'F', reason: 'a test fixture' })]);
    expect(review(acknowledged(''), { today: new Date('2026-11-30') }).findings.map((f) => f.rule)).toEqual(['runtime-deprecated']);
    expect(review(acknowledged('x'), { today: new Date('2026-11-30'), ignore: ['runtime-deprecated'] }).acknowledged).toEqual([]);
  });
});
