// techmoda load's engine against a trivial server (in its own process) at 1,000 and 5,000 requests per second for
// 20 s each: achieved rate, schedule lag p99 and CPU per request, with autocannon at the same rate beside it.
// Targets: at 5,000/s the achieved rate within 1% of the target and schedule lag p99 at most 2 ms.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { runLoad } from '../src/load/load-runner.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const rates = (process.env.BENCH_RATES ?? '1000,5000').split(',').map(Number);
const server = spawn(
  process.execPath,
  [
    '-e',
    `
  const http = require('node:http');
  const s = http.createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('{"items":[]}'); });
  s.keepAliveTimeout = 30000;
  s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
const target = new URL(`http://127.0.0.1:${port}/prod`);

console.log(`load-generator: trivial server in its own process, ${seconds} s per rate, node ${process.version}`);
for (const rate of rates) {
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const run = await runLoad({
    target,
    profile: { name: `bench-${rate}`, phases: [{ name: 'steady', durationSeconds: seconds, ratePerSecond: rate }], mix: { list: 1 } },
    connections: 64,
  });
  const cpu = process.cpuUsage(cpuBefore);
  const elu = performance.eventLoopUtilization(eluBefore);
  const total = run.results.totalSummary();
  const achieved = total.completed / seconds;
  console.log(
    `techmoda load @ ${rate}/s: achieved ${achieved.toFixed(1)}/s (${((100 * achieved) / rate).toFixed(2)}%), schedule lag p99 ${total.scheduleLagMs.p99.toFixed(3)} ms, latency p50 ${total.latencyMs.p50.toFixed(2)} ms p99 ${total.latencyMs.p99.toFixed(2)} ms, event loop busy ${((elu.active * 1000) / total.completed).toFixed(1)} us/request (ELU ${(elu.utilization * 100).toFixed(0)}%), process CPU ${((cpu.user + cpu.system) / total.completed).toFixed(1)} us/request, errors ${total.errors}`,
  );
  const acBefore = process.cpuUsage();
  const acEluBefore = performance.eventLoopUtilization();
  const ac = await autocannon({ url: `${target.href}/products?limit=20`, connections: 64, overallRate: rate, duration: seconds });
  const acCpu = process.cpuUsage(acBefore);
  const acElu = performance.eventLoopUtilization(acEluBefore);
  const acRequests = ac.requests.total;
  console.log(
    `autocannon    @ ${rate}/s: achieved ${(acRequests / seconds).toFixed(1)}/s (${((100 * acRequests) / seconds / rate).toFixed(2)}%), latency p50 ${ac.latency.p50} ms p99 ${ac.latency.p99} ms (closed loop: measured from send, not intended time), event loop busy ${((acElu.active * 1000) / acRequests).toFixed(1)} us/request (ELU ${(acElu.utilization * 100).toFixed(0)}%), process CPU ${((acCpu.user + acCpu.system) / acRequests).toFixed(1)} us/request, errors ${ac.errors + ac.non2xx}`,
  );
}
server.kill();
