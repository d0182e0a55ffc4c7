import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, startCli } from './support/cli-process.ts';
import { eventually } from './support/eventually.ts';

// The AWS SDK for JavaScript v3 against the local cloud's AWS endpoint (CloudWatch speaks JSON 1.0 from this SDK).
// The cloud runs at time scale 60: a virtual minute of metrics, alarms and auto scaling passes in a real second.
const table = 'TechModaProductApi-ProductsTable';
let stop: () => Promise<unknown> = async () => {};
let lambda: LambdaClient;
let autoScaling: ApplicationAutoScalingClient;
let cloudWatch: CloudWatchClient;
let dynamoDb: DynamoDBClient;

beforeAll(async () => {
  const { child, lines } = await startCli(['local', '--port', '0', '--time-scale', '60'], /Ctrl-C stops/);
  stop = () => {
    child.kill('SIGTERM');
    return exitCode(child);
  };
  const endpoint = (lines.find((l) => l.startsWith('AWS ')) as string).slice('AWS '.length);
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
  lambda = new LambdaClient(config);
  autoScaling = new ApplicationAutoScalingClient(config);
  cloudWatch = new CloudWatchClient(config);
  dynamoDb = new DynamoDBClient(config);
});
afterAll(() => stop());

/** The error a command fails with (its name is AWS's code, as the SDK parses it). */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the command to fail');
}

/** Reads the table through the AWS endpoint about 10 times a second until stopped: 5 read units a second. */
function readTraffic(): () => void {
  const timer = setInterval(() => {
    dynamoDb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'no-such-product' } } })).catch(() => {});
  }, 100);
  return () => clearInterval(timer);
}

describe('LambdaClient against the local cloud', () => {
  it('lists and describes the functions, and changes and reads concurrency', async () => {
    const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
    expect(Functions.map((f) => f.FunctionName).sort()).toEqual(['CreateProduct', 'DeleteProduct', 'GetProducts', 'UpdateProduct']);
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'GetProducts' }))).Configuration).toMatchObject({ MemorySize: 512 });
    expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'UpdateProduct' }))).toMatchObject({ Timeout: 10 });
    expect(
      (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'DeleteProduct' }))).ReservedConcurrentExecutions,
    ).toBeUndefined();
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'DeleteProduct', ReservedConcurrentExecutions: 7 }));
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'DeleteProduct' }))).ReservedConcurrentExecutions).toBe(7);
    expect((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions).toBe(1_000 - 100 - 7);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'DeleteProduct' }));
    const missing = await failure(lambda.send(new GetFunctionCommand({ FunctionName: 'Nope' })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    const tooMuch = await failure(
      lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'DeleteProduct', ReservedConcurrentExecutions: 901 })),
    );
    expect(tooMuch.name).toBe('InvalidParameterValueException');
  });

  it('provisioned concurrency goes IN_PROGRESS, then READY after the allocation delay; Invoke runs the function', async () => {
    const config = { FunctionName: 'UpdateProduct', Qualifier: 'live' };
    const put = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ ...config, ProvisionedConcurrentExecutions: 2 }));
    expect(put.Status).toBe('IN_PROGRESS');
    const ready = await eventually(async () => {
      const got = await lambda.send(new GetProvisionedConcurrencyConfigCommand(config));
      return got.Status === 'READY' ? got : undefined;
    });
    expect(ready.AllocatedProvisionedConcurrentExecutions).toBe(2);
    const { ProvisionedConcurrencyConfigs = [] } = await lambda.send(
      new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'UpdateProduct' }),
    );
    expect(ProvisionedConcurrencyConfigs).toHaveLength(1);
    await lambda.send(new DeleteProvisionedConcurrencyConfigCommand(config));
    expect((await failure(lambda.send(new GetProvisionedConcurrencyConfigCommand(config)))).name).toBe(
      'ProvisionedConcurrencyConfigNotFoundException',
    );
    const event = {
      httpMethod: 'GET',
      path: '/products',
      resource: '/products',
      queryStringParameters: { limit: '1' },
      headers: {},
      requestContext: {},
    };
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'GetProducts', Payload: Buffer.from(JSON.stringify(event)) }));
    expect(invoked.StatusCode).toBe(200);
    expect(JSON.parse(Buffer.from(invoked.Payload ?? []).toString('utf8'))).toMatchObject({ statusCode: 200 });
  });
});

describe('ApplicationAutoScalingClient and CloudWatchClient against the local cloud', () => {
  it('a new alarm on ConsumedReadCapacityUnits evaluates on the traffic; its history and state can be read and set', async () => {
    const alarmName = 'sdk-reads-above-10';
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: alarmName,
        Namespace: 'AWS/DynamoDB',
        MetricName: 'ConsumedReadCapacityUnits',
        Dimensions: [{ Name: 'TableName', Value: table }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    const stopTraffic = readTraffic();
    try {
      const alarm = await eventually(async () => {
        const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], StateValue: 'ALARM' }));
        return MetricAlarms[0];
      });
      expect(alarm.StateReason).toMatch(
        /^Threshold Crossed: 1 out of the last 1 datapoints \[[\d.]+ \(.*\)\] was greater than the threshold \(10\.0\)/,
      );
      expect(alarm.StateUpdatedTimestamp).toBeInstanceOf(Date);
    } finally {
      stopTraffic();
    }
    const { AlarmHistoryItems = [] } = await cloudWatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: alarmName, HistoryItemType: 'StateUpdate' }),
    );
    expect(AlarmHistoryItems[0]?.HistorySummary).toMatch(/to ALARM$/);
    expect(JSON.parse(AlarmHistoryItems[0]?.HistoryData ?? '{}').newState.stateValue).toBe('ALARM');
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'OK', StateReason: 'silenced by hand' }));
    const { Datapoints = [] } = await cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/DynamoDB',
        MetricName: 'ConsumedReadCapacityUnits',
        Dimensions: [{ Name: 'TableName', Value: table }],
        StartTime: new Date(Date.now() - 3_600_000),
        EndTime: new Date(Date.now() + 3_600_000),
        Period: 3_600,
        Statistics: ['Sum', 'Maximum'],
      }),
    );
    expect(Datapoints.reduce((sum, p) => sum + (p.Sum ?? 0), 0)).toBeGreaterThan(10);
    expect(Datapoints[0]?.Timestamp).toBeInstanceOf(Date);
    const { MetricDataResults = [] } = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.now() - 3_600_000),
        EndTime: new Date(Date.now() + 3_600_000),
        MetricDataQueries: [
          {
            Id: 'reads',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/DynamoDB',
                MetricName: 'ConsumedReadCapacityUnits',
                Dimensions: [{ Name: 'TableName', Value: table }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    expect(MetricDataResults[0]?.Values?.length).toBeGreaterThan(0);
    const { Metrics = [] } = await cloudWatch.send(
      new ListMetricsCommand({ Namespace: 'AWS/DynamoDB', Dimensions: [{ Name: 'TableName', Value: table }] }),
    );
    expect(Metrics.map((m) => m.MetricName)).toContain('ConsumedReadCapacityUnits');
    await cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarmName] }));
    const gone = await failure(cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarmName] })));
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(['ResourceNotFound', 404]);
    const both = await failure(
      cloudWatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'N',
          MetricName: 'M',
          StartTime: new Date(0),
          EndTime: new Date(60_000),
          Period: 60,
          Statistics: ['Sum'],
          ExtendedStatistics: ['p99'],
        }),
      ),
    );
    // The SDK names the error by its JSON shape and keeps the query code, from x-amzn-query-error, as Code.
    expect([both.name, (both as unknown as { Code: string }).Code]).toEqual([
      'InvalidParameterCombinationException',
      'InvalidParameterCombination',
    ]);
  });

  it('a scalable target and policy registered through the API scale the table under traffic', async () => {
    const target = {
      ServiceNamespace: 'dynamodb' as const,
      ResourceId: `table/${table}`,
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits' as const,
    };
    // Replace the template's target (and its 70% policy) with one of our own at 20%.
    await autoScaling.send(new DeregisterScalableTargetCommand(target));
    expect(
      (
        await autoScaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', ResourceId: target.ResourceId }))
      ).ScalingPolicies?.map((p) => p.ScalableDimension),
    ).not.toContain('dynamodb:table:ReadCapacityUnits');
    await autoScaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 50 }));
    const { Alarms = [] } = await autoScaling.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: 'sdk-reads-20',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 20,
          PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' },
        },
      }),
    );
    expect(Alarms).toHaveLength(2);
    await autoScaling.send(
      new PutScheduledActionCommand({
        ...target,
        ScheduledActionName: 'sdk-later',
        Schedule: 'at(2031-01-01T00:00:00)',
        ScalableTargetAction: { MinCapacity: 2 },
      }),
    );
    expect(
      (await autoScaling.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'dynamodb', ScheduledActionNames: ['sdk-later'] })))
        .ScheduledActions,
    ).toHaveLength(1);
    await autoScaling.send(new DeleteScheduledActionCommand({ ...target, ScheduledActionName: 'sdk-later' }));
    const stopTraffic = readTraffic();
    try {
      const activity = await eventually(async () => {
        const { ScalingActivities = [] } = await autoScaling.send(
          new DescribeScalingActivitiesCommand({ ServiceNamespace: 'dynamodb', ResourceId: target.ResourceId }),
        );
        return ScalingActivities.find((a) => a.Cause?.includes('triggered policy sdk-reads-20') && a.StatusCode === 'Successful');
      });
      expect(activity.Description).toMatch(/^Setting read capacity units to \d+\.$/);
      expect(activity.StartTime).toBeInstanceOf(Date);
    } finally {
      stopTraffic();
    }
    const { Table } = await dynamoDb.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.ProvisionedThroughput?.ReadCapacityUnits).toBeGreaterThan(5);
    const { ScalableTargets = [] } = await autoScaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', ResourceIds: [target.ResourceId] }),
    );
    expect(ScalableTargets.find((t) => t.ScalableDimension === target.ScalableDimension)).toMatchObject({
      MinCapacity: 1,
      MaxCapacity: 50,
    });
    await autoScaling.send(new DeleteScalingPolicyCommand({ ...target, PolicyName: 'sdk-reads-20' }));
    const missing = await failure(autoScaling.send(new DeleteScalingPolicyCommand({ ...target, PolicyName: 'sdk-reads-20' })));
    expect(missing.name).toBe('ObjectNotFoundException');
    const invalid = await failure(
      autoScaling.send(new RegisterScalableTargetCommand({ ...target, ResourceId: 'table/Nope', MinCapacity: 1, MaxCapacity: 2 })),
    );
    expect(invalid.name).toBe('ValidationException');
  });
});
