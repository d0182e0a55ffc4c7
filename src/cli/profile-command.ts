import { writeFileSync } from 'node:fs';
import { UsageError } from '../common/usage-error.ts';
import { readAccessLogs } from '../history/access-logs.ts';
import { countsFromCloudWatch } from '../history/cloudwatch-counts.ts';
import { type MetricSeries, readCloudWatchExports } from '../history/cloudwatch-export.ts';
import { capacityAt } from '../history/start-capacity.ts';
import type { StepCounts } from '../history/step-counts.ts';
import { profileYaml, tracedProfile } from '../history/traced-profile.ts';
import { loadStackModel } from '../stack/stack-source.ts';
import { exitCodes } from './cli-error.ts';
import type { Command } from './command.ts';
import { numberOption, parseOptions } from './option-values.ts';

const usage = `Usage: techmoda profile --from-access-logs FILE... | --from-cloudwatch FILE... --out PROFILE.yaml [options]

Builds a load profile from last sale's traffic: the rate of every step, the request mix, and the phases found in it
(baseline, ramp, peak, after). techmoda load, plan and lab, and the Artillery and k6 emitters take it as --profile.
docs/traffic-history.md has the AWS CLI commands that export the traffic, ready to paste.

Options:
  --from-access-logs FILE...  API Gateway access logs in the stack's JSON format: one JSON object a line, or what
                       aws logs filter-log-events prints (streamed; 1 s steps)
  --from-cloudwatch FILE...   what aws cloudwatch get-metric-data or get-metric-statistics prints: API Gateway Count
                       per method and resource (detailed metrics), or Lambda Invocations per function (with --template)
  --template FILE      the template whose routes map functions to requests (Invocations); default: the CDK app
  --out FILE.yaml      where to write the profile (required)
  --name NAME          the profile's name (default: the --out file's name)
  --from ISO, --to ISO the part of the history to keep (default: all of it)
  --step SECONDS       the profile's step (default: the data's, 1 s for logs, the metric period for CloudWatch)
  --scale N            multiply every rate ("this year's sale is three times last year's"; default 1)
  --gaps zero|error    a minute without data is zero traffic (default: CloudWatch sends no datapoint for a period
                       without requests) or an error
  --category-share S   share of GET /products that lists by category (0-1, default 0): neither source carries
                       the query string
  --mix-per-step       also write each step's own mix (load and plan follow it; the Artillery and k6 scripts use the
                       overall mix). Off by default: a 1 s step of a few requests is a noisy mix

Exit codes: 0 written, 2 bad input (one line naming the file and the position).`;

/** `--flag a b c` as `--flag a --flag b --flag c`, for the options that take several files. */
function spreadFiles(args: readonly string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  let current: string | undefined;
  for (const arg of args) {
    if (arg.startsWith('-')) current = flags.includes(arg) ? arg : undefined;
    else if (current && out[out.length - 1] !== current) {
      out.push(current, arg);
      continue;
    }
    out.push(arg);
  }
  return out;
}

function timeOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d\d-\d\dT/.test(raw) || !Number.isFinite(ms))
    throw new UsageError(`--${name} takes an ISO-8601 time such as 2026-11-27T08:00:00Z, got "${raw}"`);
  return ms;
}

/** `techmoda profile`: a traced profile from CloudWatch exports or access logs. */
export const profileCommand: Command = {
  usage,
  async run(args) {
    const values = parseOptions(spreadFiles(args, ['--from-access-logs', '--from-cloudwatch']), {
      'from-access-logs': { type: 'string', multiple: true },
      'from-cloudwatch': { type: 'string', multiple: true },
      template: { type: 'string' },
      'stack-name': { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      step: { type: 'string' },
      scale: { type: 'string' },
      gaps: { type: 'string' },
      'category-share': { type: 'string' },
      'mix-per-step': { type: 'boolean' },
    });
    const logs = values['from-access-logs'] ?? [];
    const exports = values['from-cloudwatch'] ?? [];
    if (logs.length > 0 === exports.length > 0)
      throw new UsageError('give --from-access-logs FILE... or --from-cloudwatch FILE... (one of them)');
    if (!values.out) throw new UsageError('--out FILE.yaml is required');
    const gaps = values.gaps ?? 'zero';
    if (gaps !== 'zero' && gaps !== 'error') throw new UsageError(`--gaps takes zero or error, got "${gaps}"`);
    const options = {
      name: values.name ?? (values.out.split('/').pop() ?? 'trace').replace(/\.(ya?ml|json)$/i, ''),
      stepSeconds: values.step === undefined ? undefined : numberOption('step', values.step, 1, 1, 3_600),
      fromMs: timeOption('from', values.from),
      toMs: timeOption('to', values.to),
      scale: numberOption('scale', values.scale, 1, 0.01, 1_000),
      gaps,
      categoryShare: numberOption('category-share', values['category-share'], 0, 0, 1),
      source: (logs.length > 0 ? logs : exports).join(', '),
      mixPerStep: values['mix-per-step'] === true,
    } as const;
    if (options.stepSeconds !== undefined && !Number.isInteger(options.stepSeconds)) throw new UsageError('--step takes whole seconds');
    let counts: StepCounts;
    const notes: string[] = [];
    let capacity: MetricSeries[] = [];
    if (logs.length > 0) counts = await readAccessLogs(logs);
    else {
      const series = readCloudWatchExports(exports);
      const needsTemplate = series.some((s) => s.metricName === 'Invocations') && !series.some((s) => s.metricName === 'Count');
      const model = needsTemplate
        ? await loadStackModel({ template: values.template, stackName: values['stack-name'], context: {} })
        : undefined;
      const read = countsFromCloudWatch(series, model);
      counts = read.counts;
      notes.push(...read.notes);
      capacity = read.capacity;
    }
    const traced = tracedProfile(counts, options);
    const startCapacity = capacityAt(capacity, Date.parse(traced.profile.trace.start));
    if (startCapacity.length > 0) {
      traced.profile.startCapacity = startCapacity;
      notes.push(
        `start capacity for --warm-start: ${startCapacity.map((c) => `${c.table}${c.index ? ` ${c.index}` : ''} ${c.read ?? '-'} read / ${c.write ?? '-'} write`).join('; ')}`,
      );
    }
    writeFileSync(values.out, profileYaml(traced.profile));
    const { profile } = traced;
    const requests = [...traced.counted.values()].reduce((a, b) => a + b, 0);
    console.log(
      `Profile ${profile.name}: ${profile.trace.rates.length} steps of ${profile.trace.stepSeconds} s from ${profile.trace.start}, ${Math.round(requests)} requests counted; peak ${Math.max(...profile.trace.rates)}/s`,
    );
    console.log(
      `Mix (%): ${Object.entries(profile.mix)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(`Phases: ${profile.phases.map((p) => `${p.name} ${p.steps * profile.trace.stepSeconds} s`).join(', ')}`);
    for (const [route, n] of traced.leftOut) console.log(`Left out: ${route}: ${Math.round(n)} requests`);
    for (const note of notes) console.log(`Note: ${note}`);
    console.log(`wrote ${values.out}`);
    return exitCodes.ok;
  },
};
