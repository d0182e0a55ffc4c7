import { Pool, request } from 'undici';
import { AppError } from '../common/app-error.ts';
import { seededRandom } from '../common/seeded-random.ts';
import { latencyOriginMs, pumpArrivals } from './arrival-pump.ts';
import { type Arrival, arrivals } from './arrival-schedule.ts';
import { type ExchangeResult, HttpExchange } from './http-exchange.ts';
import { type LoadProfile, profileWrites } from './load-profile.ts';
import { LoadResults, type RunFigures } from './load-results.ts';
import { PhaseTracker } from './phase-tracker.ts';
import { RequestDeadlines } from './request-deadlines.ts';
import { type PlannedRequest, RequestMix } from './request-mix.ts';
import { mixAt } from './step-mix.ts';
import { type ClientCredentials, localClientCredentials, TokenSource } from './token-source.ts';

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
  /** After the run, read back every acknowledged create. @default false */
  readonly verifyWrites?: boolean;
  /**
   * The back-office client whose token writes carry. Absent, a mix that writes asks a local cloud target for its
   * machine client (`/_local/user-pools`); a deployed stage then answers writes 401.
   */
  readonly credentials?: ClientCredentials | undefined;
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
  readonly results: RunFigures;
  readonly startedAtMs: number;
  /** Requests sent by kind, as the mix built them (a get with no id known yet goes out as a listing, and so on). */
  readonly sentByKind: Readonly<Record<string, number>>;
  /** With `verifyWrites`: every acknowledged create read back, every acknowledged delete gone. */
  readonly writes: WriteCheck | undefined;
  /** Token requests made to the token endpoint (0 when writes carried no token). */
  readonly tokenRequests: number;
}

/** Acknowledged creates and deletes read back after a run. */
export interface WriteCheck {
  readonly acknowledged: number;
  readonly verified: number;
  /** Ids whose acknowledged write did not hold: a created product that does not read, a deleted one that still does. */
  readonly missing: string[];
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
 * (no coordinated omission; giltene/wrk2). Schedule lag (actual minus intended start) is reported too. Owns its
 * connections: they are closed when the run (and the read-back of `verifyWrites`) is over.
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
  let tokens: TokenSource | undefined;
  try {
    const seed = options.seed ?? 1;
    const mix = new RequestMix(profile.mix, seededRandom(seed), basePath, `load-${Date.now().toString(36)}-${seed}`);
    await discover(pool, target, basePath, mix);
    const credentials = options.credentials ?? (profileWrites(profile) ? await localClientCredentials(target.origin) : undefined);
    tokens = credentials ? new TokenSource(credentials) : undefined;
    await tokens?.start((token) => {
      mix.authorization = token;
    });
    const startedAtMs = Date.now();
    const sentByKind: Record<string, number> = {};
    const results = await runSchedule(pool, mix, options, sentByKind);
    const writeCheck = options.verifyWrites ? await verifyWrites(pool, target, acknowledgedWrites(mix)) : undefined;
    return { results, startedAtMs, sentByKind, writes: writeCheck, tokenRequests: tokens?.requests ?? 0 };
  } finally {
    tokens?.stop();
    await pool.close();
  }
}

/** Sends the profile's arrivals on time and records each outcome; resolves when the last phase has ended. */
async function runSchedule(pool: Pool, mix: RequestMix, options: LoadRunOptions, sentByKind: Record<string, number>): Promise<LoadResults> {
  const { profile } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const results = LoadResults.forProfile(profile);
  const start = performance.now();
  const runNowMs = () => performance.now() - start;
  const totalSeconds = profile.phases.reduce((s, p) => s + p.durationSeconds, 0);
  const phases = new PhaseTracker(profile.phases, options.announcePhases ? pool : undefined, options.onPhase);
  const deadlines = new RequestDeadlines(runNowMs);
  const progress = new ProgressWindow();
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const completed = (exchange: HttpExchange, { outcome, statusCode, body }: ExchangeResult) => {
    const latencyMs = runNowMs() - exchange.latencyFromMs;
    results.completed(exchange.phaseIndex, exchange.intendedMs, outcome, latencyMs);
    const { request } = exchange;
    if (statusCode === 412 && request.kind === 'update') mix.stale(request);
    else if (statusCode !== undefined && body !== undefined) mix.learn(request, statusCode, body);
    progress.completed(latencyMs, outcome !== '2xx' && outcome !== '3xx' && outcome !== '4xx');
    inFlight -= 1;
    if (inFlight === 0) drained?.();
  };
  // Where each phase starts, for a traced step's own mix.
  const phaseStartsMs: number[] = [];
  for (let i = 0, at = 0; i < profile.phases.length; at += (profile.phases[i]?.durationSeconds ?? 0) * 1000, i++) phaseStartsMs.push(at);
  const send = (arrival: Arrival) => {
    phases.enter(arrival.phaseIndex);
    const sentMs = runNowMs();
    const phase = profile.phases[arrival.phaseIndex];
    const request = mix.next(
      phase?.mixes ? mixAt(phase, (arrival.atMs - (phaseStartsMs[arrival.phaseIndex] ?? 0)) / 1000, profile.mix) : undefined,
    );
    sentByKind[request.kind] = (sentByKind[request.kind] ?? 0) + 1;
    const exchange = new HttpExchange(request, arrival.atMs, latencyOriginMs(arrival.atMs, sentMs), arrival.phaseIndex, completed);
    results.sent(arrival.phaseIndex, arrival.atMs, sentMs - arrival.atMs);
    inFlight += 1;
    deadlines.add(exchange, arrival.atMs + timeoutMs);
    exchange.start(pool);
  };

  const progressTimer = setInterval(() => {
    const phase = profile.phases[Math.max(0, phases.current)]?.name ?? '';
    options.onProgress?.(progress.take(phase, runNowMs() / 1000, totalSeconds, inFlight));
  }, 1_000);
  try {
    await pumpArrivals(arrivals(profile.phases), runNowMs, send);
    // Idle until the last phase's end, so a trailing gap in the schedule does not shorten the run.
    const remaining = totalSeconds * 1000 - runNowMs();
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
    phases.finish();
    if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
  } finally {
    clearInterval(progressTimer);
    deadlines.stop();
  }
  return results;
}

/** Completions since the last progress line: their count, errors and latencies. */
class ProgressWindow {
  private count = 0;
  private latencies: number[] = [];
  private errorsTotal = 0;

  completed(latencyMs: number, error: boolean): void {
    this.count += 1;
    this.latencies.push(latencyMs);
    if (error) this.errorsTotal += 1;
  }

  /** The figures of the window, which then starts afresh (errors count from the start of the run). */
  take(phase: string, elapsedSeconds: number, totalSeconds: number, inFlight: number): LoadProgress {
    const latencies = this.latencies.sort((a, b) => a - b);
    const progress = {
      phase,
      elapsedSeconds,
      totalSeconds,
      ratePerSecond: this.count,
      p99Ms: latencies.length ? (latencies[Math.ceil(0.99 * latencies.length) - 1] as number) : 0,
      errors: this.errorsTotal,
      inFlight,
    };
    this.count = 0;
    this.latencies = [];
    return progress;
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

/** The ids of the first products the target lists (up to 100), for scripts written for other engines. */
export async function knownProductIds(target: URL): Promise<string[]> {
  const basePath = target.pathname.replace(/\/$/, '');
  const response = await request(`${target.origin}${basePath}/products?limit=100`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
  const body = (await response.body.json().catch(() => undefined)) as { items?: { id?: unknown }[] } | undefined;
  if (response.statusCode !== 200) return [];
  return (body?.items ?? []).flatMap((item) => (typeof item.id === 'string' ? [item.id] : []));
}

/** What each acknowledged write should read as now: 200 for a product created and kept, 404 for one deleted. */
function acknowledgedWrites(mix: RequestMix): { id: string; status: 200 | 404 }[] {
  const kept = mix.acknowledgedCreates.filter((id) => !mix.acknowledgedDeletes.has(id));
  return [...kept.map((id) => ({ id, status: 200 as const })), ...[...mix.acknowledgedDeletes].map((id) => ({ id, status: 404 as const }))];
}

/** Reads back every acknowledged write: `verified` read as it should, `missing` did not. */
async function verifyWrites(pool: Pool, target: URL, writes: readonly { id: string; status: 200 | 404 }[]): Promise<WriteCheck> {
  const basePath = target.pathname.replace(/\/$/, '');
  const missing: string[] = [];
  const queue = [...writes];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let write = queue.pop(); write !== undefined; write = queue.pop()) {
        const { id } = write;
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
        if (status !== write.status) missing.push(id);
      }
    }),
  );
  return { acknowledged: writes.length, verified: writes.length - missing.length, missing };
}
