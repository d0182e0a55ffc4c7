// CPU of the local cloud (its own process, all threads, from /proc) under the same load, without and then with one
// open dashboard stream. The figure the dashboard issue asks for: the local cloud's extra CPU for a viewer.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { tunedEnvironment } from '../src/cli/malloc-tuning.ts';
import { runLoad } from '../src/load/load-runner.ts';
import { synthesizeStack } from '../src/stack/synthesize-stack.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const rate = Number(process.env.BENCH_RATE ?? 200);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const template = synthesizeStack(
  { minReadCapacity: '40000', maxReadCapacity: '40000', sales: '[]' },
  mkdtempSync(join(tmpdir(), 'techmoda-bench-')),
);
const bin = new URL('../bin/techmoda.js', import.meta.url).pathname;
const ticksPerSecond = 100; // USER_HZ on Linux

/** Starts a fresh local cloud process, warms it up, and measures its CPU under the load, with or without a viewer. */
async function measure(label: string, withDashboard: boolean): Promise<{ cpuSeconds: number; frames: number }> {
  const cloud = spawn(process.execPath, [bin, 'local', '--port', '0', '--template', template, '--seed', '100'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // Already tuned, as `techmoda local` starts itself (malloc-tuning.ts): the pid read below is the cloud's own.
    env: tunedEnvironment(['local']) ?? process.env,
  });
  const apiUrl = await new Promise<string>((resolve) =>
    createInterface({ input: cloud.stdout }).on('line', (line) => line.startsWith('API ') && resolve(line.slice(4))),
  );
  const origin = new URL(apiUrl).origin;
  const cpuSeconds = () => {
    const fields = readFileSync(`/proc/${cloud.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  };
  const profile = (name: string, durationSeconds: number) => ({
    name,
    phases: [{ name, durationSeconds, ratePerSecond: rate }],
    mix: { get: 70, list: 20, listByCategory: 10 },
  });
  await runLoad({ target: new URL(apiUrl), profile: profile('warm-up', 10) });
  // One open dashboard: the page once, then its event stream read continuously, as a browser tab does.
  const controller = new AbortController();
  let frames = 0;
  let reading: Promise<void> = Promise.resolve();
  if (withDashboard) {
    await (await fetch(`${origin}/_local/dashboard`)).text();
    const stream = await fetch(`${origin}/_local/dashboard/stream`, { signal: controller.signal });
    reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>)
        frames += (decoder.decode(chunk).match(/^id: /gm) ?? []).length;
    })().catch(() => {});
  }
  const before = cpuSeconds();
  const run = await runLoad({ target: new URL(apiUrl), profile: profile(label, seconds) });
  const used = cpuSeconds() - before;
  controller.abort();
  await reading;
  const total = run.results.totalSummary();
  console.log(
    `${label.padEnd(20)} local cloud CPU ${((used / seconds) * 100).toFixed(1)}% of a core (${((used * 1e6) / total.completed).toFixed(0)} us/request), p99 ${total.latencyMs.p99.toFixed(1)} ms, errors ${total.errors}`,
  );
  cloud.kill('SIGTERM');
  await new Promise((resolve) => cloud.once('exit', resolve));
  return { cpuSeconds: used, frames };
}

console.log(`dashboard-cpu: ${rate} requests/s for ${seconds} s, a fresh local cloud per run, node ${process.version}`);
const runs: { without: number; with: number }[] = [];
for (let i = 0; i < 2; i++) {
  const without = await measure('no dashboard', false);
  const viewed = await measure('one dashboard open', true);
  runs.push({ without: without.cpuSeconds, with: viewed.cpuSeconds });
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const extra = mean(runs.map((r) => r.with)) - mean(runs.map((r) => r.without));
console.log(
  `extra CPU for one open dashboard: ${((extra / seconds) * 100).toFixed(1)}% of a core (mean of ${runs.length} pairs; run-to-run noise is a few %)`,
);
