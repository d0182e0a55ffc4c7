// Worker thread running one load: the generator on its own event loop, so the work of a local cloud in the main
// thread does not delay its schedule, and its polling of sockets does not slow the cloud (npm run lab).
/** @typedef {import('./load-worker-protocol.ts').LoadWorkerData} LoadWorkerData */
/** @typedef {import('./load-worker-protocol.ts').FromLoadWorker} FromLoadWorker */
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runLoad, TargetUnreachableError } = await import('./load-runner.ts');

/** @param {FromLoadWorker} message */
const post = (message) => parentPort?.postMessage(message);
/** @type {LoadWorkerData} */
const data = workerData;
try {
  const run = await runLoad({
    ...data,
    target: new URL(data.target),
    onPhase: (phaseIndex) => post({ type: 'phase', phaseIndex }),
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  post({
    type: 'done',
    startedAtMs: run.startedAtMs,
    phases: run.results.phaseSummaries(),
    total: run.results.totalSummary(),
    timeline: run.results.timeline(),
    sentByKind: run.sentByKind,
    writes: run.writes,
    tokenRequests: run.tokenRequests,
  });
} catch (error) {
  if (error instanceof TargetUnreachableError) post({ type: 'unreachable', cause: String(error.cause?.message ?? error.cause) });
  else if (error?.code === 'TOKEN_REFUSED') post({ type: 'token-refused', message: error.message });
  else post({ type: 'failed', message: String(error?.message ?? error), stack: error?.stack });
}
