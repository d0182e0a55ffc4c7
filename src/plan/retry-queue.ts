import { sdkRetryDefaults, throttlingRetryWindowMs } from '../scaling/sdk-retry.ts';
import type { FluidFunction } from './fluid-function.ts';
import { firstSecondHold } from './retry-hold.ts';

/** Requests that share a route, a call, an attempt, a latency so far and a phase move together. */
export interface CohortKey {
  /** Index of the mix's route. */
  readonly route: number;
  /** Which of the request's DynamoDB calls is next. */
  readonly operation: number;
  /** Attempt of that call, from 1. */
  readonly attempt: number;
  readonly latencyMs: number;
  /** Phase of the second the requests arrived in. */
  readonly phase: number;
}

/** A number of requests (fractional: the planner moves counts) in the same state. */
export interface Cohort {
  readonly key: CohortKey;
  count: number;
}

/** Where refused calls go: failures the recorder counts. */
export interface RetryOutcomes {
  /** Requests answered 503 after the SDK gave up (out of attempts, or out of retry quota). */
  gaveUp(step: number, phase: number, count: number, latencyMs: number): void;
}

/**
 * Calls waiting for their next attempt, by the second they are due. A throttled call retries after a wait drawn
 * uniformly from [0, window) (B 8.3), so its requests spread evenly over the seconds of the window, each share
 * with the mean wait of its second; the invocation holds its environment all the while.
 */
export class RetryQueue {
  private readonly due = new Map<number, Map<number, Cohort>>();
  /** Emptied maps, reused for later seconds (a day has 86,400). */
  private readonly spare: Map<number, Cohort>[] = [];

  /** Requests whose call runs in `step`. */
  enter(step: number, key: CohortKey, count: number): void {
    if (count <= 0) return;
    let cohorts = this.due.get(step);
    if (!cohorts) {
      cohorts = this.spare.pop() ?? new Map();
      this.due.set(step, cohorts);
    }
    // One number per state (latencies are whole milliseconds, under 100 s; phases under 100; attempts under 10).
    const id = (((key.route * 8 + key.operation) * 10 + key.attempt) * 100 + key.phase) * 100_000 + Math.round(key.latencyMs);
    const existing = cohorts.get(id);
    if (existing) existing.count += count;
    else cohorts.set(id, { key, count });
  }

  /** Moves the calls due in `step` out of the queue and onto `into`. */
  takeInto(step: number, into: Cohort[]): void {
    const cohorts = this.due.get(step);
    if (!cohorts) return;
    this.due.delete(step);
    for (const cohort of cohorts.values()) into.push(cohort);
    cohorts.clear();
    this.spare.push(cohorts);
  }

  /** Refused calls: retried while attempts and the function's retry quota last, otherwise given up. */
  retry(step: number, key: CohortKey, refused: number, fn: FluidFunction, outcomes: RetryOutcomes): void {
    const retrying = key.attempt < sdkRetryDefaults.maxAttempts ? fn.takeRetries(refused) : 0;
    if (refused - retrying > 0) outcomes.gaveUp(step, key.phase, refused - retrying, key.latencyMs);
    if (retrying <= 0) return;
    const windowSeconds = Math.max(1, Math.round(throttlingRetryWindowMs(key.attempt - 1) / 1000));
    const each = retrying / windowSeconds;
    // What the wait holds of this second (retry-hold.ts); a one-second window's remaining sixth falls in the next
    // second, a longer window's in the whole seconds until its retry, which is taken as made at that second's start.
    const inStep = firstSecondHold(windowSeconds);
    fn.addBusy(step, retrying * inStep);
    if (windowSeconds === 1) fn.addBusy(step + 1, retrying * (0.5 - inStep));
    for (let j = 0; j < windowSeconds; j++) {
      for (let s = 1; s <= j; s++) fn.addBusy(step + s, each);
      this.enter(step + 1 + j, { ...key, attempt: key.attempt + 1, latencyMs: key.latencyMs + (j + 0.5) * 1000 }, each);
    }
  }
}
