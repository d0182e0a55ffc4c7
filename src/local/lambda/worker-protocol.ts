// The messages between the Lambda runtime and a function's worker thread (function-worker.mjs), declared once.
import type { RetryQuotaScope } from '../../scaling/sdk-retry.ts';

/** What the worker reports of a failure: as Lambda reports a function error. */
export interface WorkerError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stack?: string;
}

/** The Lambda context fields the worker turns into the handler's `context`. */
export interface WorkerInvocationContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Wall-clock deadline, for getRemainingTimeInMillis(). */
  readonly deadlineMs: number;
}

/** Runtime -> worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly envId: number }
  | {
      readonly type: 'invoke';
      readonly id: string;
      readonly envId: number;
      readonly event: unknown;
      readonly context: WorkerInvocationContext;
    }
  | { readonly type: 'retire'; readonly envId: number; readonly broken?: boolean }
  | {
      readonly type: 'memory';
      readonly id: number;
      /** Collect garbage first (when the process runs with --expose-gc), so the heap is what is kept. */
      readonly gc?: boolean;
      /** Write a heap snapshot of the worker into this directory. */
      readonly snapshotDir?: string;
    };

/** Worker -> runtime: the end of an environment's initialisation. */
export type InitialisedMessage =
  | {
      readonly type: 'initialised';
      readonly envId: number;
      readonly ok: true;
      readonly fresh: boolean;
      readonly initMs: number;
      /** Whose SDK retry quota the environment's calls draw on (docs/decisions/0005). */
      readonly retryQuota: RetryQuotaScope;
    }
  | { readonly type: 'initialised'; readonly envId: number; readonly ok: false; readonly error: WorkerError };

/** Worker -> runtime: the end of an invocation. */
export type ResultMessage =
  | { readonly type: 'result'; readonly id: string; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: string; readonly ok: false; readonly error: WorkerError };

/** The V8 heap of one isolate (a function's worker, or the local cloud's own thread), in bytes. */
export interface HeapUsage {
  /** Live objects and garbage not yet collected. */
  readonly usedBytes: number;
  /** What V8 has reserved for the heap: the part of RSS it accounts for. */
  readonly totalBytes: number;
  /** Memory outside the heap held by its objects (buffers). */
  readonly externalBytes: number;
}

/** Worker -> runtime: the answer to a `memory` request. */
export interface MemoryMessage {
  readonly type: 'memory';
  readonly id: number;
  readonly heap: HeapUsage;
  /** The heap snapshot written, when one was asked for. */
  readonly snapshot?: string;
}

/** Worker -> runtime. */
export type FromWorker = InitialisedMessage | ResultMessage | MemoryMessage;

/** The worker's start-up data. */
export interface WorkerData {
  readonly codeDir: string;
  readonly handlerModule: string;
  readonly handlerExport: string;
  readonly isolateEnvironments: boolean;
}
