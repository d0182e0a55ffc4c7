// What each create keeps (issue 26): 10,000 POST /products through a local cloud (gateway -> CreateProduct's
// worker -> SDK -> DynamoDB front -> dynalite, the table on disk so that the products themselves are not heap), with
// every isolate's garbage collected before each reading. Prints the bytes kept per create in CreateProduct's worker
// and in the local cloud's own thread. Run it with GC exposed (workers inherit the flag):
//   node --expose-gc --import tsx bench/create-memory.ts
// BENCH_CREATES=N (default 10,000); BENCH_SNAPSHOT_DIR=DIR writes heap snapshots of every isolate before and after,
// to open in Chrome DevTools' Memory tab (Comparison view).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { Pool } from 'undici';
import { localClientCredentials, requestToken } from '../src/load/token-source.ts';
import { LocalCloud } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { synthesizeStack } from '../src/stack/synthesize-stack.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const gc = globalThis.gc;
if (typeof gc !== 'function') {
  console.error('bench/create-memory.ts needs node --expose-gc --import tsx bench/create-memory.ts');
  process.exit(2);
}
const creates = Number(process.env.BENCH_CREATES ?? 10_000);
const warmUp = 500;
const connections = 16;
const snapshotDir = process.env.BENCH_SNAPSHOT_DIR;

// Capacity and throttles lifted: the measurement is what a create keeps, not what a throttle does. The alias's
// provisioned concurrency admits 10 invocations a second per unit (docs/aws-facts.md B 5), hence 100.
const template = synthesizeStack(
  {
    apiThrottleRatePerSecond: '10000',
    apiThrottleBurst: '5000',
    minWriteCapacity: '1000',
    maxWriteCapacity: '1000',
    createProductProvisionedConcurrency: '100',
    createProductMaxProvisionedConcurrency: '100',
    sales: '[]',
  },
  mkdtempSync(join(tmpdir(), 'techmoda-bench-')),
);
const cloud = new LocalCloud({
  model: readStackModel(template),
  port: 0,
  coldStartDelayMs: 0,
  dataDir: mkdtempSync(join(tmpdir(), 'techmoda-bench-data-')),
});
const { apiUrl } = await cloud.start();
const origin = new URL(apiUrl);
const credentials = await localClientCredentials(origin.origin);
if (!credentials) throw new Error('the stack has no client-credentials client');
const { accessToken } = await requestToken(credentials);
const pool = new Pool(origin.origin, { connections });

let sent = 0;
async function createMany(count: number): Promise<void> {
  const worker = async () => {
    while (sent < count) {
      sent++;
      const response = await pool.request({
        path: `${origin.pathname}/products`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: accessToken },
        body: JSON.stringify({ name: `Bench product ${sent}`, category: 'tops', price: { amountMinor: 1999, currency: 'EUR' }, stock: 3 }),
      });
      const body = await response.body.text();
      if (response.statusCode !== 201)
        throw new Error(`create answered ${response.statusCode}: ${body} (${JSON.stringify(cloud.summary.total)})`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

/** Every isolate's heap after a full collection (and its snapshot when asked). */
async function kept(label: string) {
  // What a reading without a collection shows: live objects and the garbage not yet collected.
  const uncollected = { cloud: process.memoryUsage().heapUsed, createProduct: (await cloud.functionHeaps()).CreateProduct?.usedBytes ?? 0 };
  // Twice: weak references and finalizers freed by the first collection are swept by the second.
  gc?.();
  gc?.();
  const cloudSnapshot = snapshotDir ? writeHeapSnapshot(join(snapshotDir, `cloud-${label}.heapsnapshot`)) : undefined;
  await cloud.functionHeaps({ gc: true });
  const functions = await cloud.functionHeaps({ gc: true, snapshotDir });
  return {
    uncollected,
    cloud: process.memoryUsage().heapUsed,
    createProduct: functions.CreateProduct?.usedBytes ?? 0,
    rss: process.memoryUsage.rss(),
    cloudSnapshot,
    functions,
  };
}

await createMany(warmUp);
const before = await kept('before');
sent = 0;
const startedMs = performance.now();
await createMany(creates);
const seconds = (performance.now() - startedMs) / 1000;
const after = await kept('after');
await pool.close();
await cloud.stop();

const perCreate = (a: number, b: number) => ((b - a) / creates).toFixed(0);
console.log(`${creates} creates in ${seconds.toFixed(1)} s (${(creates / seconds).toFixed(0)}/s), after ${warmUp} to warm up`);
console.log(
  `CreateProduct worker heap after GC: ${(before.createProduct / 1e6).toFixed(1)} -> ${(after.createProduct / 1e6).toFixed(1)} MB, ${perCreate(before.createProduct, after.createProduct)} bytes kept per create`,
);
console.log(
  `local cloud's own heap after GC: ${(before.cloud / 1e6).toFixed(1)} -> ${(after.cloud / 1e6).toFixed(1)} MB, ${perCreate(before.cloud, after.cloud)} bytes kept per create`,
);
console.log(
  `without a collection first: CreateProduct worker ${perCreate(before.uncollected.createProduct, after.uncollected.createProduct)} bytes per create, local cloud ${perCreate(before.uncollected.cloud, after.uncollected.cloud)}; RSS ${(before.rss / 1e6).toFixed(0)} -> ${(after.rss / 1e6).toFixed(0)} MB`,
);
if (snapshotDir)
  console.log(
    `heap snapshots in ${snapshotDir}: ${[before.cloudSnapshot, after.cloudSnapshot, ...Object.values(before.functions), ...Object.values(after.functions)].map((h) => (typeof h === 'string' ? h : h?.snapshot)).filter(Boolean).length} files`,
  );
