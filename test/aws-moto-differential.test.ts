import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAwsCli } from './support/aws-cli.ts';
import { exitCode, startCli } from './support/cli-process.ts';

// moto (a widely used Python emulator of AWS APIs, in the machine image's Python) as a differential reference for
// wire shapes: the same AWS CLI commands against moto and the local cloud give the same field names and types.
// Values differ (ours come from the running system, moto's are stored), so only shapes are compared.
const motoServer = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).stdout.trim();
const python = spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).stdout.trim();
if (!motoServer) console.warn('moto_server is not on PATH (no Python with moto here): the differential comparison with moto is skipped.');

/**
 * Fields moto gives that the local cloud leaves out on purpose, each with the reason. Everything else moto answers
 * must be in our answer, with the same JSON type.
 */
const notCompared: Record<string, string> = {
  'MetricAlarms[].Metrics': 'metric-math alarms are not emulated; moto always lists an empty Metrics array',
  'MetricAlarms[].StateReasonData': 'set only with SetAlarmState --state-reason-data in AWS; moto always sends "{}"',
  'Functions[].CodeSha256': 'the local cloud runs the code directory, not a deployment package',
  'Configuration.CodeSha256': 'the same',
  CodeSha256: 'the same',
  'Functions[].Version': 'versions are not emulated (aliases run the function as it is)',
  'Configuration.Version': 'the same',
  Version: 'the same',
};

let moto: ChildProcess | undefined;
let motoUrl = '';
let localUrl = '';
let stopLocal: () => Promise<unknown> = async () => {};
const table = 'TechModaProductApi-ProductsTable';

async function aws(endpoint: string, args: readonly string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  const { code, stdout, stderr } = await runAwsCli(endpoint, args);
  return { code, json: code !== 0 ? undefined : stdout.trim() === '' ? {} : JSON.parse(stdout), stderr };
}

/** Every leaf of a JSON value as `path -> type`, list items merged under `[]`. */
function shapeOf(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) for (const item of value) shapeOf(item, `${path}[]`, into);
  else if (typeof value === 'object' && value !== null)
    for (const [key, child] of Object.entries(value)) shapeOf(child, path ? `${path}.${key}` : key, into);
  else into.set(path, value === null ? 'null' : typeof value);
  return into;
}

/** Runs one command against both; returns moto's fields that ours lacks or types differently. */
async function differences(args: readonly string[]): Promise<string[]> {
  const [theirs, ours] = await Promise.all([aws(motoUrl, args), aws(localUrl, args)]);
  if (theirs.code !== 0) throw new Error(`moto refused aws ${args.join(' ')}: ${theirs.stderr}`);
  if (ours.code !== 0) throw new Error(`the local cloud refused aws ${args.join(' ')}: ${ours.stderr}`);
  const ourShape = shapeOf(ours.json);
  const found: string[] = [];
  for (const [path, type] of shapeOf(theirs.json)) {
    if (notCompared[path] !== undefined) continue;
    const ourType = ourShape.get(path);
    if (ourType !== type) found.push(`${path}: moto ${type}, ours ${ourType ?? 'missing'}`);
  }
  return found;
}

/** Runs one command against both that must fail; returns both error codes. */
async function errorCodes(args: readonly string[]): Promise<[string, string]> {
  const code = (stderr: string) => /An error occurred \(([^)]+)\)/.exec(stderr)?.[1] ?? `no AWS error in: ${stderr}`;
  const [theirs, ours] = await Promise.all([aws(motoUrl, args), aws(localUrl, args)]);
  return [code(theirs.stderr), code(ours.stderr)];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Gives moto what the local cloud's template declares, so the same commands find the same resources. */
async function seedMoto(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'moto-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({ statusCode: 200 });\n');
  // A deployment package for moto's CreateFunction, zipped by the same Python that runs moto.
  spawnSync(python, ['-c', `import zipfile; z = zipfile.ZipFile('fn.zip', 'w'); z.write('index.js'); z.close()`], { cwd: dir });
  const must = async (args: string[]) => {
    const result = await aws(motoUrl, args);
    if (result.code !== 0) throw new Error(`seeding moto: aws ${args.join(' ')}: ${result.stderr}`);
    return result.json as Record<string, Record<string, string>>;
  };
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  const role = await must(['iam', 'create-role', '--role-name', 'fn', '--assume-role-policy-document', JSON.stringify(trust)]);
  await must([
    'lambda',
    'create-function',
    '--function-name',
    'GetProducts',
    '--runtime',
    'nodejs20.x',
    '--role',
    role.Role?.Arn as string,
    '--handler',
    'index.handler',
    '--memory-size',
    '512',
    '--timeout',
    '10',
    '--zip-file',
    `fileb://${join(dir, 'fn.zip')}`,
  ]);
  await must([
    'dynamodb',
    'create-table',
    '--table-name',
    table,
    '--attribute-definitions',
    'AttributeName=id,AttributeType=S',
    '--key-schema',
    'AttributeName=id,KeyType=HASH',
    '--provisioned-throughput',
    'ReadCapacityUnits=5,WriteCapacityUnits=5',
  ]);
  const now = new Date().toISOString();
  for (const [name, value] of [
    ['Count', 1],
    ['Latency', 12],
    ['Latency', 40],
  ] as const)
    await must([
      'cloudwatch',
      'put-metric-data',
      '--namespace',
      'AWS/ApiGateway',
      '--metric-data',
      JSON.stringify([{ MetricName: name, Value: value, Timestamp: now, Dimensions: [{ Name: 'ApiName', Value: 'techmoda-products' }] }]),
    ]);
}

beforeAll(async () => {
  if (!motoServer) return;
  const port = await freePort();
  moto = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  motoUrl = `http://127.0.0.1:${port}`;
  const { child, lines } = await startCli(['local', '--port', '0'], /Ctrl-C stops/);
  stopLocal = () => {
    child.kill('SIGTERM');
    return exitCode(child);
  };
  localUrl = (lines.find((l) => l.startsWith('AWS ')) as string).slice('AWS '.length);
  for (let attempt = 0; ; attempt++) {
    const up = await fetch(`${motoUrl}/moto-api/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (attempt > 100) throw new Error('moto_server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await seedMoto();
  for (let i = 0; i < 3; i++) await fetch(`${localUrl}/prod/products?limit=1`);
}, 120_000);
afterAll(async () => {
  moto?.kill();
  await stopLocal();
});

const readTarget = [
  '--service-namespace',
  'dynamodb',
  '--resource-id',
  `table/${table}`,
  '--scalable-dimension',
  'dynamodb:table:ReadCapacityUnits',
];
const window = () => [
  '--start-time',
  new Date(Date.now() - 3_600_000).toISOString(),
  '--end-time',
  new Date(Date.now() + 600_000).toISOString(),
];

describe.skipIf(!motoServer)('the same AWS CLI commands against moto 5 and the local cloud give the same field names and types', () => {
  it('Lambda: functions, their configuration and reserved concurrency, and a missing function', async () => {
    expect(await differences(['lambda', 'list-functions'])).toEqual([]);
    expect(await differences(['lambda', 'get-function', '--function-name', 'GetProducts'])).toEqual([]);
    expect(await differences(['lambda', 'get-function-configuration', '--function-name', 'GetProducts'])).toEqual([]);
    expect(
      await differences([
        'lambda',
        'put-function-concurrency',
        '--function-name',
        'GetProducts',
        '--reserved-concurrent-executions',
        '100',
      ]),
    ).toEqual([]);
    expect(await differences(['lambda', 'get-function-concurrency', '--function-name', 'GetProducts'])).toEqual([]);
    const [theirs, ours] = await errorCodes(['lambda', 'get-function-concurrency', '--function-name', 'Nope']);
    expect(ours).toBe(theirs);
  });

  it('Application Auto Scaling: register, policy, scheduled action, and their descriptions', async () => {
    expect(
      await differences([
        'application-autoscaling',
        'register-scalable-target',
        ...readTarget,
        '--min-capacity',
        '5',
        '--max-capacity',
        '100',
      ]),
    ).toEqual([]);
    const policy = JSON.stringify({
      TargetValue: 70,
      PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' },
    });
    expect(
      await differences([
        'application-autoscaling',
        'put-scaling-policy',
        ...readTarget,
        '--policy-name',
        'diff',
        '--policy-type',
        'TargetTrackingScaling',
        '--target-tracking-scaling-policy-configuration',
        policy,
      ]),
    ).toEqual([]);
    expect(await differences(['application-autoscaling', 'describe-scalable-targets', '--service-namespace', 'dynamodb'])).toEqual([]);
    expect(
      await differences([
        'application-autoscaling',
        'describe-scaling-policies',
        '--service-namespace',
        'dynamodb',
        '--policy-names',
        'diff',
      ]),
    ).toEqual([]);
    expect(
      await differences([
        'application-autoscaling',
        'put-scheduled-action',
        ...readTarget,
        '--scheduled-action-name',
        'diff',
        '--schedule',
        'at(2030-01-01T00:00:00)',
        '--scalable-target-action',
        'MinCapacity=6',
      ]),
    ).toEqual([]);
    expect(
      await differences([
        'application-autoscaling',
        'describe-scheduled-actions',
        '--service-namespace',
        'dynamodb',
        '--scheduled-action-names',
        'diff',
      ]),
    ).toEqual([]);
    // moto 5.2.1 answers DescribeScalingActivities with a 500: test/aws-apis.test.ts covers ours.
    expect(await differences(['application-autoscaling', 'delete-scaling-policy', ...readTarget, '--policy-name', 'diff'])).toEqual([]);
  });

  it('CloudWatch: an alarm put, set, described and in its history; statistics, metric data and the metric list', async () => {
    const alarm = ['--alarm-name', 'diff-alarm'];
    expect(
      await differences([
        'cloudwatch',
        'put-metric-alarm',
        ...alarm,
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
        '1',
        '--comparison-operator',
        'GreaterThanThreshold',
      ]),
    ).toEqual([]);
    expect(await differences(['cloudwatch', 'set-alarm-state', ...alarm, '--state-value', 'ALARM', '--state-reason', 'diff'])).toEqual([]);
    expect(await differences(['cloudwatch', 'describe-alarms', '--alarm-names', 'diff-alarm'])).toEqual([]);
    // moto 5.2.1 answers DescribeAlarmHistory with a 500 (query protocol): test/aws-apis.test.ts covers ours.
    const apiName = ['--dimensions', 'Name=ApiName,Value=techmoda-products'];
    expect(
      await differences([
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        'AWS/ApiGateway',
        '--metric-name',
        'Count',
        ...apiName,
        ...window(),
        '--period',
        '3600',
        '--statistics',
        'Sum',
        'SampleCount',
        'Average',
        'Minimum',
        'Maximum',
      ]),
    ).toEqual([]);
    expect(
      await differences([
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        'AWS/ApiGateway',
        '--metric-name',
        'Latency',
        ...apiName,
        ...window(),
        '--period',
        '3600',
        '--extended-statistics',
        'p99',
      ]),
    ).toEqual([]);
    const query = [
      {
        Id: 'm1',
        MetricStat: {
          Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiName', Value: 'techmoda-products' }] },
          Period: 60,
          Stat: 'Sum',
        },
      },
    ];
    expect(await differences(['cloudwatch', 'get-metric-data', ...window(), '--metric-data-queries', JSON.stringify(query)])).toEqual([]);
    expect(await differences(['cloudwatch', 'list-metrics', '--namespace', 'AWS/ApiGateway', '--metric-name', 'Count'])).toEqual([]);
    expect(await differences(['cloudwatch', 'delete-alarms', '--alarm-names', 'diff-alarm'])).toEqual([]);
    const [theirs, ours] = await errorCodes([
      'cloudwatch',
      'set-alarm-state',
      '--alarm-name',
      'nope',
      '--state-value',
      'OK',
      '--state-reason',
      'x',
    ]);
    expect(ours).toBe(theirs);
  });
});
