import { UsageError } from '../common/usage-error.ts';
import { artilleryScript } from '../load/artillery-script.ts';
import { clientSecretVariable, type EngineTokenClient } from '../load/engine-requests.ts';
import { importResults } from '../load/import-results.ts';
import { k6Script } from '../load/k6-script.ts';
import { type LoadCheck, parseCheck } from '../load/load-checks.ts';
import { builtInProfiles, loadProfile, profileWrites } from '../load/load-profile.ts';
import { knownProductIds, TargetUnreachableError } from '../load/load-runner.ts';
import { reportRun, runLoadSession } from '../load/load-session.ts';
import { type ClientCredentials, localClientCredentials, TokenError } from '../load/token-source.ts';
import { exitCodes } from './cli-error.ts';
import type { Command } from './command.ts';
import { integerOption, parseOptions } from './option-values.ts';

const usage = `Usage: techmoda load --target URL [options]
       techmoda load --target URL --profile P --emit artillery|k6 > script
       techmoda load --import FILE --profile P [--check ...] [--out FILE.json] [--report FILE.html]

Open-loop load against the product API (the local cloud or a deployed stage): each request starts at its intended
time whatever earlier responses do, and latency counts from that time. For more traffic than one machine sends, emit
the profile for Artillery or k6, run it there (distributed if need be), and read its results back with --import.

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
  --token-url URL       a deployed stage's Cognito token endpoint (the stack's TokenUrl output): writes carry a
                        back-office access token, fetched with --client-id and the secret in the environment
                        variable TECHMODA_CLIENT_SECRET (never a flag), refreshed before it expires. On the local
                        cloud, writes get a token by themselves
  --client-id ID        the back-office app client (the stack's BackOfficeClientId output), with --token-url
  --emit artillery|k6   print the profile as an Artillery (YAML) or k6 (JavaScript) script instead of running it;
                        product ids come from the target when it answers a listing
  --import FILE         read an Artillery JSON report (--output), k6 results (--out json=) or a k6 --summary-export,
                        and report it as a run of ours (same table, checks, exit codes, --out and --report)
  -h, --help            this help

Exit codes: 0 all checks passed, 1 a check failed or a write is missing, 2 usage error, 3 target unreachable.`;

/** `techmoda load`: the load generator. */
export const loadCommand: Command = {
  usage,
  async run(args) {
    const { emit, importFile, rest } = engineOptions(args);
    if (importFile !== undefined) return importRun(importFile, rest);
    const options = parseLoadOptions(rest);
    if (emit !== undefined) {
      process.stdout.write(await emitScript(emit, options));
      return exitCodes.ok;
    }
    const credentials = withSecret(options.tokenClient);
    try {
      const report = await runLoadSession({ ...options, credentials }, (line) => console.log(line));
      const failed = report.checks.some((c) => !c.passed) || (report.writes?.missing.length ?? 0) > 0;
      return failed ? exitCodes.checkFailed : exitCodes.ok;
    } catch (error) {
      if (error instanceof TargetUnreachableError || error instanceof TokenError) {
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
    'token-url': { type: 'string' },
    'client-id': { type: 'string' },
  });
  const target = values.target ? parseTarget(values.target, values['allow-remote'] === true) : defaults.target;
  if (!target) throw new UsageError('--target is required, e.g. --target http://127.0.0.1:3000/prod');
  const checks: LoadCheck[] = (values.check ?? []).map((expression) => parseCheck(expression));
  return {
    target,
    profile: loadProfile(values.profile ?? 'lab'),
    /** The --profile argument as given: a built-in's name or a file. */
    profileSource: values.profile ?? 'lab',
    checks,
    connections: integerOption('connections', values.connections, 256, 1, 10_000),
    timeoutMs: integerOption('timeout-ms', values['timeout-ms'], 10_000, 10, 600_000),
    seed: integerOption('seed', values.seed, 1, 0, 2 ** 31),
    verifyWrites: values['verify-writes'] === true,
    announcePhases: isLoopback(target),
    outFile: values.out,
    reportFile: values.report,
    tokenClient: tokenClientOf(values['token-url'], values['client-id']),
  };
}

/** `--token-url` and `--client-id`, or undefined when neither is given. */
function tokenClientOf(tokenUrl: string | undefined, clientId: string | undefined): EngineTokenClient | undefined {
  if (tokenUrl === undefined && clientId === undefined) return undefined;
  if (!tokenUrl || !clientId)
    throw new UsageError(`--token-url and --client-id go together (the secret comes from ${clientSecretVariable})`);
  try {
    new URL(tokenUrl);
  } catch {
    throw new UsageError(
      `--token-url must be a URL such as https://techmoda-123.auth.us-east-1.amazoncognito.com/oauth2/token, got "${tokenUrl}"`,
    );
  }
  return { tokenUrl, clientId };
}

/** The client's credentials for a run: its secret from the environment, never from a flag. */
export function withSecret(client: EngineTokenClient | undefined): ClientCredentials | undefined {
  if (!client) return undefined;
  const clientSecret = process.env[clientSecretVariable];
  if (!clientSecret) throw new UsageError(`--client-id needs its secret in the environment variable ${clientSecretVariable}`);
  return { ...client, clientSecret };
}

/** Splits --emit and --import from the options a native run takes. */
function engineOptions(args: readonly string[]): { emit: 'artillery' | 'k6' | undefined; importFile: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let emit: string | undefined;
  let importFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = (args[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag !== '--emit' && flag !== '--import') {
      rest.push(args[i] as string);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    if (flag === '--emit') emit = value;
    else importFile = value;
  }
  if (emit !== undefined && emit !== 'artillery' && emit !== 'k6') throw new UsageError(`--emit takes artillery or k6, got "${emit}"`);
  if (emit !== undefined && importFile !== undefined) throw new UsageError('--emit writes a script and --import reads results: use one');
  return { emit, importFile, rest };
}

/** The profile as another engine's script, with the product ids the target holds when it answers. */
async function emitScript(engine: 'artillery' | 'k6', options: ReturnType<typeof parseLoadOptions>): Promise<string> {
  const basePath = options.target.pathname.replace(/\/$/, '');
  const productIds = await knownProductIds(options.target).catch(() => []);
  // A local cloud names its machine client; the secret stays there (GET /_local/user-pools) until the script runs.
  const local = profileWrites(options.profile) ? await localClientCredentials(options.target.origin) : undefined;
  const tokenClient = options.tokenClient ?? (local && { tokenUrl: local.tokenUrl, clientId: local.clientId });
  const request = { ...options, target: { origin: options.target.origin, basePath, productIds, tokenClient } };
  return engine === 'artillery' ? artilleryScript(request) : k6Script(request);
}

/** `--import FILE`: another engine's results through the same report, checks and exit codes as a native run. */
async function importRun(file: string, args: readonly string[]): Promise<number> {
  const values = parseOptions(args, {
    profile: { type: 'string' },
    check: { type: 'string', multiple: true },
    out: { type: 'string' },
    report: { type: 'string' },
    target: { type: 'string' },
  });
  if (!values.profile) throw new UsageError('--import needs --profile: the profile the engine ran, for its phases');
  const profile = loadProfile(values.profile);
  const checks = (values.check ?? []).map((expression) => parseCheck(expression));
  const run = await importResults(file, profile);
  const report = await reportRun(
    { target: values.target ? new URL(values.target) : undefined, profile, checks, outFile: values.out, reportFile: values.report },
    { results: run.results, startedAtMs: run.startedAtMs, writes: undefined },
    { name: run.engine, file, cannotGive: run.cannotGive },
    (line) => console.log(line),
  );
  return report.checks.some((c) => !c.passed) ? exitCodes.checkFailed : exitCodes.ok;
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
