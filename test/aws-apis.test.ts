import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, startCli } from './support/cli-process.ts';

// The AWS CLI itself (/usr/bin/aws, v2) against the local cloud's Lambda API, on the API port.
const run = promisify(execFile);
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

async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
  };
  try {
    const { stdout, stderr } = await run('/usr/bin/aws', [...args, '--endpoint-url', origin, '--output', 'json'], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

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
    expect(
      JSON.parse((await aws('application-autoscaling', 'describe-scaling-activities', '--service-namespace', 'dynamodb')).stdout),
    ).toEqual({ ScalingActivities: [] });
  });

  it('answers a bad parameter with ValidationException and an operation not emulated with UnknownOperationException (400s)', async () => {
    const bad = await aws('application-autoscaling', 'describe-scalable-targets', '--service-namespace', 'bogus');
    expect(bad.stderr).toContain('(ValidationException) when calling the DescribeScalableTargets operation: ServiceNamespace');
    const unknown = await aws(
      'application-autoscaling',
      'delete-scaling-policy',
      '--service-namespace',
      'dynamodb',
      '--resource-id',
      'table/T',
      '--scalable-dimension',
      'dynamodb:table:ReadCapacityUnits',
      '--policy-name',
      'p',
    );
    expect(unknown.code).toBe(254);
    expect(unknown.stderr).toContain('(UnknownOperationException) when calling the DeleteScalingPolicy operation');
  });
});
