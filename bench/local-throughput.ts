// GET /products/{id} through the local cloud (capacity unconstrained) against the floor: the same GetItem sent by
// the AWS SDK straight to dynalite. Prints rates, p50/p99 and the ratio. Run: npm run bench (or tsx this file).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Pool } from 'undici';
import { sampleProducts } from '../src/catalog/sample-products.ts';
import { localClientCredentials, requestToken } from '../src/load/token-source.ts';
import { LocalCloud } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { synthesizeStack } from '../src/stack/synthesize-stack.ts';
import { closedLoop, describeRun } from './closed-loop.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const floorServer = `
  import { startDynalite } from ${JSON.stringify(new URL('../src/local/dynamodb/dynalite-host.ts', import.meta.url).pathname)};
  import { readStackModel } from ${JSON.stringify(new URL('../src/local/template/template-reader.ts', import.meta.url).pathname)};
  const host = await startDynalite();
  await host.ensureTables(readStackModel(process.env.BENCH_TEMPLATE).tables);
  console.log(host.backend.url);
`;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);

// Limits lifted so the measurement is the emulator's own cost, not a modelled throttle.
const template = synthesizeStack(
  {
    apiThrottleRatePerSecond: '10000',
    apiThrottleBurst: '5000',
    // Lambda admits ten invocations a second per unit of concurrency (docs/aws-facts.md): at the default 100
    // reserved, 1,000 req/s would be throttled and fast 500s would count as throughput.
    getProductsReservedConcurrency: '900',
    minReadCapacity: '40000',
    maxReadCapacity: '40000',
    minWriteCapacity: '1000',
    maxWriteCapacity: '1000',
    sales: '[]',
  },
  mkdtempSync(join(tmpdir(), 'techmoda-bench-')),
);
process.env.BENCH_TEMPLATE = template;
const model = readStackModel(template);
const table = model.tables[0];
if (!table) throw new Error('no table in the stack');
const product = sampleProducts(1, 42, Date.now())[0] as NonNullable<ReturnType<typeof sampleProducts>[number]>;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

// The floor: SDK -> dynalite, nothing between. dynalite runs in its own process so that, as in the local cloud,
// the client and the engine each have a core; otherwise the floor would be lower than it is.
const floorProcess = spawn(process.execPath, ['--import', 'tsx', '-e', floorServer], { stdio: ['ignore', 'pipe', 'inherit'] });
const floorUrl = await new Promise<string>((resolve) => createInterface({ input: floorProcess.stdout }).once('line', resolve));
const floorClient = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: floorUrl, region: 'us-east-1', credentials }));
await floorClient.send(new PutCommand({ TableName: table.tableName, Item: product }));
const getItem = async () =>
  (await floorClient.send(new GetCommand({ TableName: table.tableName, Key: { id: product.id }, ConsistentRead: true }))).Item !==
  undefined;
await closedLoop(concurrency, 2_000, getItem);
const floor = await closedLoop(concurrency, durationMs, getItem);
floorClient.destroy();
floorProcess.kill();

/** The back office's token from the local cloud at `origin`, as `techmoda token` gets it. */
async function backOfficeToken(origin: string): Promise<string> {
  const credentials = await localClientCredentials(origin);
  if (!credentials) throw new Error(`no client-credentials client at ${origin}/_local/user-pools`);
  return (await requestToken(credentials)).accessToken;
}

/** GET /products/{id} through a local cloud: client -> gateway -> Lambda worker -> SDK -> DynamoDB front -> dynalite. */
async function measureLocal(isolateEnvironments: boolean) {
  const cloud = new LocalCloud({ model, port: 0, coldStartDelayMs: 0, isolateEnvironments });
  const { apiUrl } = await cloud.start();
  const origin = new URL(apiUrl);
  const pool = new Pool(origin.origin, { connections: concurrency });
  const created = await pool.request({
    path: `${origin.pathname}/products`,
    method: 'POST',
    // The stack's writes need the back office's token; the measured reads do not.
    headers: { 'content-type': 'application/json', authorization: await backOfficeToken(origin.origin) },
    body: JSON.stringify({ name: product.name, category: product.category, price: product.price, stock: 1 }),
  });
  const { id } = (await created.body.json()) as { id: string };
  const getProduct = async () => {
    const response = await pool.request({ path: `${origin.pathname}/products/${id}`, method: 'GET' });
    await response.body.arrayBuffer();
    return response.statusCode === 200;
  };
  await closedLoop(concurrency, 3_000, getProduct); // warm: every environment initialised
  const result = await closedLoop(concurrency, durationMs, getProduct);
  await pool.close();
  await cloud.stop();
  return result;
}
const local = await measureLocal(false);
const isolated = await measureLocal(true);

console.log(`local-throughput: ${concurrency} concurrent clients, ${durationMs / 1000} s each, node ${process.version}`);
console.log(describeRun('floor: SDK GetItem -> dynalite', floor));
console.log(describeRun('local cloud: GET /products/{id}', local));
console.log(describeRun('  same, --isolate-environments', isolated));
console.log(
  `ratio local/floor: ${(local.ratePerSecond / floor.ratePerSecond).toFixed(2)} (target >= 0.70); local rate target >= 1,000 req/s`,
);
