import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { z } from 'zod';
import { isStatistic, keyOf, type MetricId } from '../scaling/metric-store.ts';
import type { ControlPlane } from './control-plane/control-plane.ts';
import type { SideRoute } from './gateway/side-route.ts';
import type { HeapUsage } from './lambda/worker-protocol.ts';

/** Largest period count one metrics query may return per series. */
const maxDatapoints = 1_440;

/**
 * The local cloud's own endpoints on the API port (outside the stage path): `GET /_local/metrics`,
 * `GET /_local/events`, `GET /_local/alarms`, `GET /_local/memory`, and `POST /_local/phases` for load generators
 * announcing phases. Documented in the README; bad queries get a 400 naming the parameter.
 */
export function localEndpoints(controlPlane: ControlPlane, functionHeaps: FunctionHeaps): SideRoute {
  return async (request, response, url) => {
    if (!url.pathname.startsWith('/_local/')) return false;
    try {
      const route = `${request.method} ${url.pathname}`;
      if (route === 'GET /_local/metrics') send(response, 200, metrics(controlPlane, url.searchParams));
      else if (route === 'GET /_local/events') send(response, 200, events(controlPlane, url.searchParams));
      else if (route === 'GET /_local/alarms') send(response, 200, alarms(controlPlane));
      else if (route === 'GET /_local/memory') send(response, 200, await memory(functionHeaps, url.searchParams));
      else if (route === 'POST /_local/phases') send(response, 202, await phase(controlPlane, request));
      else send(response, 404, { error: { code: 'NOT_FOUND', message: `No local endpoint ${route}; see the README ("Local endpoints")` } });
    } catch (error) {
      if (error instanceof BadQuery) send(response, 400, { error: { code: 'INVALID_PARAMETER', message: error.message } });
      else throw error;
    }
    return true;
  };
}

class BadQuery extends Error {}

/** Body of `GET /_local/metrics`. */
export type MetricsResponse = ReturnType<typeof metrics>;
/** Body of `GET /_local/events`. */
export type EventsResponse = ReturnType<typeof events>;
/** Body of `GET /_local/memory`. */
export type MemoryResponse = Awaited<ReturnType<typeof memory>>;

/** Each function worker's heap (local/lambda's LambdaRuntime.heapUsage). */
type FunctionHeaps = (options: { gc?: boolean }) => Promise<Record<string, HeapUsage>>;

/**
 * Where the process's memory sits: its RSS, the local cloud's own heap, and each function worker's heap. `gc=1`
 * collects garbage in every isolate first (the process must run with --expose-gc, which workers inherit), so the
 * heaps are what is kept rather than what is not yet collected.
 */
async function memory(functionHeaps: FunctionHeaps, query: URLSearchParams) {
  const gc = query.get('gc') === '1';
  if (gc && typeof globalThis.gc !== 'function') throw new BadQuery('gc=1 needs the local cloud to run with node --expose-gc');
  if (gc) globalThis.gc?.();
  const { used_heap_size, total_heap_size, external_memory } = getHeapStatistics();
  const cloud: HeapUsage = { usedBytes: used_heap_size, totalBytes: total_heap_size, externalBytes: external_memory };
  // Per space (new, old, code, large objects...), what V8 has committed and how much of it is resident: tells a young
  // generation that grew from an old one that kept more.
  const cloudSpaces = Object.fromEntries(
    getHeapSpaceStatistics().map((space) => [
      space.space_name,
      { usedBytes: space.space_used_size, committedBytes: space.space_size, residentBytes: space.physical_space_size },
    ]),
  );
  return { rssBytes: process.memoryUsage.rss(), cloudHeap: cloud, cloudSpaces, functionHeaps: await functionHeaps({ gc }) };
}

function metrics(controlPlane: ControlPlane, query: URLSearchParams) {
  const period = Number(query.get('period') ?? 60);
  if (!Number.isInteger(period) || period < 1 || period > 86_400)
    throw new BadQuery('period must be a whole number of seconds from 1 to 86400');
  const statistics = query.getAll('stat').length > 0 ? query.getAll('stat') : ['Sum'];
  for (const statistic of statistics)
    if (!isStatistic(statistic)) throw new BadQuery(`stat ${statistic} is not Sum, Average, Minimum, Maximum, SampleCount or pNN`);
  const minutes = Number(query.get('minutes') ?? 60);
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new BadQuery('minutes must be from 1 to 1440');
  const wanted = query.getAll('dimension').map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new BadQuery(`dimension takes Name=Value, got "${pair}"`);
    return [pair.slice(0, at), pair.slice(at + 1)] as const;
  });
  const namespace = query.get('namespace');
  const names = query.getAll('name');
  const now = controlPlane.virtualNow();
  const from = Math.max(now - minutes * 60_000, now - maxDatapoints * period * 1000);
  const selected = controlPlane.metrics
    .list()
    .filter((id) => (!namespace || id.namespace === namespace) && (names.length === 0 || names.includes(id.metricName)))
    .filter((id) => wanted.every(([name, value]) => id.dimensions[name] === value))
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  return {
    timeScale: controlPlane.timeScale,
    virtualNowMs: now,
    periodSeconds: period,
    statistics,
    metrics: selected.flatMap((id: MetricId) =>
      statistics.map((statistic) => ({
        ...id,
        statistic,
        datapoints: controlPlane.metrics
          .query(id, statistic as never, period, from, now + period * 1000)
          .map((p) => ({ timestamp: new Date(p.timestampMs).toISOString(), timestampMs: p.timestampMs, value: p.value })),
      })),
    ),
  };
}

function events(controlPlane: ControlPlane, query: URLSearchParams) {
  const since = Number(query.get('since') ?? 0);
  if (!Number.isInteger(since) || since < 0) throw new BadQuery('since must be a whole number (the seq of the last event you saw)');
  const list = controlPlane.events.since(since);
  return { timeScale: controlPlane.timeScale, virtualNowMs: controlPlane.virtualNow(), lastSeq: controlPlane.events.lastSeq, events: list };
}

function alarms(controlPlane: ControlPlane) {
  const all = [...controlPlane.alarms, ...controlPlane.autoScaling.alarms];
  return {
    timeScale: controlPlane.timeScale,
    alarms: all.map((alarm) => ({
      alarmName: alarm.definition.alarmName,
      state: alarm.state,
      threshold: alarm.threshold,
      metric: alarm.definition.metric,
      statistic: alarm.definition.statistic,
      comparison: alarm.definition.comparison,
    })),
    scalingActivities: controlPlane.autoScaling.activities,
  };
}

const phaseAnnouncement = z.object({
  name: z
    .string({ error: 'name must be a string of 1 to 100 characters' })
    .min(1, 'name must be a string of 1 to 100 characters')
    .max(100, 'name must be a string of 1 to 100 characters'),
  state: z.enum(['start', 'end'], { error: 'state must be "start" or "end"' }),
  targetRatePerSecond: z
    .number({ error: 'targetRatePerSecond must be a number >= 0' })
    .min(0, 'targetRatePerSecond must be a number >= 0')
    .optional(),
});

async function phase(controlPlane: ControlPlane, request: IncomingMessage) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 4_096) throw new BadQuery('phase announcements are small JSON objects');
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadQuery('body must be JSON: {"name": "...", "state": "start" | "end", "targetRatePerSecond"?: number}');
  }
  const parsed = phaseAnnouncement.safeParse(json);
  if (!parsed.success) throw new BadQuery(parsed.error.issues[0]?.message ?? 'not a phase announcement');
  const body = parsed.data;
  const event = controlPlane.events.append(
    { type: 'phase', name: body.name, state: body.state, targetRatePerSecond: body.targetRatePerSecond },
    controlPlane.realNow(),
    controlPlane.virtualNow(),
  );
  return { seq: event.seq };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
