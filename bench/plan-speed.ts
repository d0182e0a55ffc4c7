// How fast the planner is: a day of traffic second by second, and a search over the flash-sale profile.
// npx tsx bench/plan-speed.ts  (targets: a day in under 1 s; at least 200 candidates in under 10 s)

import { parseCheck } from '../src/load/load-checks.ts';
import { builtInProfiles } from '../src/load/load-profile.ts';
import { preparePlan, searchPlan } from '../src/plan/plan-sale.ts';
import { defaultPrices } from '../src/plan/prices.ts';
import { productApiDemand } from '../src/plan/product-api-demand.ts';
import { simulateSale } from '../src/plan/sale-simulation.ts';
import { defaultSlos } from '../src/plan/slo-checks.ts';
import { loadStackBases } from '../src/stack/stack-bases.ts';
import { loadStackModel } from '../src/stack/stack-source.ts';

const flashSale = builtInProfiles['flash-sale'];
if (!flashSale) throw new Error('no flash-sale profile');
const model = await loadStackModel({ context: {} });
const demand = productApiDemand(model.tables, 50);
const day = { name: 'day', phases: [{ name: 'day', durationSeconds: 86_400, ratePerSecond: 20 }], mix: flashSale.mix };

// Two runs warm the JIT and are not counted; seven are measured: their median and best (this machine is noisy).
const dayRuns: number[] = [];
for (let run = 0; run < 9; run++) {
  const started = performance.now();
  const prediction = simulateSale({ model, profile: day, demand, burstStartsFull: true, startMs: Date.parse('2026-12-01T00:00:00Z') });
  if (run >= 2) dayRuns.push(performance.now() - started);
  if (run === 0)
    console.log(
      `a day at 20 requests per second: ${Math.round(prediction.total.requests)} requests, ${prediction.timeline.length} timeline samples`,
    );
}
const sorted = [...dayRuns].sort((a, b) => a - b);
console.log(
  `day (86,400 one-second steps), after 2 warm-up runs: ${dayRuns.map((ms) => `${Math.round(ms)} ms`).join(', ')}; median ${Math.round(sorted[3] ?? 0)} ms, best ${Math.round(sorted[0] ?? 0)} ms (target < 1,000 ms)`,
);

const fidelity = { burstStartsFull: true, alarmDelayMs: 0, updateApplyDelayMs: 60_000 };
const plan = preparePlan({
  profile: flashSale,
  bases: await loadStackBases({ context: {} }),
  userContext: {},
  checks: defaultSlos.map((c) => parseCheck(c)),
  prices: defaultPrices,
  alarmDelayMs: fidelity.alarmDelayMs,
  capacityApplyMs: fidelity.updateApplyDelayMs,
  nowMs: Date.now(),
  baselineRatePerSecond: 20,
  seed: 50,
});
for (let run = 0; run < 3; run++) {
  const search = searchPlan(plan, undefined);
  console.log(
    `search over flash-sale: ${search.candidates} candidates in ${search.seconds.toFixed(2)} s (target < 10 s); recommendation: ${search.recommendation?.candidate.label ?? 'none'}`,
  );
}
