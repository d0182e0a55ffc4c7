// npm run bench: every benchmark in bench/, one after the other (they measure the same two cores).
import { spawnSync } from 'node:child_process';

const benches = ['local-start.ts', 'local-throughput.ts', 'load-generator.ts', 'dashboard-cpu.ts'];
let failed = 0;
for (const bench of benches) {
  console.log(`\n== bench/${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', new URL(bench, import.meta.url).pathname], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
