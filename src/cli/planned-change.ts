import type { LoadCheck } from '../load/load-checks.ts';
import { parseCheck } from '../load/load-checks.ts';
import type { LoadProfile } from '../load/load-profile.ts';
import { defaultPrices } from '../plan/prices.ts';
import { closingRatePerSecond } from '../plan/traffic-profile.ts';
import type { FidelityOptions } from './fidelity-options.ts';
import { contextFlags } from './plan-output.ts';
import { preparePlan, searchPlan } from './plan-setup.ts';
import { defaultSlos } from './plan-slo.ts';

/**
 * The lab's "what to change", from the planner: the cheapest configuration that meets the SLOs (the lab's checks,
 * or the plan's defaults) with the burst bucket full and empty, as flags `npm run lab` takes, its monthly cost beside
 * the lab's configuration, and the command that verifies it.
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
  const checks = input.checks.length > 0 ? input.checks : defaultSlos.map((c) => parseCheck(c));
  const plan = await preparePlan({
    profile: input.profile,
    userContext: input.context,
    checks,
    prices: defaultPrices,
    fidelity: input.fidelity,
    baselineRatePerSecond: closingRatePerSecond(input.profile),
    seed: 50,
  });
  const search = searchPlan(plan, undefined);
  const usd = (value: number) => `$${value.toFixed(2)}`;
  const given = plan.baseline;
  const lines = [
    `- This configuration: ${usd(given.cost.perMonthUsd)} a month; it ${given.meetsSlo ? 'meets' : 'does not meet'} ${checks.map((c) => c.expression).join(', ')} in the prediction.`,
  ];
  const winner = search.recommendation;
  if (!winner) {
    lines.push(
      `- No configuration the planner tried meets them (${search.candidates} tried): techmoda plan --profile ${input.profileArgument} --search lists the closest.`,
    );
    return lines;
  }
  const flags = contextFlags({ ...input.context, ...winner.candidate.context });
  lines.push(
    `- Change to: ${winner.candidate.label}: ${usd(winner.cost.perMonthUsd)} a month (${usd(winner.cost.perEventUsd)} for this event).`,
  );
  lines.push(`  Verify it: npm run lab -- --profile ${input.profileArgument} ${flags}`);
  lines.push(
    `  The whole plan, costs and alternatives: npm run techmoda -- plan --profile ${input.profileArgument} --search ${contextFlags(input.context)}`.trimEnd(),
  );
  return lines;
}
