// Soak: the local cloud (its own process, from the cached synthesis) under the flash-sale profile, repeated for
// SOAK_MINUTES (default 30), with its RSS sampled every 30 s (SOAK_GC=1: and after a full GC as each sale ends).
// Target (issue 10): after warm-up (the first sale), RSS stays within 15% of its post-warm-up value. RSS breathes
// with each sale (five V8 heaps grow under 200 requests a second and shrink after), so sales are compared like for like: the peak of each sale against the second sale's,
// and the RSS as each sale ends (retained memory) with the number of products the sales have created by then.
// The cloud runs as `techmoda local` runs it, its heaps paced (docs/decisions/0004). Prints the samples and the
// drift. Run: tsx bench/soak.ts (not part of npm run bench: it takes half an hour);
// SOAK_PROFILE=bench/profiles/flash-sale-no-creates.yaml for the same sales without data growth.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { tunedEnvironment } from '../src/cli/malloc-tuning.ts';
import type { MemoryResponse } from '../src/local/local-endpoints.ts';

const minutes = Number(process.env.SOAK_MINUTES ?? 30);
// SOAK_PROFILE=bench/profiles/flash-sale-no-creates.yaml keeps the data constant, to tell a leak from data growth.
const profile = process.env.SOAK_PROFILE ?? 'flash-sale';
const bin = new URL('../bin/techmoda.js', import.meta.url).pathname;
// SOAK_SEED=N loads N products first (with the no-creates profile, so that reads find data). SOAK_DATA=1 keeps the
// table's data on disk (--data), as a long-running local cloud would: then the products the sales create are not RSS.
const seed = process.env.SOAK_SEED ?? '0';
const dataDir = process.env.SOAK_DATA === '1' ? mkdtempSync(join(tmpdir(), 'soak-data-')) : undefined;
const dataArgs = dataDir ? ['--data', dataDir] : [];
// SOAK_NODE_FLAGS passes V8 flags to the cloud's process (e.g. --max-semi-space-size=4), to try heap settings.
const nodeFlags = (process.env.SOAK_NODE_FLAGS ?? '').split(' ').filter(Boolean);
// SOAK_GC=1 also measures each sale's end after a full collection in every isolate (GET /_local/memory?gc=1, which
// needs --expose-gc): what the process retains, without the garbage the heaps happen to hold at that moment.
const retainedToo = process.env.SOAK_GC === '1';
if (retainedToo && !nodeFlags.includes('--expose-gc')) nodeFlags.push('--expose-gc');
// Started already tuned, as `techmoda local` starts itself (malloc-tuning.ts), so that cloud.pid is the cloud's own
// process; TECHMODA_MALLOC=default measures glibc's defaults instead.
const cloud = spawn(process.execPath, [...nodeFlags, bin, 'local', '--port', '0', '--seed', seed, ...dataArgs], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: tunedEnvironment(['local']) ?? process.env,
});
const endpoints = await new Promise<{ api: string; dynamodb: string; table: string }>((resolve, reject) => {
  const seen: Record<string, string> = {};
  createInterface({ input: cloud.stdout }).on('line', (line) => {
    const match = /^(API|DynamoDB) (\S+)$/.exec(line) ?? /^(Table) ([^:]+):/.exec(line);
    if (match) seen[match[1] as string] = match[2] as string;
    if (seen.API && seen.DynamoDB && seen.Table) resolve({ api: seen.API, dynamodb: seen.DynamoDB, table: seen.Table });
  });
  cloud.once('exit', (code) => reject(new Error(`techmoda local exited with ${code}`)));
});
const { api } = endpoints;
const dynamodb = new DynamoDBClient({
  endpoint: endpoints.dynamodb,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
/** Products the sales created so far: data the cloud must keep, which grows RSS by right. */
const itemCount = async () => {
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: endpoints.table, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
};
const statusMb = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${cloud.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const rssMb = () => statusMb('VmRSS');
/**
 * Anonymous memory by where it sits, from /proc/PID/smaps: malloc's (the main heap, `[heap]`, and the threads'
 * arenas, 64 MB-aligned mappings) and the rest (V8's heap pages, large array buffers). A drift in malloc's share with
 * flat V8 heaps is native memory: fragmentation, or a native leak.
 */
const anonSplitMb = () => {
  let malloc = 0;
  let other = 0;
  let tableFiles = 0;
  let mapping = { malloc: false, tableFile: false };
  for (const line of readFileSync(`/proc/${cloud.pid}/smaps`, 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (range) {
      const name = range[2] ?? '';
      mapping = {
        malloc: name === '[heap]' || (name === '' && BigInt(`0x${range[1]}`) % (64n << 20n) === 0n),
        tableFile: dataDir !== undefined && name.startsWith(dataDir),
      };
      continue;
    }
    const resident = /^Rss:\s+(\d+) kB/.exec(line);
    if (resident && mapping.tableFile) tableFiles += Number(resident[1]);
    const anon = /^Anonymous:\s+(\d+) kB/.exec(line);
    if (anon) {
      if (mapping.malloc) malloc += Number(anon[1]);
      else other += Number(anon[1]);
    }
  }
  return { malloc: malloc / 1024, other: other / 1024, tableFiles: tableFiles / 1024 };
};
/**
 * RSS split as the kernel sees it: anonymous (malloc's, and V8's pages with the rest) and file-backed (code, and the
 * table files LevelDB maps to read them: the data's own pages, which grow with the table by right).
 */
const describeRss = () => {
  const { malloc, other, tableFiles } = anonSplitMb();
  return `anon ${statusMb('RssAnon').toFixed(0)} (malloc ${malloc.toFixed(0)}, V8 pages and other ${other.toFixed(0)}) / file ${statusMb('RssFile').toFixed(0)} MB (LevelDB's mapped table files ${tableFiles.toFixed(0)})`;
};

/** The cloud's account of its memory (GET /_local/memory): its own heap and each function worker's, in MB. */
const heapsMb = async () => {
  const origin = new URL(api).origin;
  const memory = (await (await fetch(`${origin}/_local/memory`)).json()) as MemoryResponse;
  const workers = Object.values(memory.functionHeaps);
  const mb = (bytes: number) => bytes / 1024 / 1024;
  return {
    cloudUsed: mb(memory.cloudHeap.usedBytes),
    cloudTotal: mb(memory.cloudHeap.totalBytes),
    workersUsed: mb(workers.reduce((sum, heap) => sum + heap.usedBytes, 0)),
    workersTotal: mb(workers.reduce((sum, heap) => sum + heap.totalBytes, 0)),
    // Memory V8 accounts for outside its heaps: array buffers (the metric store's rings among them), native handles.
    external: mb(memory.cloudHeap.externalBytes + workers.reduce((sum, heap) => sum + heap.externalBytes, 0)),
    // The cloud heap's resident MB per space: new_space, old_space, code_space, large_object_space...
    cloudSpaces: Object.entries(memory.cloudSpaces)
      .filter(([, space]) => space.residentBytes >= 1 << 20)
      .map(([name, space]) => `${name.replace(/_space$/, '')} ${mb(space.residentBytes).toFixed(0)}`)
      .join(', '),
  };
};
const describeHeaps = (heaps: Awaited<ReturnType<typeof heapsMb>>) =>
  `cloud heap ${heaps.cloudUsed.toFixed(0)}/${heaps.cloudTotal.toFixed(0)} MB, function heaps ${heaps.workersUsed.toFixed(0)}/${heaps.workersTotal.toFixed(0)} MB (used/reserved; cloud resident: ${heaps.cloudSpaces}), external ${heaps.external.toFixed(0)} MB, ${describeRss()}`;

const samples: { minute: number; rssMb: number; sale: number }[] = [];
const started = performance.now();
let sales = 0;
/** RSS as each sale ends, when the heaps have shed the sale's garbage: retained memory, compared like for like. */
const endings: { sale: number; rssMb: number; products: number; retainedMb: number }[] = [];
const sampler = setInterval(async () => {
  const sample = { minute: (performance.now() - started) / 60_000, rssMb: rssMb(), sale: sales + 1 };
  samples.push(sample);
  const heaps = await heapsMb().catch(() => undefined);
  console.log(
    `t=${sample.minute.toFixed(1)} min  sale ${sample.sale}  RSS ${sample.rssMb.toFixed(0)} MB${heaps ? `  ${describeHeaps(heaps)}` : ''}`,
  );
}, 30_000);

// Every sale reads back its acknowledged writes (--verify-writes): an acknowledged write must be durable and readable.
const outDir = mkdtempSync(join(tmpdir(), 'soak-runs-'));
const writes = { acknowledged: 0, verified: 0, missing: 0 };
while (performance.now() - started < minutes * 60_000) {
  const out = join(outDir, `sale-${sales + 1}.json`);
  const load = spawn(process.execPath, [bin, 'load', '--target', api, '--profile', profile, '--verify-writes', '--out', out], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await new Promise((resolve) => load.once('exit', resolve));
  sales += 1;
  const run = JSON.parse(readFileSync(out, 'utf8')) as { writes?: { acknowledged: number; verified: number; missing: string[] } };
  writes.acknowledged += run.writes?.acknowledged ?? 0;
  writes.verified += run.writes?.verified ?? 0;
  writes.missing += run.writes?.missing.length ?? 0;
  const ended = { sale: sales, rssMb: rssMb(), products: await itemCount(), retainedMb: Number.NaN };
  const heapsAtEnd = describeHeaps(await heapsMb());
  if (retainedToo) {
    await fetch(`${new URL(api).origin}/_local/memory?gc=1`);
    ended.retainedMb = rssMb();
  }
  endings.push(ended);
  console.log(
    `sale ${sales} done: RSS ${ended.rssMb.toFixed(0)} MB${retainedToo ? ` (${ended.retainedMb.toFixed(0)} MB after a full GC)` : ''}, ${ended.products} products in the table, writes ${run.writes?.acknowledged ?? 0} acknowledged, ${run.writes?.missing.length ?? 0} missing; ${heapsAtEnd}${retainedToo ? `; after the GC: ${describeRss()}` : ''}`,
  );
}
clearInterval(sampler);
cloud.kill('SIGINT');
await new Promise((resolve) => cloud.once('exit', resolve));

const peaks = new Map<number, number>();
for (const sample of samples) peaks.set(sample.sale, Math.max(peaks.get(sample.sale) ?? 0, sample.rssMb));
const complete = [...peaks.entries()].filter(([sale]) => sale <= sales);
for (const [sale, peak] of complete) console.log(`sale ${sale}: peak RSS ${peak.toFixed(0)} MB`);
const [, warmPeak] = complete[1] ?? complete[0] ?? [0, 0];
const lastPeak = Math.max(...complete.slice(1).map(([, peak]) => peak));
if (warmPeak > 0)
  console.log(
    `${sales} flash sales in ${minutes} min: peak RSS of sale 2 (after warm-up) ${warmPeak.toFixed(0)} MB, highest later peak ${lastPeak.toFixed(0)} MB; drift ${(((lastPeak - warmPeak) / warmPeak) * 100).toFixed(1)}% (target within 15%)`,
  );
const [, warmEnd] = endings;
const lastEnd = endings[endings.length - 1];
if (warmEnd && lastEnd && lastEnd !== warmEnd)
  console.log(
    `RSS as sales end: sale 2 ${warmEnd.rssMb.toFixed(0)} MB (${warmEnd.products} products), sale ${lastEnd.sale} ${lastEnd.rssMb.toFixed(0)} MB (${lastEnd.products} products); drift ${(((lastEnd.rssMb - warmEnd.rssMb) / warmEnd.rssMb) * 100).toFixed(1)}%, of which the table's data is part: the sales create products`,
  );
if (warmEnd) {
  const worst = Math.max(...endings.slice(2).map((e) => Math.abs(e.rssMb - warmEnd.rssMb) / warmEnd.rssMb), 0);
  console.log(`RSS at the end of every sale after the second within ${(worst * 100).toFixed(1)}% of the second's (target within 10%)`);
  if (retainedToo) {
    const retained = Math.max(...endings.slice(2).map((e) => Math.abs(e.retainedMb - warmEnd.retainedMb) / warmEnd.retainedMb), 0);
    console.log(
      `RSS after a full GC at the end of every sale after the second within ${(retained * 100).toFixed(1)}% of the second's (${warmEnd.retainedMb.toFixed(0)} MB)`,
    );
  }
}
console.log(`writes over ${sales} sales: ${writes.acknowledged} acknowledged, ${writes.verified} verified, ${writes.missing} missing`);
