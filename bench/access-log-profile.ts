// How fast techmoda profile reads access logs: a day at 20 requests per second (1,728,000 lines in the stack's
// jsonWithStandardFields format), through the whole command in its own process, timed, with its peak RSS.
// npx tsx bench/access-log-profile.ts  (targets: under 10 s and under 300 MB)

import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessLogLine, standardAccessLogFormat } from '../src/local/gateway/access-log.ts';

if (process.argv[2] === '--child') {
  // The command as a user runs it, then this process's own peak RSS for the parent to print.
  const { main } = await import('../src/cli/main.ts');
  const code = await main(process.argv.slice(3));
  console.log(`maxRSS ${process.resourceUsage().maxRSS}`);
  process.exit(code);
}

const dir = mkdtempSync(join(tmpdir(), 'access-log-bench-'));
const log = join(dir, 'day.log');
const routes = [
  ['GET', '/products/{id}', 55],
  ['GET', '/products', 35],
  ['POST', '/products', 5],
  ['PUT', '/products/{id}', 4],
  ['DELETE', '/products/{id}', 1],
] as const;
/** The route of the pick-th request of each hundred, by the shares above. */
function routeAt(pick: number): (typeof routes)[number] {
  let below = 0;
  for (const route of routes) {
    below += route[2];
    if (pick < below) return route;
  }
  return routes[0];
}
const dayStartMs = Date.parse('2026-11-27T00:00:00Z');
const perSecond = 20;
const out = createWriteStream(log);
let lines = 0;
for (let second = 0; second < 86_400; second++) {
  const chunk: string[] = [];
  for (let i = 0; i < perSecond; i++) {
    const pick = (second * perSecond + i) % 100;
    const route = routeAt(pick);
    chunk.push(
      accessLogLine(standardAccessLogFormat, {
        requestId: `${second}-${i}`,
        sourceIp: '203.0.113.7',
        requestTimeMs: dayStartMs + second * 1000 + i * 50,
        httpMethod: route[0],
        resourcePath: route[1],
        path: '/prod/products',
        protocol: 'HTTP/1.1',
        status: 200,
        responseLength: 812,
        responseLatencyMs: 18,
        integrationLatencyMs: 16,
        stage: 'prod',
        apiId: 'a1b2c3',
        errorMessage: undefined,
      }),
    );
  }
  lines += chunk.length;
  if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}
await new Promise<void>((resolve) => out.end(() => resolve()));
console.log(`access log: ${lines.toLocaleString('en')} lines, ${(statSync(log).size / 1e6).toFixed(0)} MB`);

for (let run = 1; run <= 2; run++) {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      new URL(import.meta.url).pathname,
      '--child',
      'profile',
      '--from-access-logs',
      log,
      '--step',
      '60',
      '--out',
      join(dir, 'day.yaml'),
    ],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  const maxRssKb = Number(/maxRSS (\d+)/.exec(child.stdout)?.[1] ?? Number.NaN);
  if (child.status !== 0) throw new Error(`techmoda profile failed: ${child.stderr}`);
  console.log(
    `run ${run}: techmoda profile --from-access-logs (1 s data, 60 s steps): ${seconds.toFixed(1)} s wall, peak RSS ${(maxRssKb / 1024).toFixed(0)} MB (targets: < 10 s, < 300 MB)`,
  );
  if (run === 1)
    console.log(
      child.stdout
        .split('\n')
        .filter((l) => /^(Profile|Mix|Phases)/.test(l))
        .join('\n'),
    );
}
