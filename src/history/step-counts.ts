import { UsageError } from '../common/usage-error.ts';
import type { RouteKind } from './route-kinds.ts';

/** Requests of each kind in each second (or longer step) of the history, and the routes that had no kind. */
export class StepCounts {
  /** Start of each counted step, epoch ms, to its counts by kind. */
  readonly byStep = new Map<number, Map<RouteKind, number>>();
  /** `METHOD /path` of requests the product API has no kind for, with their counts. */
  readonly unknownRoutes = new Map<string, number>();

  /**
   * @param stepMs the resolution of the data: 1,000 for access logs, the metric period for CloudWatch.
   */
  constructor(readonly stepMs: number) {}

  add(timeMs: number, kind: RouteKind, count = 1): void {
    const step = Math.floor(timeMs / this.stepMs) * this.stepMs;
    let counts = this.byStep.get(step);
    if (!counts) {
      counts = new Map();
      this.byStep.set(step, counts);
    }
    counts.set(kind, (counts.get(kind) ?? 0) + count);
  }

  addUnknown(route: string, count = 1): void {
    this.unknownRoutes.set(route, (this.unknownRoutes.get(route) ?? 0) + count);
  }

  /** Total requests per kind. */
  totals(): Map<RouteKind, number> {
    const totals = new Map<RouteKind, number>();
    for (const counts of this.byStep.values()) for (const [kind, n] of counts) totals.set(kind, (totals.get(kind) ?? 0) + n);
    return totals;
  }
}

/** A bad input file: exit 2 with one line naming the file and the position. */
export function inputError(file: string, position: string | undefined, problem: string): UsageError {
  return new UsageError(`${file}${position ? ` ${position}` : ''}: ${problem}`);
}
