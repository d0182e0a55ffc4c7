import type { Dispatcher } from 'undici';
import { type Outcome, outcomeOf } from './load-results.ts';
import type { PlannedRequest } from './request-mix.ts';

/** How one request ended. */
export interface ExchangeResult {
  readonly outcome: Outcome;
  readonly statusCode: number | undefined;
  /** The response body, read only when the request asked to learn from it. */
  readonly body: string | undefined;
}

/**
 * One request through undici's dispatcher API, without the streams and promises `request()` allocates: a handler
 * object that tallies the status, keeps the body only when asked, and calls `done` exactly once, on the answer, on a
 * network failure, or on `expire()` (its deadline passed; a later answer is then ignored).
 */
export class HttpExchange implements Dispatcher.DispatchHandler {
  private statusCode: number | undefined;
  private chunks: Buffer[] | undefined;
  private settled = false;

  constructor(
    readonly request: PlannedRequest,
    /** When the request was due, in ms on the run's clock. */
    readonly intendedMs: number,
    /** Where its latency counts from: the intended time, or the send when it left early. */
    readonly latencyFromMs: number,
    readonly phaseIndex: number,
    private readonly done: (exchange: HttpExchange, result: ExchangeResult) => void,
  ) {}

  /** Whether the exchange has ended (answered, failed or expired). */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Sends the request on `dispatcher`. */
  start(dispatcher: Dispatcher): void {
    dispatcher.dispatch(this.request, this);
  }

  /** The deadline passed: settles as a timeout. */
  expire(): void {
    this.settle({ outcome: 'timeout', statusCode: undefined, body: undefined });
  }

  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.statusCode = statusCode;
    if (this.request.learn) this.chunks = [];
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks?.push(chunk);
  }

  onResponseEnd(): void {
    const statusCode = this.statusCode ?? 0;
    const body = this.chunks ? Buffer.concat(this.chunks).toString('utf8') : undefined;
    this.settle({ outcome: outcomeOf(statusCode), statusCode, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.settle({ outcome: networkOutcome(error), statusCode: undefined, body: undefined });
  }

  private settle(result: ExchangeResult): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = undefined;
    this.done(this, result);
  }
}

/** A failed exchange as the report counts it. */
function networkOutcome(error: Error): Outcome {
  const code = (error as { code?: string }).code ?? '';
  if (error.name === 'TimeoutError' || error.name === 'AbortError' || /TIMEOUT/.test(code)) return 'timeout';
  if (/^(E[A-Z]+|UND_ERR)/.test(code)) return 'connection-error';
  // Not a network failure: a bug here, which must not pass for a server's fault.
  queueMicrotask(() => {
    throw error;
  });
  return 'connection-error';
}
