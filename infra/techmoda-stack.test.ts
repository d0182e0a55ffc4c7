import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { nagAcknowledgements, publicReadAcknowledgements } from './nag-acknowledgements.ts';

interface Synthesized {
  template: Template;
  resources: Record<string, { Type: string; Properties: any; DeletionPolicy?: string }>;
  nagReport: any;
}

/** Synthesizes the app once with the given context; bundling is skipped (tests read the template, not the code). */
function synth(context: Record<string, unknown> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'techmoda-synth-'));
  const { app, stack } = buildApp(new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } }));
  app.synth();
  const template = Template.fromStack(stack);
  return {
    template,
    resources: template.toJSON().Resources,
    nagReport: JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')),
  };
}

function ofType(s: Synthesized, type: string) {
  return Object.entries(s.resources).filter(([, r]) => r.Type === type);
}

describe('provisioned stack (default context: the lab values)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  it('passes cdk-nag AwsSolutions with every acknowledgement carrying a reason', () => {
    const report = s.nagReport.pluginReports.find((r: any) => r.pluginName === 'AwsSolutions');
    expect(report.conclusion).toBe('success');
    expect(report.violations).toEqual([]);
    const suppressed = new Set(report.suppressedViolations.map((v: { ruleName: string }) => `AwsSolutions::${v.ruleName}`));
    // Every suppressed finding is one we acknowledged, and every acknowledgement is still needed and explained.
    const acknowledged = [...nagAcknowledgements, ...publicReadAcknowledgements];
    expect([...suppressed].sort()).toEqual(acknowledged.map((a) => a.id).sort());
    for (const acknowledgement of acknowledged) expect(acknowledgement.reason.length).toBeGreaterThan(40);
    // The authorization findings are acknowledged on the two GET methods only: a write without the authorizer fails synth.
    const publicMethods = report.suppressedViolations
      .filter((v: { ruleName: string }) => /APIG4|COG4/.test(v.ruleName))
      .flatMap((v: { violatingConstructs: { constructPath: string }[] }) => v.violatingConstructs.map((c) => c.constructPath));
    expect(publicMethods.length).toBe(4);
    for (const path of publicMethods) expect(path).toMatch(/\/GET\/Resource$/);
  });

  it('puts the writes behind a Cognito authorizer with products/write and leaves the reads open', () => {
    const methods = ofType(s, 'AWS::ApiGateway::Method').map(([, r]) => r.Properties);
    const [[authorizerId, authorizer]] = ofType(s, 'AWS::ApiGateway::Authorizer') as [[string, any]];
    expect(authorizer.Properties).toMatchObject({ Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization' });
    for (const method of methods) {
      if (method.HttpMethod === 'GET') expect(method.AuthorizationType).toBe('NONE');
      else
        expect(method).toMatchObject({
          AuthorizationType: 'COGNITO_USER_POOLS',
          AuthorizerId: { Ref: authorizerId },
          AuthorizationScopes: ['products/write'],
        });
    }
    expect(
      methods
        .filter((m) => m.HttpMethod !== 'GET')
        .map((m) => m.HttpMethod)
        .sort(),
    ).toEqual(['DELETE', 'POST', 'PUT']);
    const [[, pool]] = ofType(s, 'AWS::Cognito::UserPool') as [[string, any]];
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 14, RequireSymbols: true });
    const [[, client]] = ofType(s, 'AWS::Cognito::UserPoolClient') as [[string, any]];
    expect(client.Properties).toMatchObject({ AllowedOAuthFlows: ['client_credentials'], GenerateSecret: true });
    expect(ofType(s, 'AWS::Cognito::UserPoolDomain')).toHaveLength(1);
  });

  it('declares the products table: key id, byCategory GSI, 5/5 units, PITR, retained', () => {
    const tables = ofType(s, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [, table] = tables[0] as [string, any];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byCategory',
          KeySchema: [
            { AttributeName: 'category', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      ],
    });
    expect(table.Properties.BillingMode).not.toBe('PAY_PER_REQUEST');
  });

  it('auto-scales reads and writes of the table and the GSI at 70% between 5 and 100, with the service-linked role', () => {
    const targets = ofType(s, 'AWS::ApplicationAutoScaling::ScalableTarget').filter(
      ([, r]) => r.Properties.ServiceNamespace === 'dynamodb',
    );
    expect(targets.map(([, r]) => r.Properties.ScalableDimension).sort()).toEqual([
      'dynamodb:index:ReadCapacityUnits',
      'dynamodb:index:WriteCapacityUnits',
      'dynamodb:table:ReadCapacityUnits',
      'dynamodb:table:WriteCapacityUnits',
    ]);
    for (const [, target] of targets) {
      expect(target.Properties).toMatchObject({ MinCapacity: 5, MaxCapacity: 100 });
      expect(JSON.stringify(target.Properties.RoleARN)).toContain(
        'aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable',
      );
    }
    const policies = ofType(s, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(
      ([, r]) => r.Properties.TargetTrackingScalingPolicyConfiguration,
    );
    const dynamo = policies.filter((p) => p.PredefinedMetricSpecification.PredefinedMetricType.startsWith('DynamoDB'));
    expect(dynamo).toHaveLength(4);
    for (const policy of dynamo) expect(policy.TargetValue).toBe(70);
  });

  it('has no custom scaling role and no full-access managed policy (the lab defect)', () => {
    const text = JSON.stringify(s.resources);
    expect(text).not.toContain('AmazonDynamoDBFullAccess');
    for (const [, role] of ofType(s, 'AWS::IAM::Role')) {
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).not.toContain('application-autoscaling.amazonaws.com');
    }
  });

  it('schedules the example sale: minimums raised 30 minutes before the start, restored at the end', () => {
    const targets = ofType(s, 'AWS::ApplicationAutoScaling::ScalableTarget');
    const byDimension = Object.fromEntries(targets.map(([, r]) => [r.Properties.ScalableDimension, r.Properties.ScheduledActions]));
    expect(byDimension['dynamodb:table:ReadCapacityUnits']).toEqual([
      {
        ScheduledActionName: 'winter-sale-raise',
        Schedule: 'at(2027-01-08T07:30:00)',
        ScalableTargetAction: { MinCapacity: 60, MaxCapacity: 100 },
      },
      {
        ScheduledActionName: 'winter-sale-restore',
        Schedule: 'at(2027-01-08T20:00:00)',
        ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 100 },
      },
    ]);
    expect(byDimension['dynamodb:index:WriteCapacityUnits'][0].ScalableTargetAction).toEqual({ MinCapacity: 30, MaxCapacity: 100 });
    expect(byDimension['lambda:function:ProvisionedConcurrency'][0]).toEqual({
      ScheduledActionName: 'winter-sale-raise',
      Schedule: 'at(2027-01-08T07:30:00)',
      ScalableTargetAction: { MinCapacity: 40, MaxCapacity: 50 },
    });
  });

  it('deploys four functions on nodejs24.x arm64 with deliberate memory and timeout', () => {
    const functions = ofType(s, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(4);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { PRODUCTS_TABLE_NAME: { Ref: expect.stringMatching(/^ProductsTable/) } } },
      });
    }
  });

  it('gives GetProducts reserved concurrency 100 and CreateProduct alias live with provisioned concurrency 10 scaled at 0.7', () => {
    const reserved = ofType(s, 'AWS::Lambda::Function').map(([id, r]) => [
      id.replace(/[0-9A-F]{8}$/, ''),
      r.Properties.ReservedConcurrentExecutions,
    ]);
    expect(reserved).toContainEqual(['FunctionsGetProducts', 100]);
    s.template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 10 },
    });
    s.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'lambda',
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      MinCapacity: 10,
      MaxCapacity: 50,
    });
    s.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 0.7,
        PredefinedMetricSpecification: { PredefinedMetricType: 'LambdaProvisionedConcurrencyUtilization' },
      },
    });
  });

  it('grants each function only the DynamoDB actions it calls, on the table (and index for reads)', () => {
    const actionsByFunction: Record<string, string[]> = {};
    for (const [id, policy] of ofType(s, 'AWS::IAM::Policy')) {
      const statements = policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
      const dynamo = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
      actionsByFunction[id.replace(/ServiceRoleDefaultPolicy.*$/, '')] = dynamo.flatMap((st) => [st.Action].flat()).sort();
      for (const st of dynamo) expect(JSON.stringify(st.Resource)).not.toBe('"*"');
    }
    expect(actionsByFunction).toEqual({
      FunctionsGetProducts: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
      FunctionsCreateProduct: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      FunctionsUpdateProduct: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      FunctionsDeleteProduct: ['dynamodb:DeleteItem', 'dynamodb:GetItem'],
    });
  });

  it('serves the product routes from a stage with default method throttling, access logs and tracing', () => {
    const methods = ofType(s, 'AWS::ApiGateway::Method')
      .map(([, r]) => r.Properties.HttpMethod)
      .sort();
    expect(methods).toEqual(['DELETE', 'GET', 'GET', 'POST', 'PUT']);
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 })],
    });
    // POST goes to the alias, where the provisioned concurrency is.
    const post = ofType(s, 'AWS::ApiGateway::Method').find(([, r]) => r.Properties.HttpMethod === 'POST')?.[1];
    expect(JSON.stringify(post?.Properties.Integration.Uri)).toContain('CreateProductLive');
  });

  it('alarms on read and write throttles of table and GSI, Lambda throttles and errors, API 5XX and p99, and concurrency at 80%', () => {
    const alarms = ofType(s, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    const dynamo = alarms.filter((a) => a.Namespace === 'AWS/DynamoDB');
    expect(dynamo.map((a) => `${a.MetricName}:${a.Dimensions.length}`).sort()).toEqual([
      'ReadThrottleEvents:1',
      'ReadThrottleEvents:2',
      'WriteThrottleEvents:1',
      'WriteThrottleEvents:2',
    ]);
    const lambda = alarms.filter((a) => a.Namespace === 'AWS/Lambda');
    expect(lambda.filter((a) => a.MetricName === 'Throttles')).toHaveLength(4);
    expect(lambda.filter((a) => a.MetricName === 'Errors')).toHaveLength(4);
    expect(lambda.find((a) => a.MetricName === 'ConcurrentExecutions')).toMatchObject({ Threshold: 80, Statistic: 'Maximum' });
    expect(alarms.find((a) => a.MetricName === '5XXError')).toMatchObject({ Statistic: 'Average', Threshold: 0.01 });
    expect(alarms.find((a) => a.MetricName === 'Latency')).toMatchObject({ ExtendedStatistic: 'p99', Threshold: 1000 });
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
    expect(ofType(s, 'AWS::SNS::Subscription')).toHaveLength(0);
    expect(ofType(s, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });
});

describe('on-demand stack with options', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      billingMode: 'on-demand',
      maxReadRequestUnits: '2000',
      maxWriteRequestUnits: '500',
      warmReadUnitsPerSecond: '30000',
      warmWriteUnitsPerSecond: '8000',
      alarmEmail: 'oncall@techmoda.example',
      sales: JSON.stringify([
        {
          name: 'black-friday',
          startsAt: '2027-11-26T00:00:00Z',
          endsAt: '2027-11-27T00:00:00Z',
          minReadCapacity: 1,
          minWriteCapacity: 1,
          minProvisionedConcurrency: 80,
          leadMinutes: 60,
        },
      ]),
    });
  });

  it('is pay-per-request with maximum throughput and no DynamoDB auto scaling', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      OnDemandThroughput: { MaxReadRequestUnits: 2000, MaxWriteRequestUnits: 500 },
    });
    const namespaces = ofType(s, 'AWS::ApplicationAutoScaling::ScalableTarget').map(([, r]) => r.Properties.ServiceNamespace);
    expect(namespaces).toEqual(['lambda']);
  });

  it('pre-warms the table and its GSI to the warm throughput asked for', () => {
    const warm = { ReadUnitsPerSecond: 30_000, WriteUnitsPerSecond: 8_000 };
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      WarmThroughput: warm,
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byCategory', WarmThroughput: warm })],
    });
  });

  it('still pre-scales provisioned concurrency for the sale, raising the maximum to fit the minimum', () => {
    s.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'lambda',
      ScheduledActions: [
        {
          ScheduledActionName: 'black-friday-raise',
          Schedule: 'at(2027-11-25T23:00:00)',
          ScalableTargetAction: { MinCapacity: 80, MaxCapacity: 80 },
        },
        {
          ScheduledActionName: 'black-friday-restore',
          Schedule: 'at(2027-11-27T00:00:00)',
          ScalableTargetAction: { MinCapacity: 10, MaxCapacity: 50 },
        },
      ],
    });
  });

  it('subscribes the alarm e-mail and stays nag-clean', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@techmoda.example' });
    expect(s.nagReport.pluginReports[0].violations).toEqual([]);
  });
});
