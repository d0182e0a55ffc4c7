import { Pool } from 'undici';
import { AppError } from '../shared/app-error.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import { type Arrival, arrivals } from './arrival-schedule.ts';
import type { LoadProfile } from './load-profile.ts';
import { LoadResults, type Outcome, outcomeOf } from './load-results.ts';
import { type PlannedRequest, RequestMix } from './request-mix.ts';

/** Options of {@link runLoad}. */
export interface LoadRunOptions {
  /** Base URL of the API stage, e.g. http://127.0.0.1:3000/prod */
  readonly target: URL;
  readonly profile: LoadProfile;
  /** Most connections open at once; more requests queue (and their wait counts in latency). @default 256 */
  readonly connections?: number;
  /** A request not answered this long after its intended time is a timeout. @default 10,000 */
  readonly timeoutMs?: number;
  /** Seed of the request mix. @default 1 */
  readonly seed?: number;
  /** POST phase starts and ends to the target's /_local/phases (the local cloud). @default false */
  readonly announcePhases?: boolean;
  /** Called about once a second with the running figures. */
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Called when a phase starts. */
  readonly onPhase?: (phaseIndex: number) => void;
}

/** Running figures for the progress line. */
export interface LoadProgress {
  readonly phase: string;
  readonly elapsedSeconds: number;
  readonly totalSeconds: number;
  readonly ratePerSecond: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly inFlight: number;
}

/** A finished run. */
export interface LoadRun {
  readonly results: LoadResults;
  readonly startedAtMs: number;
  readonly acknowledgedCreates: readonly string[];
  readonly pool: Pool;
}

/** The target did not answer at all before the run (connection refused, no such host). */
export class TargetUnreachableError extends AppError {
  constructor(target: URL, cause: unknown) {
    super('TARGET_UNREACHABLE', `cannot reach ${target.href}: ${(cause as Error).message}`, undefined, { cause });
  }
}

/**
 * Runs a profile open loop: every request starts at its intended time whatever earlier responses do, and its latency
 * is measured from that intended time, so a stalled server shows in the percentiles instead of slowing the load
 * (no coordinated omission; giltene/wrk2). Schedule lag (actual minus intended start) is reported too.
 */
export async function runLoad(options: LoadRunOptions): Promise<LoadRun> {
  const { target, profile } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const basePath = target.pathname.replace(/\/$/, '');
  const pool = new Pool(target.origin, {
    connections: options.connections ?? 256,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: { timeout: timeoutMs },
  });
  const seed = options.seed ?? 1;
  const mix = new RequestMix(profile.mix, seededRandom(seed), basePath, `load-${Date.now().toString(36)}-${seed}`);
  await discover(pool, target, basePath, mix);

  const phaseInfo = profile.phases.map((p) => ({
    name: p.name,
    durationSeconds: p.durationSeconds,
    from: p.ratePerSecond,
    to: p.rampToRatePerSecond ?? p.ratePerSecond,
  }));
  const results = new LoadResults(phaseInfo);
  const schedule = arrivals(profile.phases);
  const inFlight = new Set<Promise<void>>();
  const startedAtMs = Date.now();
  const start = performance.now();
  const totalSeconds = phaseInfo.reduce((s, p) => s + p.durationSeconds, 0);
  let currentPhase = -1;
  let window = { completed: 0, errors: 0, latencies: [] as number[] };
  let errors = 0;

  const announce = (phaseIndex: number, state: 'start' | 'end') => {
    if (!options.announcePhases) return;
    const phase = profile.phases[phaseIndex];
    if (!phase) return;
    const body = JSON.stringify({
      name: phase.name,
      state,
      targetRatePerSecond: state === 'start' ? phase.ratePerSecond : (phase.rampToRatePerSecond ?? phase.ratePerSecond),
    });
    pool.request({ path: '/_local/phases', method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
      (r) => r.body.dump(),
      () => {},
    );
  };
  const enterPhase = (phaseIndex: number) => {
    while (currentPhase < phaseIndex) {
      if (currentPhase >= 0) announce(currentPhase, 'end');
      currentPhase += 1;
      announce(currentPhase, 'start');
      options.onPhase?.(currentPhase);
    }
  };

  // Deadlines count from the intended send time. One sweep settles overdue requests as timeouts (a late answer is
  // then ignored): an AbortSignal or a timer per request cost milliseconds of schedule lag at 5,000 per second.
  const deadlines = new Map<number, { deadline: number; settle: (result: Attempt) => void }>();
  let nextId = 0;
  const sweeper = setInterval(() => {
    const now = performance.now() - start;
    for (const [id, entry] of deadlines) {
      if (entry.deadline > now) continue;
      deadlines.delete(id);
      entry.settle({ outcome: 'timeout' });
    }
  }, 10);
  const withDeadline = (attempt: Promise<Attempt>, deadline: number): Promise<Attempt> =>
    new Promise((resolve) => {
      const id = nextId++;
      let settled = false;
      const settle = (result: Attempt) => {
        if (settled) return;
        settled = true;
        deadlines.delete(id);
        resolve(result);
      };
      deadlines.set(id, { deadline, settle });
      void attempt.then(settle); // execute() turns every failure into an outcome: attempt never rejects
    });
  const send = (arrival: Arrival, nowMs: number) => {
    enterPhase(arrival.phaseIndex);
    const request = mix.next();
    results.sent(arrival.phaseIndex, arrival.atMs, nowMs - arrival.atMs);
    const finished = withDeadline(execute(pool, request), arrival.atMs + timeoutMs).then(({ outcome, statusCode, body }) => {
      const latencyMs = performance.now() - start - arrival.atMs;
      results.completed(arrival.phaseIndex, arrival.atMs, outcome, latencyMs);
      if (statusCode === 412 && request.kind === 'update') mix.stale(request);
      else if (statusCode !== undefined) mix.learn(request, statusCode, body);
      window.completed++;
      window.latencies.push(latencyMs);
      if (outcome !== '2xx' && outcome !== '3xx' && outcome !== '4xx') {
        window.errors++;
        errors++;
      }
    });
    inFlight.add(finished);
    const forget = () => inFlight.delete(finished);
    void finished.then(forget, forget);
  };

  const progressTimer = setInterval(() => {
    const latencies = window.latencies.sort((a, b) => a - b);
    options.onProgress?.({
      phase: profile.phases[Math.max(0, currentPhase)]?.name ?? '',
      elapsedSeconds: (performance.now() - start) / 1000,
      totalSeconds,
      ratePerSecond: window.completed,
      p99Ms: latencies.length ? (latencies[Math.ceil(0.99 * latencies.length) - 1] as number) : 0,
      errors,
      inFlight: inFlight.size,
    });
    window = { completed: 0, errors: 0, latencies: [] };
  }, 1_000);

  await new Promise<void>((resolve) => {
    let next = schedule.next();
    const pump = () => {
      const now = performance.now() - start;
      while (!next.done && next.value.atMs <= now) {
        send(next.value, now);
        next = schedule.next();
      }
      if (next.done) return resolve();
      // libuv's timers have 1 ms resolution: sleep on a timer until about 1.5 ms before the next request, then poll
      // on each event-loop turn (setImmediate, which still serves I/O) so requests leave within a fraction of a ms.
      // Above a few hundred requests per second this polls continuously: about one core, for exact timing and
      // undistorted latencies (blocking sleeps were tried and delayed response timestamps; bench/load-generator).
      const gap = next.value.atMs - (performance.now() - start);
      if (gap > 2.5) setTimeout(pump, gap - 1.5);
      else setImmediate(pump);
    };
    pump();
  });
  // Idle until the last phase's end, so a trailing gap in the schedule does not shorten the run.
  const remaining = totalSeconds * 1000 - (performance.now() - start);
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
  if (currentPhase >= 0) announce(currentPhase, 'end');
  await Promise.all([...inFlight]);
  clearInterval(progressTimer);
  clearInterval(sweeper);
  return { results, startedAtMs, acknowledgedCreates: mix.acknowledgedCreates, pool };
}

/** How one request ended. */
interface Attempt {
  readonly outcome: Outcome;
  readonly statusCode?: number;
  readonly body?: string;
}

/** Sends one request; never rejects: failures become outcomes. */
async function execute(pool: Pool, request: PlannedRequest): Promise<Attempt> {
  try {
    const response = await pool.request({
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    let body: string | undefined;
    if (request.learn) body = await response.body.text();
    else await response.body.dump();
    return { outcome: outcomeOf(response.statusCode), statusCode: response.statusCode, body };
  } catch (error) {
    const name = (error as Error).name;
    const code = (error as { code?: string }).code ?? '';
    if (name === 'TimeoutError' || name === 'AbortError' || /TIMEOUT/.test(code)) return { outcome: 'timeout' };
    if (/^(E[A-Z]+|UND_ERR)/.test(code)) return { outcome: 'connection-error' };
    throw error; // not a network failure: a bug here, which must not pass for a server's fault
  }
}

/** Learns existing product ids before the run (not counted), and fails fast when the target is unreachable. */
async function discover(pool: Pool, target: URL, basePath: string, mix: RequestMix): Promise<void> {
  const request: PlannedRequest = { kind: 'list', method: 'GET', path: `${basePath}/products?limit=100`, headers: {}, learn: true };
  try {
    const response = await pool.request({ path: request.path, method: 'GET', headersTimeout: 5_000, bodyTimeout: 5_000 });
    mix.learn(request, response.statusCode, await response.body.text());
  } catch (error) {
    throw new TargetUnreachableError(target, error);
  }
}

/** Reads back every acknowledged create: `verified` answered 200, `missing` did not. */
export async function verifyWrites(
  pool: Pool,
  target: URL,
  ids: readonly string[],
): Promise<{ acknowledged: number; verified: number; missing: string[] }> {
  const basePath = target.pathname.replace(/\/$/, '');
  const missing: string[] = [];
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        let status = 0;
        // A read-back can be throttled like any request: retry those, so only real absence counts as missing.
        for (let attempt = 0; attempt < 20; attempt++) {
          const response = await pool
            .request({ path: `${basePath}/products/${encodeURIComponent(id)}`, method: 'GET' })
            .catch(() => undefined);
          await response?.body.dump();
          status = response?.statusCode ?? 0;
          if (status === 200 || status === 404) break;
          await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
        }
        if (status !== 200) missing.push(id);
      }
    }),
  );
  return { acknowledged: ids.length, verified: ids.length - missing.length, missing };
}
