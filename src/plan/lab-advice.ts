import { contextFlags } from './context-flags.ts';
import type { SalePlan } from './plan-sale.ts';

/**
 * The lab's "what to change", from a searched plan: the cheapest configuration that meets the SLOs with the burst
 * bucket full and empty, as flags `npm run lab` takes, its monthly cost beside the lab's configuration, and the
 * command that verifies it. `profileArgument` is the --profile the user gave, repeated in the printed commands.
 */
export function labAdvice(plan: SalePlan, profileArgument: string): string[] {
  const { settings, search } = plan;
  const usd = (value: number) => `$${value.toFixed(2)}`;
  const given = plan.baseline;
  const lines = [
    `- This configuration: ${usd(given.cost.perMonthUsd)} a month; it ${given.meetsSlo ? 'meets' : 'does not meet'} ${settings.checks.map((c) => c.expression).join(', ')} in the prediction.`,
  ];
  const winner = search?.recommendation;
  if (!winner) {
    lines.push(
      `- No configuration the planner tried meets them (${search?.candidates ?? 0} tried): techmoda plan --profile ${profileArgument} --search lists the closest.`,
    );
    return lines;
  }
  const flags = contextFlags({ ...settings.userContext, ...winner.candidate.context });
  lines.push(
    `- Change to: ${winner.candidate.label}: ${usd(winner.cost.perMonthUsd)} a month (${usd(winner.cost.perEventUsd)} for this event).`,
  );
  lines.push(`  Verify it: npm run lab -- --profile ${profileArgument} ${flags}`);
  lines.push(
    `  The whole plan, costs and alternatives: npm run techmoda -- plan --profile ${profileArgument} --search ${contextFlags(settings.userContext)}`.trimEnd(),
  );
  return lines;
}
