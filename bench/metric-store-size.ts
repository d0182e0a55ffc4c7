// The metric store's memory under a sale's traffic held for its whole retention: the bound issue 10 asks to show.
// Eight percentile series (the stack's Latency, IntegrationLatency and Duration series) and 36 plain ones, 200
// values a second each, latencies spread over 5-1,100 ms (about 160 distinct 2% buckets a second). Prints what the
// store holds (ArrayBuffers and heap after a full GC; RSS also carries this loop's own garbage) at 30 minutes and at
// 3 hours, for the default (per-second histograms for the last 5 minutes, per-minute ones beyond) and, side by side,
// per-second histograms for all 3 hours (the previous design). Run: node --expose-gc --import tsx bench/metric-store-size.ts
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MetricStore } from '../src/scaling/metric-store.ts';

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with node --expose-gc --import tsx bench/metric-store-size.ts');
const memory = () => {
  collect();
  const m = process.memoryUsage();
  return { rss: m.rss / 1e6, heap: m.heapUsed / 1e6, arrayBuffers: m.arrayBuffers / 1e6 };
};
const percentileSeries = Array.from({ length: 8 }, (_, i) => ({
  namespace: 'AWS/ApiGateway',
  metricName: ['Latency', 'IntegrationLatency', 'Duration'][i % 3] as string,
  dimensions: { series: String(i) },
}));
const plainSeries = Array.from({ length: 36 }, (_, i) => ({
  namespace: 'AWS/DynamoDB',
  metricName: 'Count',
  dimensions: { series: String(i) },
}));
let seed = 1;
const random = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};

// Each design in a fresh process of its own (this script again, with the design's name), so neither inherits the
// other's freed memory.
const designs = {
  default: ['default (seconds for 5 min, then minutes)', undefined],
  previous: ['per-second histograms for 3 hours', 3 * 3_600_000],
} as const;
const design = process.argv[2] as keyof typeof designs | undefined;
if (!design) {
  for (const name of Object.keys(designs))
    spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
} else {
  const [label, secondHistogramsMs] = designs[design];
  const store = new MetricStore({ secondHistogramsMs });
  const before = memory();
  let second = 0;
  for (const until of [30 * 60, 3 * 3600]) {
    for (; second < until; second++) {
      for (let k = 0; k < 200; k++) {
        const latencyMs = 5 * Math.exp(random() * 4) * (1 + random());
        for (const id of percentileSeries) store.record(id, latencyMs, second * 1000 + k * 5);
      }
      for (const id of plainSeries) store.record(id, 1, second * 1000);
    }
    const now = memory();
    console.log(
      `${label}, after ${(until / 60).toFixed(0)} min: holds ${(now.arrayBuffers - before.arrayBuffers + now.heap - before.heap).toFixed(1)} MB (ArrayBuffers +${(now.arrayBuffers - before.arrayBuffers).toFixed(1)}, heap +${(now.heap - before.heap).toFixed(1)}); RSS +${(now.rss - before.rss).toFixed(1)} MB`,
    );
  }
}
