import { type LoadCheck, parseCheck } from '../load/load-checks.ts';
import { builtInProfiles, loadProfile } from '../load/load-profile.ts';
import { TargetUnreachableError } from '../load/load-runner.ts';
import { exitCodes, UsageError } from './cli-error.ts';
import type { Command } from './command.ts';
import { runLoadSession } from './load-session.ts';
import { integerOption, parseOptions } from './option-values.ts';

const usage = `Usage: techmoda load --target URL [options]

Open-loop load against the product API (the local cloud or a deployed stage): each request starts at its intended
time whatever earlier responses do, and latency counts from that time.

Options:
  --target URL          base URL of the API stage, e.g. http://127.0.0.1:3000/prod (required)
  --profile NAME|FILE   built-in profile (${Object.keys(builtInProfiles).join(', ')}) or a YAML/JSON file (default lab)
  --check EXPR          pass/fail check, repeatable: [phase:]metric op value, e.g. 'p99<800ms' 'errors<1%'
                        'throttled=0' 'spike:p99.9<=2s' 'rate>=99%' (metrics: p50 p90 p99 p99.9 max errors
                        throttled timeouts status4xx status5xx rate)
  --out FILE.json       write the full results (schema in the README)
  --report FILE.html    write a self-contained HTML report (charts, phases shaded)
  --verify-writes       read back every acknowledged create after the run; missing ones are reported
  --connections N       most open connections (default 256); more requests queue, and queueing counts as latency
  --timeout-ms N        a request unanswered this long after its intended time is a timeout (default 10000)
  --seed N              seed of the request mix (default 1)
  --allow-remote        allow a target that is not on this machine (loopback); off by default
  -h, --help            this help

Exit codes: 0 all checks passed, 1 a check failed or a write is missing, 2 usage error, 3 target unreachable.`;

/** `techmoda load`: the load generator. */
export const loadCommand: Command = {
  name: 'load',
  summary: 'open-loop load with per-phase latency, throttles by cause and pass/fail checks',
  usage,
  async run(args) {
    const options = parseLoadOptions(args);
    try {
      const report = await runLoadSession(options, (line) => console.log(line));
      const failed = report.checks.some((c) => !c.passed) || (report.writes?.missing.length ?? 0) > 0;
      return failed ? exitCodes.checkFailed : exitCodes.ok;
    } catch (error) {
      if (error instanceof TargetUnreachableError) {
        console.error(`techmoda load: ${error.message}`);
        return exitCodes.unreachable;
      }
      throw error;
    }
  },
};

/** Parsed options of `techmoda load` (shared with `techmoda lab`). */
export function parseLoadOptions(args: readonly string[], defaults: { target?: URL } = {}) {
  const values = parseOptions(args, {
    target: { type: 'string' },
    profile: { type: 'string' },
    check: { type: 'string', multiple: true },
    out: { type: 'string' },
    report: { type: 'string' },
    'verify-writes': { type: 'boolean' },
    connections: { type: 'string' },
    'timeout-ms': { type: 'string' },
    seed: { type: 'string' },
    'allow-remote': { type: 'boolean' },
  });
  const target = values.target ? parseTarget(values.target, values['allow-remote'] === true) : defaults.target;
  if (!target) throw new UsageError('--target is required, e.g. --target http://127.0.0.1:3000/prod');
  const checks: LoadCheck[] = (values.check ?? []).map((expression) => parseCheck(expression));
  return {
    target,
    profile: loadProfile(values.profile ?? 'lab'),
    checks,
    connections: integerOption('connections', values.connections, 256, 1, 10_000),
    timeoutMs: integerOption('timeout-ms', values['timeout-ms'], 10_000, 10, 600_000),
    seed: integerOption('seed', values.seed, 1, 0, 2 ** 31),
    verifyWrites: values['verify-writes'] === true,
    announcePhases: isLoopback(target),
    outFile: values.out,
    reportFile: values.report,
  };
}

function parseTarget(raw: string, allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--target must be a URL such as http://127.0.0.1:3000/prod, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--target must be http or https, got ${url.protocol}`);
  if (!allowRemote && !isLoopback(url))
    throw new UsageError(`--target ${url.host} is not on this machine; pass --allow-remote to load a deployed stage`);
  return url;
}

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}
