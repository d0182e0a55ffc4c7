import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { packSeconds } from './packed-seconds.ts';
import type { Prediction } from './prediction.ts';
import type { SimulationOptions } from './sale-simulation.ts';
import { jobState, type SimulationJob, type SimulationReply } from './simulation-job.ts';
import { secondsOf } from './traffic-profile.ts';

/** A simulation under way on the other core: `result()` waits for it, or runs it here if the worker never took it. */
export interface PendingSimulation {
  result(): Prediction;
  /** Whether the worker has claimed the job (it then runs it to the end). */
  readonly takenByWorker: boolean;
  /** Which thread ran it, once `result()` has returned. */
  readonly ranOn: 'worker' | 'main' | undefined;
}

// The worker runs TypeScript as the CLI does, through tsx (the package has no build step): a CommonJS bootstrap
// registers tsx's loader in the worker, then imports the worker's module.
const bootstrap = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((tsx) => { (tsx.register ?? tsx.default.register)(); return import(workerData.entry); });
`;

/**
 * tsx's API as an ES module: its CommonJS build, loaded in a worker, looks for its ES half at a wrong path. Module
 * runners without import.meta.resolve (vitest's) get it beside the CommonJS file, where tsx's package puts both.
 */
function tsxApiUrl(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  return pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
}

/**
 * A second thread for simulations, so that a plan uses both of a laptop's cores: the two burst assumptions of one
 * configuration run at the same time, each a whole day of virtual seconds. The API stays synchronous: the main
 * thread runs its own simulation, then blocks on shared memory for the worker's (Atomics.wait) and reads its reply
 * off the port (receiveMessageOnPort). A job the worker has not started by then, because it is still loading its
 * modules or has failed to, the main thread takes back and runs itself: never slower than one thread, never stuck.
 */
export class ParallelSimulation {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ready = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;
  /** Replies read off the port while waiting for another job's. */
  private readonly replies = new Map<number, SimulationReply>();

  /** @param entry the worker's module: simulation-worker.ts (tests give one that fails to load) */
  constructor(entry = new URL('./simulation-worker.ts', import.meta.url)) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(bootstrap, {
      eval: true,
      workerData: {
        port: port2,
        ready: this.ready.buffer,
        tsxApi: tsxApiUrl(),
        entry: entry.href,
      },
      transferList: [port2],
    });
    // The worker serves the plan; it must not keep the process alive, nor crash it when it fails to load.
    this.worker.unref();
    this.worker.on('error', () => {});
  }

  /** Whether the worker has loaded and takes jobs. */
  get started(): boolean {
    return Atomics.load(this.ready, 0) === 1;
  }

  /**
   * Starts `options` on the worker; `runHere` is the same simulation on this thread, for a job the worker does not
   * take. (This module does not import the simulation itself, so that a command can start the worker before it loads
   * the models: decision 0008.)
   */
  start(options: SimulationOptions, runHere: () => Prediction): PendingSimulation {
    const seconds = packSeconds(secondsOf(options.profile));
    const job: SimulationJob = { id: this.nextId++, options, state: new SharedArrayBuffer(8), seconds };
    const cells = new Int32Array(job.state);
    const startedMs = performance.now();
    this.port.postMessage(job, seconds ? [seconds.requests.buffer, seconds.phaseIndex.buffer] : []);
    let ranOn: PendingSimulation['ranOn'];
    return {
      result: () => {
        if (Atomics.compareExchange(cells, 0, jobState.queued, jobState.takenByMain) === jobState.queued) {
          ranOn = 'main';
          return runHere();
        }
        const reply = this.replyTo(job, cells, performance.now() - startedMs);
        ranOn = reply ? 'worker' : 'main';
        return reply ?? runHere();
      },
      get takenByWorker() {
        return Atomics.load(cells, 0) === jobState.takenByWorker;
      },
      get ranOn() {
        return ranOn;
      },
    };
  }

  /**
   * The worker's reply to a job it took. A worker that dies mid-job (out of memory, say) cannot say so while this
   * thread blocks, so the wait is bounded: past ten times what the main thread's own simulation took (a minute at
   * least), the job runs here instead (undefined).
   */
  private replyTo(job: SimulationJob, cells: Int32Array, mainThreadMs: number): Prediction | undefined {
    const timeoutMs = Math.max(60_000, 10 * mainThreadMs);
    if (Atomics.wait(cells, 1, 0, timeoutMs) === 'timed-out') return undefined;
    for (;;) {
      const reply = this.replies.get(job.id) ?? (receiveMessageOnPort(this.port)?.message as SimulationReply | undefined);
      if (!reply) throw new Error('the simulation worker signalled a reply it did not post');
      if (reply.id !== job.id) {
        this.replies.set(reply.id, reply);
        continue;
      }
      this.replies.delete(job.id);
      if (reply.error !== undefined) throw new Error(`the simulation worker failed: ${reply.error}`);
      return reply.prediction;
    }
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }
}

let startedAhead: ParallelSimulation | undefined;

/**
 * Starts the process's simulation worker ahead of need: `techmoda plan` calls this before it loads its own modules, so
 * that the worker loads the models on the other core meanwhile instead of after (about a second of each thread's).
 */
export function startSimulationWorker(): void {
  startedAhead ??= new ParallelSimulation();
}

/** The worker started ahead, or a new one if none was; the caller closes it. */
export function takeSimulationWorker(): ParallelSimulation {
  const taken = startedAhead ?? new ParallelSimulation();
  startedAhead = undefined;
  return taken;
}
