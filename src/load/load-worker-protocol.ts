import type { PhaseSummary, SecondSummary } from './load-results.ts';
import type { LoadProgress, LoadRunOptions, WriteCheck } from './load-runner.ts';

/** What the load worker is started with: the run's options without the callbacks, and the target as text. */
export type LoadWorkerData = Omit<LoadRunOptions, 'target' | 'onProgress' | 'onPhase'> & { readonly target: string };

/** What the load worker posts back. */
export type FromLoadWorker =
  | { readonly type: 'phase'; readonly phaseIndex: number }
  | { readonly type: 'progress'; readonly progress: LoadProgress }
  | {
      readonly type: 'done';
      readonly startedAtMs: number;
      readonly phases: PhaseSummary[];
      readonly total: PhaseSummary;
      readonly timeline: SecondSummary[];
      readonly sentByKind: Readonly<Record<string, number>>;
      readonly writes: WriteCheck | undefined;
      readonly tokenRequests: number;
    }
  | { readonly type: 'unreachable'; readonly cause: string }
  | { readonly type: 'token-refused'; readonly message: string }
  | { readonly type: 'failed'; readonly message: string; readonly stack: string | undefined };
