import { writeFileSync } from 'node:fs';
import { UsageError } from '../common/usage-error.ts';
import { parseCheck } from '../load/load-checks.ts';
import { loadProfile } from '../load/load-profile.ts';
import { withLead } from '../load/profile-lead.ts';
import { contextFlags } from '../plan/context-flags.ts';
import type { Evaluation, PlanSettings } from '../plan/evaluation.ts';
import { planJson } from '../plan/plan-document.ts';
import { burstDependence, familyComparison, whatBinds } from '../plan/plan-explanation.ts';
import { planSale, type SearchResult } from '../plan/plan-sale.ts';
import { defaultSlos } from '../plan/slo-checks.ts';
import { closingRatePerSecond } from '../plan/traffic-profile.ts';
import { loadStackBases } from '../stack/stack-bases.ts';
import { exitCodes } from './cli-error.ts';
import type { Command } from './command.ts';
import { fidelityOptions, fidelityOptionsDeclaration } from './fidelity-options.ts';
import { paceHeapForLocalCloud } from './heap-pacing.ts';
import { contextOptions, durationOption, integerOption, numberOption, parseOptions } from './option-values.ts';
import { costTable, eventLines, predictionTable, profileArgument, rankingTable } from './plan-output.ts';
import { writePlanReport } from './plan-report.ts';
import { loadPrices } from './prices-file.ts';

const usage = `Usage: techmoda plan --profile lab|flash-sale|FILE [options]

Predicts what a traffic profile does to the stack, without sending a request: per phase the requests, 2xx, 429
(gateway), 500 (Lambda) and 503 (DynamoDB after the SDK's retries), latency, peak concurrency, capacity over time,
alarms and scaling; with the burst bucket full and empty. Prices the event and a 30-day month. --search finds the
cheapest configuration that meets the SLOs; --verify runs it on the local cloud beside the prediction.

Options:
  --profile NAME|FILE     load profile (default lab; also flash-sale or a YAML/JSON file)
  -c, --context K=V       CDK context option of the stack to start from, repeatable (as npm run lab takes them)
  --template FILE         predict this template instead, synthesized CDK output or SAM (no --search: the search
                          needs the CDK app)
  --stack-name NAME       AWS::StackName of the --template (default techmoda-local for SAM)
  --slo EXPR              SLO in techmoda load's --check grammar, repeatable (default: ${defaultSlos.join(' ')})
  --search                rank configurations (billing mode, capacities, target, scheduled raise, concurrency)
  --verify                run the recommended (or given) configuration on the local cloud and compare
  --baseline-rps N        traffic for the rest of the month (default: the rate the profile ends at)
  --prices FILE           JSON over the built-in us-east-1 prices (any subset of their fields)
  --lead DURATION         start the run this long before the profile, at its first rate (15m, 30m, 1h), so
                          scheduled raises can land before the traffic rises; --search then tries raises 5, 15
                          and 30 minutes ahead, as far as the lead allows
  --warm-start            start where the deployed scaling settles on the profile's first phase held for an hour
                          (table and GSI capacity, provisioned concurrency, an on-demand table's previous peak),
                          instead of as deployed and idle; --verify starts the local cloud the same way
  --sale-start ISO        the moment the profile's peak starts, for absolute "sales" times (default: relative, "+PT1M")
  --seed N                products seeded before the profile (default 50, as npm run lab seeds); the profile's
                          creates add to them, and listings are priced on the fuller pages
  --out FILE.json         write the plan (schema in the README)
  --report FILE.html      write a self-contained HTML report
  --no-cache              synthesize afresh instead of reusing the cached stack
  --burst-start full|empty   the assumption --verify runs with (the plan itself always evaluates both; default full)
  --alarm-delay-seconds N    alarms act N seconds after their data (default 0)
  --capacity-apply-seconds N an UpdateTable takes N seconds to apply (default 60)

Exit codes: 0 the plan meets the SLOs, 1 it does not (or no candidate does), 2 usage error.`;

/** `techmoda plan`: predict, price, search, verify. */
export const planCommand: Command = {
  usage,
  async run(args) {
    const values = parseOptions(args, {
      profile: { type: 'string' },
      context: { type: 'string', short: 'c', multiple: true },
      template: { type: 'string' },
      'stack-name': { type: 'string' },
      slo: { type: 'string', multiple: true },
      search: { type: 'boolean' },
      verify: { type: 'boolean' },
      'baseline-rps': { type: 'string' },
      prices: { type: 'string' },
      'sale-start': { type: 'string' },
      lead: { type: 'string' },
      'warm-start': { type: 'boolean' },
      seed: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      'no-cache': { type: 'boolean' },
      ...fidelityOptionsDeclaration,
    });
    const leadSeconds = durationOption('lead', values.lead, 24 * 3600);
    const profile = withLead(loadProfile(values.profile ?? 'lab'), leadSeconds);
    const checks = (values.slo ?? defaultSlos).map((c) => parseCheck(c));
    const fidelity = fidelityOptions(values);
    const prices = loadPrices(values.prices);
    const seed = integerOption('seed', values.seed, 50, 1, 100_000);
    const baselineRatePerSecond = numberOption('baseline-rps', values['baseline-rps'], closingRatePerSecond(profile), 0, 100_000);
    const userContext = contextOptions(values.context);
    if (values.template && values.search) throw new UsageError('--search varies the CDK app’s context; it cannot search a --template');
    if (values.template && Object.keys(userContext).length > 0)
      throw new UsageError('-c applies to synthesis; it cannot be combined with --template');
    const saleStartMs = values['sale-start'] === undefined ? undefined : Date.parse(values['sale-start']);
    if (saleStartMs !== undefined && !(/^\d{4}-\d\d-\d\dT/.test(values['sale-start'] ?? '') && Number.isFinite(saleStartMs)))
      throw new UsageError(`--sale-start takes an ISO-8601 time such as 2027-01-08T08:00:00Z, got "${values['sale-start']}"`);

    const plan = planSale(
      {
        profile,
        bases: await loadStackBases({
          template: values.template,
          stackName: values['stack-name'],
          context: userContext,
          noCache: values['no-cache'] === true,
        }),
        fixedTemplate: values.template !== undefined,
        userContext,
        checks,
        prices,
        alarmDelayMs: fidelity.alarmDelayMs,
        capacityApplyMs: fidelity.updateApplyDelayMs,
        baselineRatePerSecond,
        seed,
        saleStartMs,
        nowMs: Date.now(),
        warmStart: values['warm-start'] === true,
      },
      { search: values.search === true },
    );
    const { settings, baseline, search } = plan;
    console.log(
      `Plan for profile ${profile.name}; prices ${prices.region} as of ${prices.asOf}; SLOs: ${checks.map((c) => c.expression).join(', ')}`,
    );
    console.log(
      `Assumptions: burst bucket full and empty (both planned); alarms act ${fidelity.alarmDelayMs / 1000} s after their data; UpdateTable applies after ${fidelity.updateApplyDelayMs / 1000} s`,
    );
    console.log(startLine(leadSeconds, values['warm-start'] === true));
    printEvaluation('The given configuration', baseline);

    if (search) {
      const skippedMeeting = search.skipped.filter((s) => s.meets).length;
      console.log(
        `\nSearched ${search.candidates} configurations in ${search.seconds.toFixed(1)} s: ${search.ranked.length} simulated, ${search.skipped.length} skipped (${skippedMeeting} with more capacity than one that meets the SLOs, so they cost more; ${search.skipped.length - skippedMeeting} with less than one that fails)${search.refused.length ? `, ${search.refused.length} refused by the stack` : ''}:`,
      );
      console.log(rankingTable(search.ranked, 12));
      if (search.recommendation) printRecommendation(settings, baseline, search, runArguments(values.profile ?? 'lab', values.lead));
      else {
        console.log('\nNo configuration meets the SLOs. The closest:');
        for (const e of search.ranked.slice(0, 5))
          console.log(`- ${e.candidate.label}: errors ${(100 * e.errorShare).toFixed(2)}%, p99 ${e.p99Ms.toFixed(0)} ms`);
      }
    }
    const recommendation = search?.recommendation;
    const ranked = search?.ranked ?? [];
    const saferRunnerUp = search?.saferRunnerUp;
    const chosen = recommendation ?? baseline;
    const json = planJson({ settings, baseline, ranked, skipped: search?.skipped, recommendation, saferRunnerUp });
    if (values.out) {
      writeFileSync(values.out, `${JSON.stringify(json, null, 2)}\n`);
      console.log(`wrote ${values.out}`);
    }
    if (values.report) {
      writePlanReport(values.report, { settings, baseline, chosen, ranked });
      console.log(`wrote ${values.report}`);
    }
    if (values.verify) {
      paceHeapForLocalCloud();
      // Loaded only for --verify: the local cloud (dynalite, the runtime, the SDK) is most of this command's start-up.
      const { verifyOnLocalCloud } = await import('../lab/verify-plan.ts');
      await verifyOnLocalCloud({ settings, evaluation: chosen, fidelity, seed, print: (line) => console.log(line) });
    }
    if (values.search) return recommendation ? exitCodes.ok : exitCodes.checkFailed;
    return baseline.meetsSlo ? exitCodes.ok : exitCodes.checkFailed;
  },
};

function printEvaluation(title: string, evaluation: Evaluation): void {
  const { full, empty } = evaluation.predictions;
  if (full) {
    console.log(`\n${title}, burst bucket full:`);
    console.log(predictionTable(full));
    for (const line of eventLines(full)) console.log(line);
  }
  console.log(`\n${title}, burst bucket empty:`);
  console.log(predictionTable(empty));
  console.log(burstDependence(evaluation));
  console.log(`\nCost (${evaluation.candidate.label}):`);
  console.log(costTable(evaluation));
}

/** How each run starts: when, relative to the profile, and in what state. */
function startLine(leadSeconds: number, warm: boolean): string {
  const when =
    leadSeconds > 0 ? `${leadSeconds / 60} min before the profile (phase "lead" at its first rate)` : "at the profile's first second";
  const state = warm
    ? 'warm: capacity and provisioned concurrency where scaling settles on the first phase held for an hour'
    : 'as deployed and idle (add --warm-start for the state after an hour of the first phase)';
  return `Runs start ${when}, ${state}.`;
}

/** The arguments `npm run lab` needs to run the same traffic: the profile and its lead. */
function runArguments(profile: string, lead: string | undefined): string {
  return `--profile ${profileArgument(profile)}${lead ? ` --lead ${lead}` : ''}`;
}

function printRecommendation(settings: PlanSettings, baseline: Evaluation, search: SearchResult, labArguments: string): void {
  const winner = search.recommendation as Evaluation;
  const runnerUp = search.saferRunnerUp;
  const flags = contextFlags({ ...settings.userContext, ...winner.candidate.context });
  console.log(`\nRecommendation: ${winner.candidate.label}`);
  console.log(
    `  ${formatUsd(winner.cost.perEventUsd)} per event, ${formatUsd(winner.cost.perMonthUsd)} per month (the given configuration: ${formatUsd(baseline.cost.perEventUsd)} and ${formatUsd(baseline.cost.perMonthUsd)})`,
  );
  console.log(`  flags: ${flags}`);
  console.log(`  verify: npm run lab -- ${labArguments} ${flags}`);
  console.log(`  deploy: npm run deploy -- ${flags}`);
  console.log('Why it beat the other kinds of answer:');
  for (const line of familyComparison(search.ranked, winner)) console.log(`  - ${line}`);
  console.log('What binds it:');
  for (const line of whatBinds(winner)) console.log(`  - ${line}`);
  console.log(`  - ${burstDependence(winner)}`);
  if (runnerUp)
    console.log(
      `Runner-up that stays safe with 25% more traffic than the profile: ${runnerUp.candidate.label} (${formatUsd(runnerUp.cost.perMonthUsd)} per month)\n  flags: ${contextFlags({ ...settings.userContext, ...runnerUp.candidate.context })}`,
    );
  console.log('\nCost of the recommendation:');
  console.log(costTable(winner));
}

function formatUsd(value: number): string {
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}
