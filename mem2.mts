import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { LocalCloud } from '/work/main/src/local/local-cloud.ts';
import { readStackModel } from '/work/main/src/local/template-reader.ts';
import { dashboardRoutes } from '/work/main/src/dashboard/dashboard-routes.ts';
const cacheDir = '/work/main/node_modules/.cache/techmoda/';
const entry = readdirSync(cacheDir).filter((n) => n.startsWith('synth-'))[0];
const template = cacheDir + entry + '/' + readFileSync(cacheDir + entry + '/template-path.txt', 'utf8').trim();
async function main() {
  const cloud = new LocalCloud({ model: readStackModel(template), port: 0, controlPlaneRoutes: dashboardRoutes });
  const { apiUrl } = await cloud.start();
  const mb = (n: number) => (n / 1048576).toFixed(0);
  const t0 = performance.now();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    console.log(`t=${((performance.now() - t0) / 1000).toFixed(0)}s rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} events ${cloud.controlPlane.events.lastSeq}`);
  }, 15000);
  const load = spawn(process.execPath, ['/work/main/bin/techmoda.js', 'load', '--target', apiUrl, '--profile', 'flash-sale'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, Number(process.env.SECS ?? 120) * 1000));
  (await import("node:v8")).writeHeapSnapshot("/tmp/cloud2.heapsnapshot");
  load.kill();
  clearInterval(timer);
  await cloud.stop();
}
main();
