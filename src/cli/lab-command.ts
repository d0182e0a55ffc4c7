import { mkdirSync } from 'node:fs';
import { runLabOnLocalCloud } from '../lab/lab-run.ts';
import { plannedChange } from '../lab/planned-change.ts';
import { anchorRelativeSales } from '../lab/sales-anchor.ts';
import { parseCheck } from '../load/load-checks.ts';
import { loadProfile } from '../load/load-profile.ts';
import type { LoadReport } from '../load/load-report.ts';
import { withLead } from '../load/profile-lead.ts';
import { loadStackModel } from '../stack/stack-source.ts';
import { exitCodes } from './cli-error.ts';
import type { Command } from './command.ts';
import { fidelityOptions, fidelityOptionsDeclaration, fidelityOptionsUsage } from './fidelity-options.ts';
import { paceHeapForLocalCloud } from './heap-pacing.ts';
import { contextOptions, durationOption, integerOption, numberOption, parseOptions } from './option-values.ts';
import { profileArgument } from './plan-output.ts';

const usage = `Usage: npm run lab -- [options]   (techmoda lab)

The lab's steps 4 and 5 in one command: starts the local cloud, replays the lab's load (5 -> 20 -> 100 -> 5
requests per second), and prints each phase from the client's side beside the cloud's side (throttles by cause,
concurrency, capacity changes, alarms, scaling), then what to change. Writes an HTML report with both.

Options:
  --profile NAME|FILE   load profile (default lab; also flash-sale or a YAML/JSON file)
  --lead DURATION       run the profile's first rate this long before it (15m, 30m), so a scheduled raise that
                        techmoda plan --lead recommends lands before the traffic rises
  --time-scale N        compress the control plane (alarms, scaling, apply delays) N times (default 1)
  -c, --context K=V     CDK context option, repeatable (e.g. -c billingMode=on-demand -c minReadCapacity=100)
  --template FILE       run this template instead of synthesizing (synthesized CDK output, or SAM)
  --stack-name NAME     AWS::StackName of the --template (default techmoda-local for SAM)
  --no-cache            synthesize afresh instead of reusing the cached stack
  --seed N              sample products loaded first (default 50)
  --check EXPR          pass/fail check, as for techmoda load (repeatable)
  --report FILE.html    where to write the report (default reports/lab-<time>.html)
  --out FILE.json       also write the JSON results
  --quiet-cloud         do not print the cloud's alarm and scaling lines as they happen
${fidelityOptionsUsage}`;

/** `techmoda lab` / `npm run lab`: the lab replayed on the local cloud. */
export const labCommand: Command = {
  usage,
  async run(args) {
    const values = parseOptions(args, {
      profile: { type: 'string' },
      'time-scale': { type: 'string' },
      lead: { type: 'string' },
      context: { type: 'string', short: 'c', multiple: true },
      template: { type: 'string' },
      'stack-name': { type: 'string' },
      seed: { type: 'string' },
      check: { type: 'string', multiple: true },
      report: { type: 'string' },
      out: { type: 'string' },
      'quiet-cloud': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      ...fidelityOptionsDeclaration,
    });
    const fidelity = fidelityOptions(values);
    const profile = withLead(loadProfile(values.profile ?? 'lab'), durationOption('lead', values.lead, 24 * 3600));
    const checks = (values.check ?? []).map((c) => parseCheck(c));
    const timeScale = numberOption('time-scale', values['time-scale'], 1, 1, 10_000);
    const seed = integerOption('seed', values.seed, 50, 0, 100_000);
    const anchored = anchorRelativeSales(contextOptions(values.context), Date.now());
    const model = await loadStackModel({
      template: values.template,
      stackName: values['stack-name'],
      context: anchored.context,
      noCache: values['no-cache'],
    });
    const reportFile = values.report ?? defaultReportPath();
    paceHeapForLocalCloud();
    const { report, advice, burst } = await runLabOnLocalCloud({
      model,
      profile,
      checks,
      timeScale,
      seed,
      fidelity,
      virtualStartMs: anchored.virtualStartMs,
      reportFile,
      outFile: values.out,
      quiet: values['quiet-cloud'] === true,
      print: (line) => console.log(line),
    });
    printClientBesideCloud(report);
    if (burst) console.log(`\nThe burst assumption\n${burst.join('\n')}`);
    console.log('\nWhat throttled:');
    for (const line of advice) console.log(`- ${line}`);
    console.log(
      '\nWhat to change (techmoda plan --search: the cheapest configuration that meets the SLOs with the burst bucket full and empty):',
    );
    for (const line of await plannedChange({
      profile,
      profileArgument: `${profileArgument(values.profile ?? 'lab')}${values.lead ? ` --lead ${values.lead}` : ''}`,
      context: contextOptions(values.context),
      template: values.template,
      checks,
      fidelity,
    }))
      console.log(line);
    return report.checks.some((c) => !c.passed) ? exitCodes.checkFailed : exitCodes.ok;
  },
};

function defaultReportPath(): string {
  mkdirSync('reports', { recursive: true });
  return `reports/lab-${new Date().toISOString().replace(/[:.]/g, '-')}.html`;
}

/** Each phase from the client's side, then the cloud's side of the same minutes. */
function printClientBesideCloud(report: LoadReport): void {
  console.log('\nPhase by phase: the client beside the cloud');
  for (const phase of report.phases) {
    const { from, to } = phase.targetRatePerSecond;
    console.log(`${phase.name} (${phase.durationSeconds} s at ${from}${to !== from ? `->${to}` : ''}/s)`);
    console.log(
      `  client: sent ${phase.sent}, 2xx ${phase.outcomes['2xx']}, 429 ${phase.outcomes['429']}, 500 ${phase.outcomes['500']}, 503 ${phase.outcomes['503']}, p50 ${phase.latencyMs.p50.toFixed(1)} ms, p99 ${phase.latencyMs.p99.toFixed(1)} ms`,
    );
    const cloudPhase = report.cloud?.phases.find((p) => p.name === phase.name);
    if (!cloudPhase) continue;
    const listed = (entries: Record<string, string | number>, none: string) =>
      Object.entries(entries)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ') || none;
    const { throttles } = cloudPhase;
    console.log(
      `  cloud:  throttles gateway ${throttles.gateway}, Lambda ${throttles.lambda}, DynamoDB ${throttles.dynamodb}; peak concurrency ${listed(cloudPhase.peakConcurrency, 'none')}; read capacity ${listed(cloudPhase.capacity, 'on-demand')}`,
    );
    for (const alarm of cloudPhase.alarms) console.log(`          alarm ${alarm}`);
    for (const scaling of cloudPhase.scaling) console.log(`          scaling ${scaling}`);
  }
}
