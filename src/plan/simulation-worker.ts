import { type MessagePort, workerData } from 'node:worker_threads';
import { unpackSeconds } from './packed-seconds.ts';
import { simulateSale } from './sale-simulation.ts';
import type { SimulationJob, SimulationReply } from './simulation-job.ts';
import { jobState } from './simulation-job.ts';
import { knownSecondsOf } from './traffic-profile.ts';

// The worker side of parallel-simulation.ts: one simulation per message, each claimed before it runs, so that the
// main thread can take back a job this thread has not started (it was still loading, or busy with the last one).
const { port, ready } = workerData as { port: MessagePort; ready: SharedArrayBuffer };

port.on('message', ({ id, options, state, seconds }: SimulationJob) => {
  const cells = new Int32Array(state);
  if (Atomics.compareExchange(cells, 0, jobState.queued, jobState.takenByWorker) !== jobState.queued) return;
  let reply: SimulationReply;
  try {
    if (seconds) knownSecondsOf(options.profile, unpackSeconds(seconds));
    reply = { id, prediction: simulateSale(options) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
  Atomics.store(cells, 1, 1);
  Atomics.notify(cells, 1);
});

const readyCell = new Int32Array(ready);
Atomics.store(readyCell, 0, 1);
