// Prediction beside emulation: techmoda plan's prediction of a profile and the local cloud running it, phase by
// phase (ok and throttle counts as a share of the phase's requests; goal within 5%). Real time: 2.5 min for the lab
// profile, 5 min for flash-sale. npx tsx bench/plan-vs-local.ts [lab|flash-sale ...]

import { verifyOnLocalCloud } from '../src/lab/verify-plan.ts';
import { parseCheck } from '../src/load/load-checks.ts';
import { loadProfile } from '../src/load/load-profile.ts';
import { preparePlan } from '../src/plan/plan-sale.ts';
import { defaultPrices } from '../src/plan/prices.ts';
import { defaultSlos } from '../src/plan/slo-checks.ts';
import { closingRatePerSecond } from '../src/plan/traffic-profile.ts';
import { loadStackBases } from '../src/stack/stack-bases.ts';

const profiles = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['lab', 'flash-sale'];
const fidelity = { burstStartsFull: true, alarmDelayMs: 0, updateApplyDelayMs: 60_000 };
const summary: string[] = [];
for (const name of profiles) {
  const profile = loadProfile(name);
  const plan = preparePlan({
    profile,
    bases: await loadStackBases({ context: {} }),
    userContext: {},
    checks: defaultSlos.map((c) => parseCheck(c)),
    prices: defaultPrices,
    alarmDelayMs: fidelity.alarmDelayMs,
    capacityApplyMs: fidelity.updateApplyDelayMs,
    nowMs: Date.now(),
    baselineRatePerSecond: closingRatePerSecond(profile),
    seed: 50,
  });
  const comparisons = await verifyOnLocalCloud({ settings: plan.settings, evaluation: plan.baseline, fidelity, seed: 50, print: () => {} });
  for (const c of comparisons) {
    const f = (x: { ok: number; gateway: number; lambda: number; dynamodb: number }) =>
      `ok ${Math.round(x.ok)} 429 ${Math.round(x.gateway)} 500 ${Math.round(x.lambda)} 503 ${Math.round(x.dynamodb)}`;
    summary.push(
      `${name.padEnd(10)} ${c.name.padEnd(10)} ${String(c.requests).padStart(6)}  predicted ${f(c.predicted).padEnd(34)} emulated ${f(c.emulated).padEnd(34)} gap ${(100 * c.worstGap).toFixed(1)}%`,
    );
  }
}
console.log('\nprofile    phase      requests  prediction beside emulation (default stack, burst bucket full)');
for (const line of summary) console.log(line);
