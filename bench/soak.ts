// Soak: the local cloud (its own process, from the cached synthesis) under the flash-sale profile, repeated for
// SOAK_MINUTES (default 30), with its RSS sampled every 30 s. Target (issue 10): after warm-up (the first sale), RSS
// stays within 15% of its post-warm-up value. Prints the samples and the drift. Run: tsx bench/soak.ts (not part of
// npm run bench: it takes half an hour).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const minutes = Number(process.env.SOAK_MINUTES ?? 30);
const bin = new URL('../bin/techmoda.js', import.meta.url).pathname;
const cloud = spawn(process.execPath, [bin, 'local', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const api = await new Promise<string>((resolve, reject) => {
  createInterface({ input: cloud.stdout }).on('line', (line) => {
    if (line.startsWith('API ')) resolve(line.slice(4));
  });
  cloud.once('exit', (code) => reject(new Error(`techmoda local exited with ${code}`)));
});
const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${cloud.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const samples: { minute: number; rssMb: number }[] = [];
const started = performance.now();
const sampler = setInterval(() => {
  const sample = { minute: (performance.now() - started) / 60_000, rssMb: rssMb() };
  samples.push(sample);
  console.log(`t=${sample.minute.toFixed(1)} min  RSS ${sample.rssMb.toFixed(0)} MB`);
}, 30_000);

let sales = 0;
while (performance.now() - started < minutes * 60_000) {
  const load = spawn(process.execPath, [bin, 'load', '--target', api, '--profile', 'flash-sale'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await new Promise((resolve) => load.once('exit', resolve));
  sales += 1;
}
clearInterval(sampler);
cloud.kill('SIGINT');
await new Promise((resolve) => cloud.once('exit', resolve));

const warm = samples.find((s) => s.minute >= 5) ?? samples[0];
const last = samples[samples.length - 1];
if (warm && last) {
  const peak = Math.max(...samples.filter((s) => s.minute >= warm.minute).map((s) => s.rssMb));
  console.log(
    `${sales} flash sales in ${minutes} min: RSS after warm-up (5 min) ${warm.rssMb.toFixed(0)} MB, at the end ${last.rssMb.toFixed(0)} MB, peak ${peak.toFixed(0)} MB; drift ${(((peak - warm.rssMb) / warm.rssMb) * 100).toFixed(1)}% (target within 15%)`,
  );
}
