import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../common/clock.ts';
import {
  type ExecutionEnvironment,
  LambdaConcurrency,
  type LambdaThrottleReason,
  lambdaDefaults,
} from '../../scaling/lambda-concurrency.ts';
import type { RetryQuotaScope } from '../../scaling/sdk-retry.ts';
import type { LocalFunction } from '../../scaling/stack-model.ts';
import type {
  FromWorker,
  HeapUsage,
  InitialisedMessage,
  MemoryMessage,
  ResultMessage,
  ToWorker,
  WorkerData,
  WorkerError,
} from './worker-protocol.ts';

/** How one invocation ended. */
export type InvocationOutcome =
  | { readonly kind: 'result'; readonly value: unknown; readonly durationMs: number; readonly coldStart: boolean }
  | {
      readonly kind: 'error';
      readonly errorType: string;
      readonly errorMessage: string;
      readonly durationMs: number;
      readonly coldStart: boolean;
    }
  | { readonly kind: 'timeout'; readonly durationMs: number; readonly coldStart: boolean }
  | { readonly kind: 'throttled'; readonly reason: LambdaThrottleReason };

/** What the runtime reports (the control plane turns it into Lambda metrics). */
export interface InvocationObserver {
  invoked(event: {
    functionName: string;
    qualifier: string | undefined;
    outcome: InvocationOutcome;
    spillover: boolean;
    provisioned: boolean;
    concurrency: number;
    atMs: number;
  }): void;
}

/** Options of {@link LambdaRuntime}. */
export interface LambdaRuntimeOptions {
  readonly functions: readonly LocalFunction[];
  readonly clock: Clock;
  /** Environment every function gets (endpoint, region, dummy credentials) under its own variables. */
  readonly baseEnvironment: Readonly<Record<string, string>>;
  /** Modelled init delay added to each cold start's real initialisation. @default 250 (Part A) */
  readonly coldStartDelayMs?: number;
  /** @default 600,000 ms, already divided by the time scale */
  readonly idleReclaimMs?: number;
  /** @default 60,000 ms, already divided by the time scale */
  readonly provisionedChangeDelayMs?: number;
  /** @default 1,000 */
  readonly accountConcurrency?: number;
  /**
   * Give each execution environment its own module instance (module state per environment, as in Lambda) instead
   * of one shared instance per function; about half the throughput (docs/decisions/0002). @default false
   */
  readonly isolateEnvironments?: boolean;
  /** Receives each line the function code prints; dropped when absent. */
  readonly functionLog?: (functionName: string, line: string) => void;
  readonly observer?: InvocationObserver;
}

interface FunctionHost {
  readonly fn: LocalFunction;
  readonly worker: Worker;
  readonly pending: Map<string, (message: ResultMessage) => void>;
  readonly initialising: Map<number, (message: InitialisedMessage) => void>;
  readonly memoryRequests: Map<number, (message: MemoryMessage) => void>;
}

/**
 * Runs the template's functions from their code assets with Lambda's concurrency rules: one request per execution
 * environment, reserved and provisioned concurrency, the scaling rate, cold starts, idle reclaim and the timeout.
 */
/** What {@link LambdaRuntime.heapUsage} asks each worker. */
export interface HeapUsageOptions {
  readonly gc?: boolean | undefined;
  readonly snapshotDir?: string | undefined;
}

/** A function worker's heap, and the snapshot it wrote when asked. */
export type FunctionHeap = HeapUsage & { readonly snapshot?: string };

export class LambdaRuntime {
  readonly concurrency: LambdaConcurrency;
  private readonly hosts = new Map<string, FunctionHost>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private reclaimTimer: NodeJS.Timeout | undefined;
  private readonly peakConcurrency = new Map<string, number>();
  private readonly retryQuotas = new Map<string, RetryQuotaScope>();
  private stopping = false;
  private nextMemoryRequest = 0;

  constructor(private readonly options: LambdaRuntimeOptions) {
    this.concurrency = new LambdaConcurrency({
      functions: options.functions.map((fn) => ({
        functionName: fn.name,
        reservedConcurrency: fn.reservedConcurrency,
        provisioned: fn.provisioned,
      })),
      startMs: options.clock.nowMs(),
      accountConcurrency: options.accountConcurrency,
      idleReclaimMs: options.idleReclaimMs,
      provisionedChangeDelayMs: options.provisionedChangeDelayMs,
    });
  }

  /** Starts one worker per function and initialises the provisioned environments (before traffic, B 5.10). */
  async start(): Promise<void> {
    for (const fn of this.options.functions) this.hosts.set(fn.name, this.startWorker(fn));
    await Promise.all(
      this.options.functions.flatMap((fn) =>
        this.concurrency.environmentsOf(fn.name).map((environment) => this.initialise(fn.name, environment)),
      ),
    );
    const reclaimEveryMs = Math.max(50, Math.min(1_000, (this.options.idleReclaimMs ?? lambdaDefaults.idleReclaimMs) / 10));
    this.reclaimTimer = setInterval(() => this.reclaim(), reclaimEveryMs);
    this.reclaimTimer.unref();
  }

  /** Invokes `functionName` (through alias `qualifier`) with `event`, as API Gateway's Lambda proxy integration does. */
  invoke(functionName: string, qualifier: string | undefined, event: unknown): Promise<InvocationOutcome> {
    const running = this.run(functionName, qualifier, event);
    this.inFlight.add(running);
    running.finally(() => this.inFlight.delete(running)).catch(() => {});
    return running;
  }

  /** Highest number of busy environments per function since the last call; resets the peaks. */
  takePeakConcurrency(): Map<string, number> {
    const peaks = new Map(this.peakConcurrency);
    for (const name of this.hosts.keys()) this.peakConcurrency.set(name, this.concurrency.snapshot(name).busy);
    return peaks;
  }

  /**
   * Whose SDK retry quota each initialised function's calls draw on: each environment's own (as in AWS), or, for code
   * whose retry strategy the worker could not reach, the function's one (docs/decisions/0005).
   */
  retryQuotaScopes(): Record<string, RetryQuotaScope> {
    return Object.fromEntries(this.retryQuotas);
  }

  /**
   * Each function's V8 heap, as its worker reports it (a worker that does not answer within a second is left out;
   * a minute when it writes a heap snapshot). `gc` collects first, where the process runs with --expose-gc.
   */
  async heapUsage(options: HeapUsageOptions = {}): Promise<Record<string, FunctionHeap>> {
    const answers = await Promise.all(
      [...this.hosts.entries()].map(async ([name, host]) => {
        this.nextMemoryRequest += 1;
        const id = this.nextMemoryRequest;
        const answer = new Promise<MemoryMessage | undefined>((resolve) => {
          const timer = setTimeout(
            () => {
              host.memoryRequests.delete(id);
              resolve(undefined);
            },
            options.snapshotDir ? 60_000 : 1_000,
          );
          host.memoryRequests.set(id, (message) => {
            clearTimeout(timer);
            resolve(message);
          });
        });
        post(host, { type: 'memory', id, gc: options.gc, snapshotDir: options.snapshotDir });
        const message = await answer;
        return message ? ([[name, message.snapshot ? { ...message.heap, snapshot: message.snapshot } : message.heap]] as const) : [];
      }),
    );
    return Object.fromEntries(answers.flat());
  }

  /** Waits for in-flight invocations, then stops the workers. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reclaimTimer) clearInterval(this.reclaimTimer);
    await Promise.allSettled([...this.inFlight]);
    await Promise.all([...this.hosts.values()].map((host) => host.worker.terminate()));
  }

  private async run(functionName: string, qualifier: string | undefined, event: unknown): Promise<InvocationOutcome> {
    const { clock, observer } = this.options;
    const acquired = this.concurrency.acquire(functionName, qualifier, clock.nowMs());
    if (!acquired.ok) {
      const outcome: InvocationOutcome = { kind: 'throttled', reason: acquired.reason };
      observer?.invoked({
        functionName,
        qualifier,
        outcome,
        spillover: false,
        provisioned: false,
        concurrency: this.concurrency.snapshot(functionName).busy,
        atMs: clock.nowMs(),
      });
      return outcome;
    }
    const { environment, coldStart, spillover } = acquired;
    const busy = this.concurrency.snapshot(functionName).busy;
    this.peakConcurrency.set(functionName, Math.max(this.peakConcurrency.get(functionName) ?? 0, busy));
    const started = clock.nowMs();
    let outcome: InvocationOutcome;
    let broken = false;
    try {
      if (coldStart) {
        const init = await this.initialise(functionName, environment);
        if (!init.ok) throw Object.assign(new Error(init.error.errorMessage), { name: init.error.errorType });
        await delay(this.options.coldStartDelayMs ?? 250);
      }
      outcome = await this.invokeInWorker(functionName, environment, qualifier, event, started, coldStart);
    } catch (error) {
      outcome = {
        kind: 'error',
        errorType: (error as Error).name,
        errorMessage: (error as Error).message,
        durationMs: clock.nowMs() - started,
        coldStart,
      };
      broken = true;
    }
    if (outcome.kind === 'timeout') broken = true;
    if (broken) {
      // Lambda resets an environment after a crash or timeout (B 5.20).
      this.concurrency.discard(environment);
      const host = this.hosts.get(functionName);
      if (host) post(host, { type: 'retire', envId: environment.id, broken: true });
    } else this.concurrency.release(environment, clock.nowMs());
    observer?.invoked({
      functionName,
      qualifier,
      outcome,
      spillover,
      provisioned: environment.provisionedFor !== undefined,
      concurrency: busy,
      atMs: clock.nowMs(),
    });
    return outcome;
  }

  private invokeInWorker(
    functionName: string,
    environment: ExecutionEnvironment,
    qualifier: string | undefined,
    event: unknown,
    startedMs: number,
    coldStart: boolean,
  ): Promise<InvocationOutcome> {
    const host = this.host(functionName);
    const id = randomUUID();
    // The worker reads the deadline with its own wall clock (getRemainingTimeInMillis), so it is wall-clock time too.
    const deadlineMs = Date.now() + host.fn.timeoutMs;
    return new Promise<InvocationOutcome>((resolve) => {
      const timer = setTimeout(() => {
        host.pending.delete(id);
        resolve({ kind: 'timeout', durationMs: host.fn.timeoutMs, coldStart });
      }, host.fn.timeoutMs);
      host.pending.set(id, (message) => {
        clearTimeout(timer);
        const durationMs = this.options.clock.nowMs() - startedMs;
        resolve(
          message.ok
            ? { kind: 'result', value: message.value, durationMs, coldStart }
            : { kind: 'error', errorType: message.error.errorType, errorMessage: message.error.errorMessage, durationMs, coldStart },
        );
      });
      const arn = `arn:aws:lambda:us-east-1:000000000000:function:${functionName}${qualifier ? `:${qualifier}` : ''}`;
      post(host, {
        type: 'invoke',
        id,
        envId: environment.id,
        event,
        context: {
          awsRequestId: id,
          functionName,
          functionVersion: qualifier ? '1' : '$LATEST',
          invokedFunctionArn: arn,
          memoryLimitInMB: String(host.fn.memoryMb),
          logGroupName: `/aws/lambda/${functionName}`,
          logStreamName: `local/[${qualifier ? '1' : '$LATEST'}]${environment.id}`,
          deadlineMs,
        },
      });
    });
  }

  private initialise(functionName: string, environment: ExecutionEnvironment): Promise<InitialisedMessage> {
    const host = this.host(functionName);
    return new Promise((resolve) => {
      host.initialising.set(environment.id, resolve);
      post(host, { type: 'init', envId: environment.id });
    });
  }

  private reclaim(): void {
    for (const environment of this.concurrency.tick(this.options.clock.nowMs())) {
      const host = this.hosts.get(environment.functionName);
      if (host) post(host, { type: 'retire', envId: environment.id });
    }
  }

  private startWorker(fn: LocalFunction): FunctionHost {
    const workerData: WorkerData = {
      codeDir: fn.codeDir,
      handlerModule: fn.handlerModule,
      handlerExport: fn.handlerExport,
      isolateEnvironments: this.options.isolateEnvironments ?? false,
    };
    const worker = new Worker(new URL('./function-worker.mjs', import.meta.url), {
      workerData,
      env: {
        ...this.options.baseEnvironment,
        ...fn.environment,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
        LAMBDA_TASK_ROOT: fn.codeDir,
        _HANDLER: `${fn.handlerModule}.${fn.handlerExport}`,
      },
      stdout: true,
      stderr: true,
      resourceLimits: { maxYoungGenerationSizeMb: functionYoungGenerationMb },
    });
    const host: FunctionHost = { fn, worker, pending: new Map(), initialising: new Map(), memoryRequests: new Map() };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'result') {
        host.pending.get(message.id)?.(message);
        host.pending.delete(message.id);
      } else if (message.type === 'initialised') {
        if (message.ok) this.retryQuotas.set(fn.name, message.retryQuota);
        host.initialising.get(message.envId)?.(message);
        host.initialising.delete(message.envId);
      } else if (message.type === 'memory') {
        host.memoryRequests.get(message.id)?.(message);
        host.memoryRequests.delete(message.id);
      }
    });
    // A worker that dies (a crash in the function's code outside a handler call) fails everything it was doing,
    // initialisations included, so no start waits forever and every concurrency slot is given back; the next
    // invocation gets a fresh worker, as Lambda would start a fresh environment.
    const fail = (errorMessage: string) => {
      if (this.hosts.get(fn.name) !== host) return;
      const error: WorkerError = { errorType: 'Runtime.ExitError', errorMessage };
      for (const [id, settle] of host.pending) settle({ type: 'result', id, ok: false, error });
      for (const [envId, settle] of host.initialising) settle({ type: 'initialised', envId, ok: false, error });
      host.pending.clear();
      host.initialising.clear();
      if (!this.stopping) this.hosts.set(fn.name, this.startWorker(fn));
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`RequestId: worker exited with code ${code}`));
    for (const stream of [worker.stdout, worker.stderr]) {
      if (this.options.functionLog) createInterface({ input: stream }).on('line', (line) => this.options.functionLog?.(fn.name, line));
      else stream.resume();
    }
    worker.unref();
    return host;
  }

  private host(functionName: string): FunctionHost {
    const host = this.hosts.get(functionName);
    if (!host) throw new RangeError(`unknown function ${functionName}`);
    return host;
  }
}

/**
 * Young generation of each function worker's heap. V8's default (up to 16 MB per semi-space) lets four busy workers
 * reserve ~170 MB between collections; 12 MB (4 MB semi-spaces) peaked at ~120-135 MB for the same 8,000 creates and
 * listings, at the same throughput within this machine's noise (measured side by side, issue 10's soak).
 */
const functionYoungGenerationMb = 12;

function post(host: FunctionHost, message: ToWorker): void {
  host.worker.postMessage(message);
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
