// techmoda load's engine beside autocannon, same run, against a trivial server in its own process: at 100, 500, 2,000
// and 5,000 requests per second, the achieved rate, schedule lag p99, process CPU per request, and how evenly each
// tool spreads its requests (the most the server saw in one 10 ms window, against the rate's share of one); then
// the CPU of an idle run at 5 requests per second, in % of a core.
// Targets (issue 15): CPU per request at most 2x autocannon's, idle under 2% of a core at 5/s, achieved rate within
// 1% of the target, schedule lag p99 at most 2 ms. autocannon's overallRate sends each second's share in a burst at
// the top of the second (its busiest 10 ms shows it), so it wakes a few times a second; an evenly spaced schedule
// wakes at least twice per request (send, answer). The raw-socket line measures that floor on this machine.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { pumpArrivals } from '../src/load/arrival-pump.ts';
import { arrivals } from '../src/load/arrival-schedule.ts';
import { runLoad } from '../src/load/load-runner.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const rates = (process.env.BENCH_RATES ?? '100,500,2000,5000').split(',').map(Number);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 20);

// The server counts arrivals per 10 ms window and answers GET /_bench/burst with the busiest window since the last ask.
const server = spawn(
  process.execPath,
  [
    '-e',
    `
  const http = require('node:http');
  const windows = new Map();
  const s = http.createServer((q, r) => {
    if (q.url === '/_bench/burst') { r.end(String(Math.max(0, ...windows.values()))); windows.clear(); return; }
    const w = Math.floor(performance.now() / 10);
    windows.set(w, (windows.get(w) || 0) + 1);
    r.setHeader('content-type', 'application/json');
    r.end('{"items":[]}');
  });
  s.keepAliveTimeout = 30000;
  s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
const target = new URL(`http://127.0.0.1:${port}/prod`);
const busiestWindow = async () => Number(await (await fetch(`http://127.0.0.1:${port}/_bench/burst`)).text());
const steady = (rate: number, duration: number) => ({
  name: `bench-${rate}`,
  phases: [{ name: 'steady', durationSeconds: duration, ratePerSecond: rate }],
  mix: { list: 1 as const },
});

/** Runs `work`, returning its process CPU in µs and its wall time in s. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; cpuUs: number; wallS: number }> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { result, cpuUs: used.user + used.system, wallS: (performance.now() - wall) / 1000 };
}

const ours = (rate: number, duration: number) =>
  measured(() => runLoad({ target, profile: steady(rate, duration), connections: 64 }).then((run) => run.results.totalSummary()));
/**
 * The floor of any evenly spaced sender here: the same schedule written as raw HTTP/1.1 bytes on one keep-alive
 * socket, responses counted and discarded (no parsing, no bookkeeping). Not a tool: what waking twice per request costs.
 */
const floor = (rate: number, duration: number) =>
  measured(async () => {
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.on('data', () => {});
    const bytes = Buffer.from('GET /prod/products?limit=20 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    const start = performance.now();
    await pumpArrivals(
      arrivals(steady(rate, duration).phases),
      () => performance.now() - start,
      () => socket.write(bytes),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
  });
const theirs = (rate: number, duration: number) =>
  measured(() => autocannon({ url: `${target.href}/products?limit=20`, connections: 64, overallRate: rate, duration }));

console.log(`load-generator: trivial server in its own process, ${seconds} s per rate, node ${process.version}`);
await ours(500, 3); // warm both up: JIT and connections, so neither pays for them in its figures
await theirs(500, 3);
await busiestWindow();
for (const rate of rates) {
  const a = await ours(rate, seconds);
  const aBurst = await busiestWindow();
  const bare = await floor(rate, seconds);
  const b = await theirs(rate, seconds);
  const bBurst = await busiestWindow();
  const total = a.result;
  const acRequests = b.result.requests.total;
  const ourCpu = a.cpuUs / total.completed;
  const theirCpu = b.cpuUs / acRequests;
  const share = rate / 100;
  console.log(
    `techmoda load @ ${rate}/s: achieved ${((100 * total.sent) / seconds / rate).toFixed(2)}% of the rate, schedule lag p99 ${total.scheduleLagMs?.p99.toFixed(3)} ms, latency p50 ${total.latencyMs.p50.toFixed(2)} ms p99 ${total.latencyMs.p99.toFixed(2)} ms, CPU ${ourCpu.toFixed(1)} us/request (${(ourCpu / theirCpu).toFixed(2)}x autocannon), busiest 10 ms ${aBurst} requests (${share} even), errors ${total.errors}`,
  );
  console.log(
    `raw socket    @ ${rate}/s: the same schedule as bare bytes on one socket, CPU ${(bare.cpuUs / (rate * seconds)).toFixed(1)} us/request (the floor of an evenly spaced sender here)`,
  );
  console.log(
    `autocannon    @ ${rate}/s: achieved ${((100 * acRequests) / seconds / rate).toFixed(2)}% of the rate, latency p50 ${b.result.latency.p50} ms p99 ${b.result.latency.p99} ms (from send, not intended time), CPU ${theirCpu.toFixed(1)} us/request, busiest 10 ms ${bBurst} requests, errors ${b.result.errors + b.result.non2xx}`,
  );
}
const idle = await ours(5, idleSeconds);
const acIdle = await theirs(5, idleSeconds);
console.log(
  `idle at 5/s for ${idleSeconds} s: techmoda load ${((100 * idle.cpuUs) / 1e6 / idle.wallS).toFixed(2)}% of a core (target < 2%), autocannon ${((100 * acIdle.cpuUs) / 1e6 / acIdle.wallS).toFixed(2)}%`,
);
server.kill();
