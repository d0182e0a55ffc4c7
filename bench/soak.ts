// Soak: the local cloud (its own process, from the cached synthesis) under the flash-sale profile, repeated for
// SOAK_MINUTES (default 30), with its RSS sampled every 30 s. Target (issue 10): after warm-up (the first sale), RSS
// stays within 15% of its post-warm-up value. RSS breathes with each sale (five V8 heaps grow under 200 requests a
// second and shrink after), so sales are compared like for like: the peak of each sale against the second sale's.
// Prints the samples and the drift. Run: tsx bench/soak.ts (not part of npm run bench: it takes half an hour).
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

const samples: { minute: number; rssMb: number; sale: number }[] = [];
const started = performance.now();
let sales = 0;
const sampler = setInterval(() => {
  const sample = { minute: (performance.now() - started) / 60_000, rssMb: rssMb(), sale: sales + 1 };
  samples.push(sample);
  console.log(`t=${sample.minute.toFixed(1)} min  sale ${sample.sale}  RSS ${sample.rssMb.toFixed(0)} MB`);
}, 30_000);

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
