import { type LoadCheck, parseCheck } from '../load/load-checks.ts';
import type { LoadProfile } from '../load/load-profile.ts';
import { labAdvice } from '../plan/lab-advice.ts';
import { planSale } from '../plan/plan-sale.ts';
import { defaultPrices } from '../plan/prices.ts';
import { defaultSlos } from '../plan/slo-checks.ts';
import { closingRatePerSecond } from '../plan/traffic-profile.ts';
import { loadStackBases } from '../stack/stack-bases.ts';
import type { FidelityOptions } from './fidelity.ts';

/**
 * The lab's "what to change": the planner's search over the lab's stack and profile, with the lab's checks (or the
 * plan's default SLOs), the built-in prices and the lab's seed, told as lines (src/plan/lab-advice.ts).
 */
export async function plannedChange(input: {
  profile: LoadProfile;
  /** The --profile argument the user gave (a built-in name or a file), repeated in the printed commands. */
  profileArgument: string;
  context: Record<string, string>;
  template: string | undefined;
  checks: readonly LoadCheck[];
  fidelity: FidelityOptions;
}): Promise<string[]> {
  if (input.template)
    return ['- techmoda plan searches the CDK app’s options; with --template it can only predict: techmoda plan --template <file>'];
  const plan = planSale(
    {
      profile: input.profile,
      bases: await loadStackBases({ context: input.context }),
      userContext: input.context,
      checks: input.checks.length > 0 ? input.checks : defaultSlos.map((c) => parseCheck(c)),
      prices: defaultPrices,
      alarmDelayMs: input.fidelity.alarmDelayMs,
      capacityApplyMs: input.fidelity.updateApplyDelayMs,
      baselineRatePerSecond: closingRatePerSecond(input.profile),
      seed: 50,
      nowMs: Date.now(),
    },
    { search: true },
  );
  return labAdvice(plan, input.profileArgument);
}
