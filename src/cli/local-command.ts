import { resolve } from 'node:path';
import { UsageError } from '../common/usage-error.ts';
import { dashboardRoutes } from '../dashboard/dashboard-routes.ts';
import { describeFidelity, type FidelityOptions } from '../lab/fidelity.ts';
import { anchorRelativeSales } from '../lab/sales-anchor.ts';
import { seedProducts } from '../lab/seed-products.ts';
import { LocalCloud, type LocalEndpoints } from '../local/local-cloud.ts';
import { runtimeMismatchLine } from '../local/template/function-runtime.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import { loadStackModel } from '../stack/stack-source.ts';
import { exitCodes } from './cli-error.ts';
import type { Command } from './command.ts';
import { fidelityOptions, fidelityOptionsDeclaration, fidelityOptionsUsage } from './fidelity-options.ts';
import { paceHeapForLocalCloud } from './heap-pacing.ts';
import { contextOptions, integerOption, numberOption, parseOptions } from './option-values.ts';

const usage = `Usage: techmoda local [options]

Runs the synthesized stack on this machine with AWS's limits: API Gateway throttling, Lambda concurrency and cold
starts, DynamoDB capacity with burst and throttles. Ctrl-C stops it (in-flight requests finish).

Options:
  --port N            API port (default 3000; 0 picks a free port)
  --host ADDR         API address (default 127.0.0.1)
  --template FILE     run this template instead of synthesizing: synthesized CDK output (assets beside it, as in
                      cdk.out) or a SAM template (.yaml, .yml, .json; code from CodeUri, as sam local finds it)
  --stack-name NAME   AWS::StackName of the --template (default techmoda-local for SAM, the file name for CDK)
  -c, --context K=V   CDK context option, as for "npm run synth" (repeatable), e.g. -c billingMode=on-demand
  --no-cache          synthesize afresh instead of reusing the stack cached for this source and context
  --data DIR          keep DynamoDB data in DIR (default: in memory)
  --access-log FILE   append the stage's access log to FILE, a line per request in the template's
                      AccessLogSetting format (techmoda profile --from-access-logs reads it back)
  --seed N            load N sample products at start-up (default 0)
  --time-scale N      divide control-plane durations by N: metric periods, alarm evaluation, cooldowns, apply
                      delays, idle reclaim, the decrease-quota clock (default 1; data-plane rates are unchanged)
  --cold-start-ms N   modelled init delay added to each cold start (default 250)
  --isolate-environments  give each execution environment its own module instance (exact per-environment
                      state, about half the throughput; default: one instance per function)
  --function-logs     print the functions' log lines (JSON from Powertools) to stderr
  --verbose           print every alarm transition (by default only those into and out of ALARM)
  --scope-miss 401|403  the answer to a valid access token without the method's scope: 401 Unauthorized (default;
                      what Cognito authorizers are reported to give) or 403 (REST JWT authorizers; docs/aws-facts.md B 11.3)
${fidelityOptionsUsage}
  -h, --help          this help`;

/** How often the console summary is printed, in real seconds. */
const summaryEverySeconds = 10;

/** `techmoda local`: the local cloud. */
export const localCommand: Command = {
  usage,
  async run(args) {
    const options = parseLocalOptions(args);
    const anchored = anchorRelativeSales(options.context, Date.now());
    const model = await loadStackModel({ ...options, context: anchored.context });
    const cloud = new LocalCloud({
      model,
      virtualStartMs: anchored.virtualStartMs,
      host: options.host,
      port: options.port,
      dataDir: options.dataDir,
      accessLogFile: options.accessLogFile,
      timeScale: options.timeScale,
      print: (line) => console.log(line),
      verbose: options.verbose,
      ...options.fidelity,
      controlPlaneRoutes: dashboardRoutes,
      coldStartDelayMs: options.coldStartMs,
      isolateEnvironments: options.isolateEnvironments,
      scopeMissStatus: options.scopeMiss,
      functionLog: options.functionLogs ? (fn, line) => process.stderr.write(`[${fn}] ${line}\n`) : undefined,
    });
    let endpoints: LocalEndpoints;
    try {
      endpoints = await cloud.start();
    } catch (error) {
      await cloud.stop().catch(() => {});
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new UsageError(`port ${options.port} is in use; pick another with --port (0 for any free port)`);
      throw error;
    }
    if (options.seed > 0 && endpoints.createdTables.length > 0) await seedProducts(endpoints, model, options.seed);
    // Paced once started: start-up allocates a lot that stays, and a tight pace would only add collections to it.
    paceHeapForLocalCloud();
    printReady(endpoints, model, options);
    const timer = setInterval(() => {
      const line = cloud.summary.nextLine(summaryEverySeconds);
      if (line) console.log(line);
    }, summaryEverySeconds * 1000);
    await waitForSignal();
    clearInterval(timer);
    console.log('Stopping: finishing in-flight requests...');
    await cloud.stop();
    console.log('Stopped.');
    return exitCodes.ok;
  },
};

interface LocalOptions {
  port: number;
  host: string;
  template: string | undefined;
  stackName: string | undefined;
  context: Record<string, string>;
  dataDir: string | undefined;
  seed: number;
  accessLogFile: string | undefined;
  timeScale: number;
  coldStartMs: number;
  functionLogs: boolean;
  isolateEnvironments: boolean;
  noCache: boolean;
  verbose: boolean;
  scopeMiss: 401 | 403;
  fidelity: FidelityOptions;
}

function parseLocalOptions(args: readonly string[]): LocalOptions {
  const values = parseOptions(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    template: { type: 'string' },
    'stack-name': { type: 'string' },
    context: { type: 'string', short: 'c', multiple: true },
    data: { type: 'string' },
    'access-log': { type: 'string' },
    seed: { type: 'string' },
    'time-scale': { type: 'string' },
    'cold-start-ms': { type: 'string' },
    'function-logs': { type: 'boolean' },
    'isolate-environments': { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    verbose: { type: 'boolean' },
    'scope-miss': { type: 'string' },
    ...fidelityOptionsDeclaration,
  });
  return {
    port: integerOption('port', values.port, 3000, 0, 65_535),
    host: values.host ?? '127.0.0.1',
    template: values.template,
    stackName: values['stack-name'],
    context: contextOptions(values.context),
    dataDir: values.data ? resolve(values.data) : undefined,
    seed: integerOption('seed', values.seed, 0, 0, 100_000),
    accessLogFile: values['access-log'] ? resolve(values['access-log']) : undefined,
    timeScale: numberOption('time-scale', values['time-scale'], 1, 1, 10_000),
    coldStartMs: integerOption('cold-start-ms', values['cold-start-ms'], 250, 0, 10_000),
    functionLogs: values['function-logs'] === true,
    isolateEnvironments: values['isolate-environments'] === true,
    noCache: values['no-cache'] === true,
    verbose: values.verbose === true,
    scopeMiss: scopeMissOption(values['scope-miss']),
    fidelity: fidelityOptions(values),
  };
}

function scopeMissOption(raw: string | undefined): 401 | 403 {
  if (raw === undefined || raw === '401') return 401;
  if (raw === '403') return 403;
  throw new UsageError(`--scope-miss takes 401 or 403, got "${raw}"`);
}

function printReady(endpoints: LocalEndpoints, model: StackModel, options: LocalOptions): void {
  console.log(`API ${endpoints.apiUrl}`);
  console.log(`DynamoDB ${endpoints.dynamoDbUrl}`);
  const base = new URL(endpoints.apiUrl).origin;
  // The emulated AWS APIs (Lambda, Application Auto Scaling so far): aws ... --endpoint-url with this.
  console.log(`AWS ${base}`);
  console.log(`Dashboard ${base}/_local/dashboard`);
  console.log(`Metrics ${base}/_local/metrics  Events ${base}/_local/events  Alarms ${base}/_local/alarms`);
  for (const fn of model.functions) {
    const limits = [
      fn.reservedConcurrency !== undefined && `reserved ${fn.reservedConcurrency}`,
      ...Object.entries(fn.provisioned).map(([alias, n]) => `provisioned ${n} on ${alias}`),
    ].filter(Boolean);
    console.log(`Function ${fn.name}: ${fn.memoryMb} MB, timeout ${fn.timeoutMs / 1000} s${limits.length ? `, ${limits.join(', ')}` : ''}`);
  }
  const mismatch = runtimeMismatchLine(model.functions.map((fn) => fn.runtime));
  if (mismatch) console.log(mismatch);
  for (const table of model.tables) {
    const capacity = table.billingMode === 'PROVISIONED' ? `provisioned ${table.readUnits} RCU / ${table.writeUnits} WCU` : 'on-demand';
    console.log(`Table ${table.tableName}: ${capacity}, GSIs ${table.indexes.map((i) => i.indexName).join(', ') || 'none'}`);
  }
  console.log(
    `CloudWatch: ${model.alarms.length} alarms from the template; auto scaling: ${model.scalableTargets.length} scalable targets, ${model.scalingPolicies.length} target-tracking policies (${model.scalingPolicies.length * 2} alarms)`,
  );
  for (const { pool, identity } of endpoints.userPools.pools) {
    for (const client of pool.clients.filter((c) => c.clientCredentials))
      console.log(
        `User pool ${pool.name} (${identity.poolId}): client ${client.name} ${identity.clients[client.logicalId]?.clientId} (client credentials, ${client.scopes.join(' ')}); its secret: GET ${base}/_local/user-pools; a token: npx techmoda token --api ${endpoints.apiUrl}`,
      );
  }
  const notEmulated = Object.entries(model.notEmulated).map(([type, n]) => `${type} x${n}`);
  if (notEmulated.length) console.log(`Not emulated (no local effect yet): ${notEmulated.join(', ')}`);
  console.log(describeFidelity(options.fidelity));
  console.log(
    `Time scale ${options.timeScale}x${options.seed ? `; seeded ${options.seed} products` : ''}${options.dataDir ? `; data in ${options.dataDir}` : ''}${options.accessLogFile ? `; access log in ${options.accessLogFile}` : ''}. Ctrl-C stops.`,
  );
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
