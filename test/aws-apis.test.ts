import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAwsCli } from './support/aws-cli.ts';
import { exitCode, startCli } from './support/cli-process.ts';

// The AWS CLI itself (/usr/bin/aws, v2) against the local cloud's Lambda API, on the API port.
let origin = '';
let api = '';
let stop: () => Promise<unknown> = async () => {};

beforeAll(async () => {
  const { child, lines } = await startCli(['local', '--port', '0'], /Ctrl-C stops/);
  stop = () => {
    child.kill('SIGTERM');
    return exitCode(child);
  };
  api = (lines.find((l) => l.startsWith('API ')) as string).slice('API '.length);
  origin = (lines.find((l) => l.startsWith('AWS ')) as string).slice('AWS '.length);
  expect(origin).toBe(new URL(api).origin);
});
afterAll(() => stop());

const aws = (...args: string[]) => runAwsCli(origin, args);

describe('aws lambda against the local cloud', () => {
  it("answers the lab's first command, and lists the functions with their configuration", async () => {
    expect(JSON.parse((await aws('lambda', 'get-function-concurrency', '--function-name', 'GetProducts')).stdout)).toEqual({
      ReservedConcurrentExecutions: 100,
    });
    // No reservation: AWS answers {} and the CLI prints nothing.
    expect(await aws('lambda', 'get-function-concurrency', '--function-name', 'CreateProduct')).toMatchObject({ code: 0, stdout: '' });
    const listed = JSON.parse((await aws('lambda', 'list-functions')).stdout);
    expect(listed.Functions.map((f: { FunctionName: string }) => f.FunctionName).sort()).toEqual([
      'CreateProduct',
      'DeleteProduct',
      'GetProducts',
      'UpdateProduct',
    ]);
    const byArn = JSON.parse(
      (await aws('lambda', 'get-function-configuration', '--function-name', 'arn:aws:lambda:us-east-1:000000000000:function:GetProducts'))
        .stdout,
    );
    expect(byArn).toMatchObject({ FunctionName: 'GetProducts', MemorySize: 512, Timeout: 10 });
  });

  it('a reservation set through the API throttles the next burst with 500s, and one leaving under 100 unreserved is refused', async () => {
    expect(
      (await aws('lambda', 'put-function-concurrency', '--function-name', 'GetProducts', '--reserved-concurrent-executions', '2')).code,
    ).toBe(0);
    const { events } = (await (await fetch(`${origin}/_local/events`)).json()) as {
      events: { type: string; operation?: string; resource?: string }[];
    };
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'api-change', operation: 'PutFunctionConcurrency', resource: 'GetProducts' }),
    );
    const statuses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${api}/products?limit=1`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    const refused = await aws(
      'lambda',
      'put-function-concurrency',
      '--function-name',
      'GetProducts',
      '--reserved-concurrent-executions',
      '950',
    );
    expect(refused.code).toBe(254);
    expect(refused.stderr).toContain(
      "(InvalidParameterValueException) when calling the PutFunctionConcurrency operation: Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    expect((await aws('lambda', 'delete-function-concurrency', '--function-name', 'GetProducts')).code).toBe(0);
    expect(JSON.parse((await aws('lambda', 'get-account-settings')).stdout).AccountLimit.UnreservedConcurrentExecutions).toBe(1_000);
    // As deployed again, whatever order the tests run in.
    expect(
      (await aws('lambda', 'put-function-concurrency', '--function-name', 'GetProducts', '--reserved-concurrent-executions', '100')).code,
    ).toBe(0);
  });

  it('shows provisioned concurrency as the model holds it: READY as deployed, IN_PROGRESS after a change until the allocation delay', async () => {
    const deployed = JSON.parse(
      (await aws('lambda', 'get-provisioned-concurrency-config', '--function-name', 'CreateProduct', '--qualifier', 'live')).stdout,
    );
    expect(deployed).toMatchObject({
      RequestedProvisionedConcurrentExecutions: 10,
      AllocatedProvisionedConcurrentExecutions: 10,
      Status: 'READY',
    });
    expect(deployed.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    const put = JSON.parse(
      (
        await aws(
          'lambda',
          'put-provisioned-concurrency-config',
          '--function-name',
          'CreateProduct',
          '--qualifier',
          'live',
          '--provisioned-concurrent-executions',
          '20',
        )
      ).stdout,
    );
    expect(put).toMatchObject({
      RequestedProvisionedConcurrentExecutions: 20,
      AllocatedProvisionedConcurrentExecutions: 10,
      Status: 'IN_PROGRESS',
    });
    const listed = JSON.parse((await aws('lambda', 'list-provisioned-concurrency-configs', '--function-name', 'CreateProduct')).stdout);
    expect(listed.ProvisionedConcurrencyConfigs).toEqual([
      expect.objectContaining({ FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:CreateProduct:live', Status: 'IN_PROGRESS' }),
    ]);
    const none = await aws('lambda', 'get-provisioned-concurrency-config', '--function-name', 'GetProducts', '--qualifier', 'live');
    expect(none.code).toBe(254);
    expect(none.stderr).toContain('(ProvisionedConcurrencyConfigNotFoundException)');
    const latest = await aws(
      'lambda',
      'put-provisioned-concurrency-config',
      '--function-name',
      'GetProducts',
      '--qualifier',
      '$LATEST',
      '--provisioned-concurrent-executions',
      '1',
    );
    expect(latest.stderr).toContain('(InvalidParameterValueException) when calling the PutProvisionedConcurrencyConfig operation');
  });

  it('invokes a function (RequestResponse) through the same runtime as the gateway', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-'));
    const event = {
      httpMethod: 'GET',
      path: '/products',
      resource: '/products',
      queryStringParameters: { limit: '1' },
      headers: {},
      requestContext: { requestId: 'cli' },
    };
    const invoked = await aws(
      'lambda',
      'invoke',
      '--function-name',
      'GetProducts',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      JSON.stringify(event),
      join(dir, 'out.json'),
    );
    expect(JSON.parse(invoked.stdout)).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toMatchObject({ statusCode: 200 });
    const asEvent = await aws('lambda', 'invoke', '--function-name', 'GetProducts', '--invocation-type', 'Event', join(dir, 'event.json'));
    expect(asEvent.code).toBe(254);
    expect(asEvent.stderr).toContain(
      '(InvalidParameterValueException) when calling the Invoke operation: InvocationType Event is not emulated',
    );
  });

  it("answers AWS's errors: a missing function is 404 ResourceNotFoundException, an operation not emulated a 4xx (never retried)", async () => {
    const missing = await aws('lambda', 'get-function-concurrency', '--function-name', 'Nope');
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain(
      '(ResourceNotFoundException) when calling the GetFunctionConcurrency operation: Function not found: arn:aws:lambda:us-east-1:000000000000:function:Nope',
    );
    const unknown = await aws('lambda', 'list-aliases', '--function-name', 'GetProducts');
    expect(unknown.code).toBe(254);
    expect(unknown.stderr).toContain('(UnknownOperationException) when calling the ListAliases operation');
  });
});

describe('aws application-autoscaling against the local cloud', () => {
  it('describes the scalable targets, the target-tracking policies with the alarms they created, and the activities', async () => {
    const targets = JSON.parse(
      (await aws('application-autoscaling', 'describe-scalable-targets', '--service-namespace', 'dynamodb')).stdout,
    );
    expect(targets.ScalableTargets).toContainEqual(
      expect.objectContaining({
        ResourceId: 'table/TechModaProductApi-ProductsTable',
        ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
        MinCapacity: 5,
        MaxCapacity: 100,
      }),
    );
    const policies = JSON.parse(
      (
        await aws(
          'application-autoscaling',
          'describe-scaling-policies',
          '--service-namespace',
          'dynamodb',
          '--resource-id',
          'table/TechModaProductApi-ProductsTable',
        )
      ).stdout,
    );
    expect(policies.ScalingPolicies).toHaveLength(2);
    expect(policies.ScalingPolicies[0]).toMatchObject({
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 70,
        PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' },
      },
    });
    expect(policies.ScalingPolicies[0].Alarms.map((a: { AlarmName: string }) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-table\/TechModaProductApi-ProductsTable-AlarmHigh-/),
      expect.stringMatching(/^TargetTracking-table\/TechModaProductApi-ProductsTable-AlarmLow-/),
    ]);
    const { ScalingActivities } = JSON.parse(
      (await aws('application-autoscaling', 'describe-scaling-activities', '--service-namespace', 'dynamodb')).stdout,
    );
    expect(Array.isArray(ScalingActivities)).toBe(true);
  });

  it('answers a bad parameter with ValidationException and an operation not emulated with UnknownOperationException (400s)', async () => {
    const bad = await aws('application-autoscaling', 'describe-scalable-targets', '--service-namespace', 'bogus');
    expect(bad.stderr).toContain('(ValidationException) when calling the DescribeScalableTargets operation: ServiceNamespace');
    // Every operation this CLI knows is emulated: an unknown one is sent by hand, as a newer SDK would.
    const unknown = await fetch(origin, {
      method: 'POST',
      headers: { 'x-amz-target': 'AnyScaleFrontendService.TagResource', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

/** Runs an AWS CLI command that must succeed and returns its JSON output ({} when it prints nothing). */
async function ok(...args: string[]): Promise<Record<string, unknown> & { [key: string]: never | unknown }> {
  const result = await aws(...args);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
}

const table = 'TechModaProductApi-ProductsTable';
const readTarget = [
  '--service-namespace',
  'dynamodb',
  '--resource-id',
  `table/${table}`,
  '--scalable-dimension',
  'dynamodb:table:ReadCapacityUnits',
];

describe('aws application-autoscaling writes against the local cloud', () => {
  it('puts a target-tracking policy with the alarms AWS creates, lists it, and deletes it with its alarms', async () => {
    const put = (await ok(
      'application-autoscaling',
      'put-scaling-policy',
      ...readTarget,
      '--policy-name',
      'cli-reads-50',
      '--policy-type',
      'TargetTrackingScaling',
      '--target-tracking-scaling-policy-configuration',
      JSON.stringify({ TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' } }),
    )) as { PolicyARN: string; Alarms: { AlarmName: string }[] };
    expect(put.PolicyARN).toMatch(/^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:.*:policyName\/cli-reads-50$/);
    const [high, low] = put.Alarms.map((a) => a.AlarmName) as [string, string];
    const alarms = (await ok('cloudwatch', 'describe-alarms', '--alarm-names', high, low)) as { MetricAlarms: Record<string, unknown>[] };
    // 5 read units at 50%: 5 x 60 x 0.5 per minute, and 30 points lower for AlarmLow (B 4.5, 4.6).
    expect(alarms.MetricAlarms.map((a) => [a.MetricName, a.Threshold, a.EvaluationPeriods])).toEqual([
      ['ConsumedReadCapacityUnits', 150, 2],
      ['ConsumedReadCapacityUnits', 90, 15],
    ]);
    const listed = (await ok(
      'application-autoscaling',
      'describe-scaling-policies',
      '--service-namespace',
      'dynamodb',
      '--policy-names',
      'cli-reads-50',
    )) as {
      ScalingPolicies: unknown[];
    };
    expect(listed.ScalingPolicies).toHaveLength(1);
    await ok('application-autoscaling', 'delete-scaling-policy', ...readTarget, '--policy-name', 'cli-reads-50');
    expect(((await ok('cloudwatch', 'describe-alarms', '--alarm-names', high)) as { MetricAlarms: unknown[] }).MetricAlarms).toEqual([]);
    const again = await aws('application-autoscaling', 'delete-scaling-policy', ...readTarget, '--policy-name', 'cli-reads-50');
    expect(again.stderr).toContain('(ObjectNotFoundException) when calling the DeleteScalingPolicy operation: No scaling policy found');
    const { events } = (await (await fetch(`${origin}/_local/events`)).json()) as { events: { type: string; operation?: string }[] };
    expect(events.filter((e) => e.type === 'api-change').map((e) => e.operation)).toEqual(
      expect.arrayContaining(['PutScalingPolicy', 'DeleteScalingPolicy']),
    );
  });

  it('puts, describes and deletes a scheduled action; re-registering a target changes its bounds', async () => {
    await ok(
      'application-autoscaling',
      'put-scheduled-action',
      ...readTarget,
      '--scheduled-action-name',
      'cli-sale',
      '--schedule',
      'at(2030-01-08T07:30:00)',
      '--scalable-target-action',
      'MinCapacity=40,MaxCapacity=200',
    );
    const described = (await ok(
      'application-autoscaling',
      'describe-scheduled-actions',
      '--service-namespace',
      'dynamodb',
      '--scheduled-action-names',
      'cli-sale',
    )) as { ScheduledActions: Record<string, unknown>[] };
    expect(described.ScheduledActions).toEqual([
      expect.objectContaining({
        Schedule: 'at(2030-01-08T07:30:00)',
        ScalableTargetAction: { MinCapacity: 40, MaxCapacity: 200 },
        Timezone: 'UTC',
      }),
    ]);
    await ok('application-autoscaling', 'delete-scheduled-action', ...readTarget, '--scheduled-action-name', 'cli-sale');
    const bad = await aws(
      'application-autoscaling',
      'put-scheduled-action',
      ...readTarget,
      '--scheduled-action-name',
      'x',
      '--schedule',
      'tomorrow',
    );
    expect(bad.stderr).toContain('(ValidationException) when calling the PutScheduledAction operation');

    const writes = [
      '--service-namespace',
      'dynamodb',
      '--resource-id',
      `table/${table}/index/byCategory`,
      '--scalable-dimension',
      'dynamodb:index:WriteCapacityUnits',
    ];
    await ok('application-autoscaling', 'register-scalable-target', ...writes, '--max-capacity', '90');
    const bounds = async () =>
      (
        (await ok(
          'application-autoscaling',
          'describe-scalable-targets',
          ...writes.slice(0, 2),
          '--resource-ids',
          `table/${table}/index/byCategory`,
        )) as {
          ScalableTargets: { ScalableDimension: string; MinCapacity: number; MaxCapacity: number }[];
        }
      ).ScalableTargets.find((t) => t.ScalableDimension === 'dynamodb:index:WriteCapacityUnits');
    expect(await bounds()).toMatchObject({ MinCapacity: 5, MaxCapacity: 90 });
    await ok('application-autoscaling', 'register-scalable-target', ...writes, '--max-capacity', '100');
    expect(await bounds()).toMatchObject({ MinCapacity: 5, MaxCapacity: 100 });
    const nowhere = await aws(
      'application-autoscaling',
      'register-scalable-target',
      ...writes.slice(0, 2),
      '--resource-id',
      'table/Nope',
      '--scalable-dimension',
      'dynamodb:table:ReadCapacityUnits',
      '--min-capacity',
      '1',
      '--max-capacity',
      '2',
    );
    expect(nowhere.stderr).toContain('(ValidationException) when calling the RegisterScalableTarget operation: Table not found: Nope');
  });
});

describe('aws cloudwatch against the local cloud (query protocol, as this CLI sends it)', () => {
  it("describes the template's alarms and target tracking's, filtered by name prefix and state", async () => {
    const all = (await ok('cloudwatch', 'describe-alarms')) as { MetricAlarms: { AlarmName: string; StateValue: string }[] };
    const names = all.MetricAlarms.map((a) => a.AlarmName);
    expect(names).toContain('AlarmsGetProductsThrottles');
    expect(names.some((n) => n.startsWith('TargetTracking-table/'))).toBe(true);
    const prefixed = (await ok('cloudwatch', 'describe-alarms', '--alarm-name-prefix', 'AlarmsGetProducts')) as {
      MetricAlarms: { AlarmName: string }[];
    };
    expect(prefixed.MetricAlarms.map((a) => a.AlarmName).sort()).toEqual(names.filter((n) => n.startsWith('AlarmsGetProducts')).sort());
    expect(prefixed.MetricAlarms[0]).toMatchObject({ Namespace: 'AWS/Lambda', Period: 60, ActionsEnabled: true });
    for (const state of ['OK', 'ALARM', 'INSUFFICIENT_DATA']) {
      const filtered = (await ok('cloudwatch', 'describe-alarms', '--state-value', state)) as { MetricAlarms: { StateValue: string }[] };
      expect(filtered.MetricAlarms.every((a) => a.StateValue === state)).toBe(true);
    }
    const both = await aws('cloudwatch', 'describe-alarms', '--alarm-names', 'a', '--alarm-name-prefix', 'b');
    expect(both.stderr).toContain('(InvalidParameterCombination) when calling the DescribeAlarms operation');
  });

  it('reads the metrics of traffic: statistics with percentiles, metric data, and the metric list', async () => {
    for (let i = 0; i < 5; i++) expect((await fetch(`${api}/products?limit=1`)).status).toBe(200);
    const start = new Date(Date.now() - 10 * 60_000).toISOString();
    const end = new Date(Date.now() + 60_000).toISOString();
    const apiName = ['--dimensions', 'Name=ApiName,Value=techmoda-products'];
    const counted = (await ok(
      'cloudwatch',
      'get-metric-statistics',
      '--namespace',
      'AWS/ApiGateway',
      '--metric-name',
      'Count',
      ...apiName,
      '--start-time',
      start,
      '--end-time',
      end,
      '--period',
      '600',
      '--statistics',
      'Sum',
      'SampleCount',
    )) as {
      Label: string;
      Datapoints: { Sum: number; SampleCount: number; Unit: string }[];
    };
    expect(counted.Label).toBe('Count');
    const total = counted.Datapoints.reduce((sum, p) => sum + p.Sum, 0);
    expect(total).toBeGreaterThanOrEqual(5);
    expect(counted.Datapoints[0]).toMatchObject({ Unit: 'Count' });
    const latency = (await ok(
      'cloudwatch',
      'get-metric-statistics',
      '--namespace',
      'AWS/ApiGateway',
      '--metric-name',
      'Latency',
      ...apiName,
      '--start-time',
      start,
      '--end-time',
      end,
      '--period',
      '600',
      '--extended-statistics',
      'p99',
      'p50',
    )) as {
      Datapoints: { ExtendedStatistics: Record<string, number>; Unit: string }[];
    };
    const [point] = latency.Datapoints;
    expect(point?.Unit).toBe('Milliseconds');
    expect(point?.ExtendedStatistics.p99).toBeGreaterThanOrEqual(point?.ExtendedStatistics.p50 ?? Number.NaN);
    const data = (await ok(
      'cloudwatch',
      'get-metric-data',
      '--start-time',
      start,
      '--end-time',
      end,
      '--metric-data-queries',
      JSON.stringify([
        {
          Id: 'count',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'techmoda-products' }] },
            Period: 600,
            Stat: 'Sum',
          },
        },
      ]),
    )) as { MetricDataResults: { Id: string; Values: number[]; Timestamps: string[]; StatusCode: string }[] };
    const [result] = data.MetricDataResults;
    expect(result).toMatchObject({ Id: 'count', StatusCode: 'Complete' });
    expect(result?.Values.reduce((a, b) => a + b, 0)).toBe(total);
    expect(result?.Timestamps).toHaveLength(result?.Values.length ?? -1);
    const listed = (await ok('cloudwatch', 'list-metrics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Count')) as {
      Metrics: { Dimensions: { Name: string; Value: string }[] }[];
    };
    expect(listed.Metrics.map((m) => m.Dimensions.map((d) => d.Name).sort())).toEqual(
      expect.arrayContaining([['ApiName'], ['ApiName', 'Stage']]),
    );
    const tooMany = await aws(
      'cloudwatch',
      'get-metric-statistics',
      '--namespace',
      'AWS/ApiGateway',
      '--metric-name',
      'Count',
      '--start-time',
      '2026-01-01T00:00:00Z',
      '--end-time',
      end,
      '--period',
      '60',
      '--statistics',
      'Sum',
    );
    expect(tooMany.stderr).toMatch(
      /\(InvalidParameterCombination\) when calling the GetMetricStatistics operation: You have requested up to \d+ datapoints, which exceeds the limit of 1440/,
    );
  });

  it('puts an alarm, sets its state by hand, shows both in its history, and deletes it', async () => {
    const name = 'cli-reads-alarm';
    await ok(
      'cloudwatch',
      'put-metric-alarm',
      '--alarm-name',
      name,
      '--namespace',
      'AWS/DynamoDB',
      '--metric-name',
      'ConsumedReadCapacityUnits',
      '--dimensions',
      `Name=TableName,Value=${table}`,
      '--statistic',
      'Sum',
      '--period',
      '60',
      '--evaluation-periods',
      '1',
      '--threshold',
      '1000000',
      '--comparison-operator',
      'GreaterThanThreshold',
    );
    await ok('cloudwatch', 'set-alarm-state', '--alarm-name', name, '--state-value', 'ALARM', '--state-reason', 'testing the pager');
    const [alarm] = ((await ok('cloudwatch', 'describe-alarms', '--alarm-names', name)) as { MetricAlarms: Record<string, unknown>[] })
      .MetricAlarms;
    const history = (await ok('cloudwatch', 'describe-alarm-history', '--alarm-name', name)) as {
      AlarmHistoryItems: { HistoryItemType: string; HistorySummary: string }[];
    };
    // Newest first. As in AWS, the next evaluation puts a hand-set alarm back in the state its data says (OK on
    // earlier traffic): on a slow machine a period may close between these commands, and then only that one follows.
    const items = history.AlarmHistoryItems.map((h) => [h.HistoryItemType, h.HistorySummary]);
    const byHand = items.findIndex(([, summary]) => /^Alarm updated from (INSUFFICIENT_DATA|OK) to ALARM$/.test(summary ?? ''));
    expect(byHand).toBeGreaterThanOrEqual(0);
    expect(byHand).toBeLessThanOrEqual(1);
    if (byHand === 1)
      expect(items[0]).toEqual(['StateUpdate', expect.stringMatching(/^Alarm updated from ALARM to (OK|INSUFFICIENT_DATA)$/)]);
    expect(alarm).toMatchObject({ Threshold: 1_000_000, Statistic: 'Sum' });
    if (byHand === 0) expect(alarm).toMatchObject({ StateValue: 'ALARM', StateReason: 'testing the pager' });
    expect(items.at(-1)).toEqual(['ConfigurationUpdate', `Alarm "${name}" created`]);
    await ok('cloudwatch', 'delete-alarms', '--alarm-names', name);
    const gone = await aws('cloudwatch', 'set-alarm-state', '--alarm-name', name, '--state-value', 'OK', '--state-reason', 'x');
    expect(gone.stderr).toContain('(ResourceNotFound) when calling the SetAlarmState operation');
    const badPeriod = await aws(
      'cloudwatch',
      'put-metric-alarm',
      '--alarm-name',
      'x',
      '--namespace',
      'N',
      '--metric-name',
      'M',
      '--statistic',
      'Sum',
      '--period',
      '45',
      '--evaluation-periods',
      '1',
      '--threshold',
      '1',
      '--comparison-operator',
      'GreaterThanThreshold',
    );
    expect(badPeriod.stderr).toContain(
      '(InvalidParameterValue) when calling the PutMetricAlarm operation: The parameter Period must be 10, 30 or a multiple of 60.',
    );
  });

  it('answers an unknown action with 400 InvalidAction in XML, and an unknown JSON 1.0 operation with UnknownOperationException', async () => {
    const query = await fetch(origin, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=PutDashboard&Version=2010-08-01',
    });
    expect(query.status).toBe(400);
    expect(await query.text()).toContain('<Code>InvalidAction</Code>');
    const json = await fetch(origin, {
      method: 'POST',
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.PutDashboard', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(json.headers.get('x-amzn-query-error')).toBe('UnknownOperationException;Sender');
  });
});

describe('aws dynamodb on the same endpoint', () => {
  it('describes the table through the AWS endpoint, as through the DynamoDB one', async () => {
    const described = (await ok('dynamodb', 'describe-table', '--table-name', table)) as {
      Table: { TableName: string; TableStatus: string };
    };
    expect(described.Table).toMatchObject({ TableName: table });
  });
});
