import { readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { type LambdaConcurrency, lambdaDefaults, UnreservedMinimumError } from '../../scaling/lambda-concurrency.ts';
import type { LocalFunction } from '../../scaling/stack-model.ts';
import type { SideRoute } from '../gateway/side-route.ts';
import type { InvocationOutcome } from '../lambda/lambda-runtime.ts';
import { localAccount } from '../template/local-account.ts';
import { readBody, sendAws } from './aws-wire.ts';

const { accountId: account, region } = localAccount;
const arnOf = (fn: LocalFunction) => `arn:aws:lambda:${region}:${account}:function:${fn.name}`;

/** A Lambda API error: its HTTP status, AWS's error code (the X-Amzn-ErrorType header) and message. */
class LambdaApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Lambda's control-plane API (rest-json, date-prefixed paths) on the local cloud, as the AWS CLI and SDKs call it:
 * ListFunctions, GetFunction, GetFunctionConfiguration, Get/Put/DeleteFunctionConcurrency, GetAccountSettings, and
 * Get/Put/Delete/ListProvisionedConcurrencyConfig(s), and Invoke (RequestResponse). A reservation set here applies to the running functions at
 * once; provisioned concurrency after the model's allocation delay, as in AWS. Signatures are not verified; IAM is not enforced.
 * A function is known by its name, its ARN (with or without a qualifier) or its logical id.
 */
export function lambdaApi(
  functions: readonly LocalFunction[],
  concurrency: LambdaConcurrency,
  nowMs: () => number,
  /** Told of every change made through the API (the event log, the dashboard, the console). */
  onChange: (operation: string, functionName: string, detail: string) => void,
  /** Invokes a function through the same runtime and concurrency accounting as the gateway. */
  invoke: (functionName: string, qualifier: string | undefined, event: unknown) => Promise<InvocationOutcome>,
): SideRoute {
  const provisioned = new ProvisionedConfigs(functions, concurrency, nowMs);
  const deployedAtMs = nowMs();
  const configurationOf = (fn: LocalFunction) => functionConfiguration(fn, deployedAtMs);
  const find = (raw: string): LocalFunction => {
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new LambdaApiError(400, 'InvalidParameterValueException', `FunctionName is not valid URL encoding: ${raw}`);
    }
    const short = /^(?:arn:aws:lambda:[^:]+:)?(?:\d{12}:)?(?:function:)?([^:]+)(?::[^:]+)?$/.exec(name)?.[1] ?? name;
    const fn = functions.find((f) => f.name === short || f.logicalId === short);
    if (!fn)
      throw new LambdaApiError(
        404,
        'ResourceNotFoundException',
        `Function not found: arn:aws:lambda:${region}:${account}:function:${short}`,
      );
    return fn;
  };
  return async (request, response, url) => {
    const match = /^\/(20\d\d-\d\d-\d\d)\/(.*)$/.exec(url.pathname);
    if (!match) return false;
    const [, , rest] = match as unknown as [string, string, string];
    const listing = url.searchParams.get('List') === 'ALL' ? ' (list)' : '';
    const route = `${request.method} ${rest.replace(/\/$/, '')}${listing}`;
    try {
      const { operation, functionName } = operationOf(route);
      const fn = functionName === undefined ? undefined : find(functionName);
      switch (operation) {
        case 'ListFunctions':
          return answer(response, 200, { Functions: functions.map(configurationOf) });
        case 'GetAccountSettings':
          return answer(response, 200, accountSettings(functions, concurrency));
        case 'GetFunction': {
          const reserved = concurrency.snapshot((fn as LocalFunction).name).reserved;
          return answer(response, 200, {
            Configuration: configurationOf(fn as LocalFunction),
            Code: { RepositoryType: 'S3', Location: `file://${(fn as LocalFunction).codeDir}` },
            ...(reserved === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: reserved } }),
          });
        }
        case 'GetFunctionConfiguration':
          return answer(response, 200, configurationOf(fn as LocalFunction));
        case 'GetFunctionConcurrency': {
          const reserved = concurrency.snapshot((fn as LocalFunction).name).reserved;
          return answer(response, 200, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
        }
        case 'PutFunctionConcurrency': {
          const value = wholeNumberIn(await readBody(request), 'ReservedConcurrentExecutions', 0);
          try {
            concurrency.setReserved((fn as LocalFunction).name, value);
          } catch (error) {
            if (error instanceof UnreservedMinimumError) throw new LambdaApiError(400, 'InvalidParameterValueException', error.message);
            throw error;
          }
          onChange('PutFunctionConcurrency', (fn as LocalFunction).name, `reserved concurrency ${value}`);
          return answer(response, 200, { ReservedConcurrentExecutions: value });
        }
        case 'DeleteFunctionConcurrency':
          concurrency.setReserved((fn as LocalFunction).name, undefined);
          onChange('DeleteFunctionConcurrency', (fn as LocalFunction).name, 'no reserved concurrency');
          return answer(response, 204, undefined);
        case 'Invoke':
          return await answerInvocation(response, fn as LocalFunction, url, request, await readBody(request), invoke);
        case 'GetProvisionedConcurrencyConfig': {
          const config = provisioned.get((fn as LocalFunction).name, qualifierIn(url));
          if (!config)
            throw new LambdaApiError(
              404,
              'ProvisionedConcurrencyConfigNotFoundException',
              'No Provisioned Concurrency Config found for this function',
            );
          return answer(response, 200, config);
        }
        case 'ListProvisionedConcurrencyConfigs':
          return answer(response, 200, { ProvisionedConcurrencyConfigs: provisioned.list(fn as LocalFunction) });
        case 'PutProvisionedConcurrencyConfig': {
          const qualifier = qualifierIn(url);
          const count = wholeNumberIn(await readBody(request), 'ProvisionedConcurrentExecutions', 1);
          provisioned.put((fn as LocalFunction).name, qualifier, count);
          onChange('PutProvisionedConcurrencyConfig', `${(fn as LocalFunction).name}:${qualifier}`, `provisioned concurrency ${count}`);
          return answer(response, 202, provisioned.get((fn as LocalFunction).name, qualifier));
        }
        case 'DeleteProvisionedConcurrencyConfig':
          provisioned.put((fn as LocalFunction).name, qualifierIn(url), 0);
          onChange('DeleteProvisionedConcurrencyConfig', `${(fn as LocalFunction).name}:${qualifierIn(url)}`, 'no provisioned concurrency');
          return answer(response, 204, undefined);
        default:
          throw new LambdaApiError(
            404,
            'UnknownOperationException',
            `The local cloud does not emulate ${request.method} /${match[1]}/${rest}`,
          );
      }
    } catch (error) {
      if (!(error instanceof LambdaApiError)) throw error;
      response.setHeader('x-amzn-errortype', error.code);
      return answer(response, error.status, { Type: 'User', Message: error.message });
    }
  };
}

/** The operations emulated, by method and path (after the date prefix); the function name as it came, still encoded. */
const operations: readonly [RegExp, string][] = [
  [/^GET functions$/, 'ListFunctions'],
  [/^GET account-settings$/, 'GetAccountSettings'],
  [/^GET functions\/([^/]+)$/, 'GetFunction'],
  [/^GET functions\/([^/]+)\/configuration$/, 'GetFunctionConfiguration'],
  [/^GET functions\/([^/]+)\/concurrency$/, 'GetFunctionConcurrency'],
  [/^PUT functions\/([^/]+)\/concurrency$/, 'PutFunctionConcurrency'],
  [/^DELETE functions\/([^/]+)\/concurrency$/, 'DeleteFunctionConcurrency'],
  [/^POST functions\/([^/]+)\/invocations$/, 'Invoke'],
  [/^GET functions\/([^/]+)\/provisioned-concurrency \(list\)$/, 'ListProvisionedConcurrencyConfigs'],
  [/^GET functions\/([^/]+)\/provisioned-concurrency$/, 'GetProvisionedConcurrencyConfig'],
  [/^PUT functions\/([^/]+)\/provisioned-concurrency$/, 'PutProvisionedConcurrencyConfig'],
  [/^DELETE functions\/([^/]+)\/provisioned-concurrency$/, 'DeleteProvisionedConcurrencyConfig'],
];

/** The alias or version a provisioned-concurrency call names; `$LATEST` cannot hold provisioned concurrency. */
function qualifierIn(url: URL): string {
  const qualifier = url.searchParams.get('Qualifier');
  if (!qualifier) throw new LambdaApiError(400, 'InvalidParameterValueException', 'Qualifier is required: an alias or a published version');
  if (qualifier === '$LATEST')
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
    );
  return qualifier;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new LambdaApiError(400, 'InvalidRequestContentException', 'Could not parse request body into json');
  }
}

/**
 * Provisioned concurrency configurations as the API shows them: requested (what was put), allocated (what the model
 * holds now), IN_PROGRESS until the model's allocation delay has passed, then READY.
 */
class ProvisionedConfigs {
  private readonly requested = new Map<string, { count: number; lastModifiedMs: number }>();

  constructor(
    functions: readonly LocalFunction[],
    private readonly concurrency: LambdaConcurrency,
    private readonly nowMs: () => number,
  ) {
    for (const fn of functions)
      for (const [qualifier, count] of Object.entries(fn.provisioned))
        this.requested.set(`${fn.name}:${qualifier}`, { count, lastModifiedMs: nowMs() });
  }

  put(functionName: string, qualifier: string, count: number): void {
    this.concurrency.setProvisioned(functionName, qualifier, count, this.nowMs());
    if (count === 0) this.requested.delete(`${functionName}:${qualifier}`);
    else this.requested.set(`${functionName}:${qualifier}`, { count, lastModifiedMs: this.nowMs() });
  }

  get(functionName: string, qualifier: string) {
    const requested = this.requested.get(`${functionName}:${qualifier}`);
    if (!requested) return undefined;
    const { count, appliesAtMs } = this.concurrency.provisionedOf(functionName, qualifier);
    return {
      RequestedProvisionedConcurrentExecutions: requested.count,
      AvailableProvisionedConcurrentExecutions: count,
      AllocatedProvisionedConcurrentExecutions: count,
      Status: appliesAtMs !== undefined || count !== requested.count ? 'IN_PROGRESS' : 'READY',
      LastModified: new Date(requested.lastModifiedMs).toISOString().replace(/\.\d{3}Z$/, '+0000'),
    };
  }

  list(fn: LocalFunction) {
    return [...this.requested.keys()]
      .filter((key) => key.startsWith(`${fn.name}:`))
      .map((key) => {
        const qualifier = key.slice(fn.name.length + 1);
        return { FunctionArn: `${arnOf(fn)}:${qualifier}`, ...this.get(fn.name, qualifier) };
      });
  }
}

function operationOf(route: string): { operation: string | undefined; functionName: string | undefined } {
  for (const [pattern, operation] of operations) {
    const match = pattern.exec(route);
    if (match) return { operation, functionName: match[1] };
  }
  return { operation: undefined, functionName: undefined };
}

/**
 * Invoke, RequestResponse only: the function's result as the body (200), a function error or timeout as a 200 with
 * `X-Amz-Function-Error: Unhandled`, a throttle as 429 TooManyRequestsException with its reason, as Lambda answers.
 */
async function answerInvocation(
  response: ServerResponse,
  fn: LocalFunction,
  url: URL,
  request: IncomingMessage,
  payload: string,
  invoke: (functionName: string, qualifier: string | undefined, event: unknown) => Promise<InvocationOutcome>,
): Promise<true> {
  const type = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
  if (type !== 'RequestResponse')
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      `InvocationType ${type} is not emulated; the local cloud runs RequestResponse`,
    );
  const event = payload.length === 0 ? {} : parseJson(payload);
  const qualifier = url.searchParams.get('Qualifier') ?? undefined;
  const outcome = await invoke(fn.name, qualifier === '$LATEST' ? undefined : qualifier, event);
  if (outcome.kind === 'throttled') {
    response.setHeader('x-amzn-errortype', 'TooManyRequestsException');
    response.setHeader('retry-after', '1');
    return answer(response, 429, { Type: 'User', message: 'Rate Exceeded.', Reason: outcome.reason });
  }
  response.setHeader('x-amz-executed-version', '$LATEST');
  if (outcome.kind === 'result') return answer(response, 200, outcome.value ?? null);
  response.setHeader('x-amz-function-error', 'Unhandled');
  if (outcome.kind === 'timeout')
    return answer(response, 200, { errorMessage: `Task timed out after ${(fn.timeoutMs / 1000).toFixed(2)} seconds` });
  return answer(response, 200, { errorType: outcome.errorType, errorMessage: outcome.errorMessage, trace: [] });
}

/** GetFunctionConfiguration's answer for a function. */
/** A function's configuration as GetFunctionConfiguration gives it; LastModified is when the local cloud started. */
function functionConfiguration(fn: LocalFunction, deployedAtMs: number) {
  return {
    FunctionName: fn.name,
    FunctionArn: arnOf(fn),
    Runtime: fn.runtime,
    Handler: `${fn.handlerModule}.${fn.handlerExport}`,
    MemorySize: fn.memoryMb,
    Timeout: Math.round(fn.timeoutMs / 1000),
    Architectures: [fn.architecture],
    Environment: { Variables: fn.environment },
    Version: '$LATEST',
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Role: `arn:aws:iam::${account}:role/${fn.logicalId}Role`,
    Description: '',
    CodeSize: codeSizeOf(fn.codeDir),
    LastModified: lambdaTimestamp(deployedAtMs),
    TracingConfig: { Mode: 'PassThrough' },
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
  };
}

/** Lambda's timestamps: ISO 8601 with milliseconds and a +0000 offset. */
function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '+0000');
}

const codeSizes = new Map<string, number>();

/** Bytes of the code the function runs (its asset directory), as CodeSize reports the package's. */
function codeSizeOf(dir: string): number {
  let size = codeSizes.get(dir);
  if (size === undefined) {
    size = 0;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
      if (entry.isFile()) size += statSync(join(entry.parentPath, entry.name)).size;
    codeSizes.set(dir, size);
  }
  return size;
}

function accountSettings(functions: readonly LocalFunction[], concurrency: LambdaConcurrency) {
  const reserved = functions.reduce((sum, fn) => sum + (concurrency.snapshot(fn.name).reserved ?? 0), 0);
  return {
    AccountLimit: {
      TotalCodeSize: 80_530_636_800,
      CodeSizeUnzipped: 262_144_000,
      CodeSizeZipped: 52_428_800,
      ConcurrentExecutions: lambdaDefaults.accountConcurrency,
      UnreservedConcurrentExecutions: lambdaDefaults.accountConcurrency - reserved,
    },
    AccountUsage: { TotalCodeSize: functions.reduce((sum, fn) => sum + codeSizeOf(fn.codeDir), 0), FunctionCount: functions.length },
  };
}

/** A whole number of at least `minimum` in a JSON body's `field` (PutFunctionConcurrency, PutProvisionedConcurrencyConfig). */
function wholeNumberIn(body: string, field: string, minimum: number): number {
  const value = (parseJson(body) as Record<string, unknown> | null)?.[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum)
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      `${field} must be a whole number of ${minimum} or more, got ${JSON.stringify(value)}`,
    );
  return value;
}

const answer = (response: ServerResponse, status: number, body: unknown): true => sendAws(response, status, 'application/json', body);
