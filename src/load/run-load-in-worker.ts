import { Worker } from 'node:worker_threads';
import { type LoadRun, type LoadRunOptions, TargetUnreachableError } from './load-runner.ts';
import type { FromLoadWorker, LoadWorkerData } from './load-worker-protocol.ts';
import { TokenError } from './token-source.ts';

/**
 * {@link runLoad} on a worker thread: the same run, with the generator's timers and sockets on their own event loop
 * (and, on two cores, their own core). For runs that share the process with the system under test.
 */
export function runLoadInWorker(options: LoadRunOptions): Promise<LoadRun> {
  const { onPhase, onProgress, target, ...rest } = options;
  const workerData: LoadWorkerData = { ...rest, target: target.href };
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData });
  return new Promise<LoadRun>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.on('message', (message: FromLoadWorker) => {
      switch (message.type) {
        case 'phase':
          return onPhase?.(message.phaseIndex);
        case 'progress':
          return onProgress?.(message.progress);
        case 'unreachable':
          return settle(() => reject(new TargetUnreachableError(target, new Error(message.cause))));
        case 'token-refused':
          return settle(() => reject(new TokenError(message.message)));
        case 'failed':
          return settle(() => reject(Object.assign(new Error(message.message), { stack: message.stack })));
        case 'done': {
          const { phases, total, timeline } = message;
          const results = { phaseSummaries: () => phases, totalSummary: () => total, timeline: () => timeline };
          return settle(() =>
            resolve({
              results,
              startedAtMs: message.startedAtMs,
              sentByKind: message.sentByKind,
              writes: message.writes,
              tokenRequests: message.tokenRequests,
            }),
          );
        }
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the load worker exited with code ${code} before its results`))));
  });
}
