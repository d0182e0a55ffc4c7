import type { CapacityTimeline, CloudView } from '../load/load-report.ts';
import type { LocalEvent } from '../local/control-plane/event-log.ts';
import type { EventsResponse, MetricsResponse } from '../local/local-endpoints.ts';

/**
 * The local cloud's view of each load phase, read back from its /_local endpoints: throttles by cause, peak
 * concurrency per function, read capacity of the table, alarm transitions and scaling activities.
 */
export async function readCloudView(origin: string, sinceSeq: number): Promise<CloudView & { advice: string[] }> {
  const body = (await (await fetch(`${origin}/_local/events?since=${sinceSeq}`)).json()) as EventsResponse;
  const events = body.events;
  const phases: CloudView['phases'][number][] = [];
  let peakReadPerSecond = 0;
  const isPhase = (e: LocalEvent) => e.type === 'phase';
  const phaseEvents = events.filter(isPhase) as Extract<LocalEvent, { type: 'phase' }>[];
  for (const start of phaseEvents.filter((e) => e.state === 'start')) {
    const end = phaseEvents.find((e) => e.state === 'end' && e.name === start.name && e.seq > start.seq);
    const inside = events.filter((e) => e.seq > start.seq && (!end || e.seq < end.seq));
    const throttles = { gateway: 0, lambda: 0, dynamodb: 0 };
    for (const e of inside) if (e.type === 'throttle') throttles[e.cause] += e.count;
    const from = start.virtualAtMs;
    const to = end?.virtualAtMs ?? from;
    const minutes = Math.max(1, Math.ceil((Date.now() - start.atMs) / 60_000) + 1) * body.timeScale;
    const concurrency = await series(origin, 'AWS/Lambda', 'ConcurrentExecutions', 'Maximum', minutes);
    const peakConcurrency: Record<string, number> = {};
    for (const metric of concurrency) {
      const peak = Math.max(
        0,
        ...metric.datapoints.filter((p) => p.timestampMs >= from - 1_000 && p.timestampMs <= to).map((p) => p.value),
      );
      if (metric.dimensions.FunctionName && Object.keys(metric.dimensions).length === 1 && peak > 0)
        peakConcurrency[metric.dimensions.FunctionName] = peak;
    }
    const capacity: Record<string, string> = {};
    for (const metric of await series(origin, 'AWS/DynamoDB', 'ProvisionedReadCapacityUnits', 'Maximum', minutes)) {
      const values = metric.datapoints.filter((p) => p.timestampMs >= from - 1_000 && p.timestampMs <= to).map((p) => p.value);
      if (values.length === 0) continue;
      const name = metric.dimensions.GlobalSecondaryIndexName ? `GSI ${metric.dimensions.GlobalSecondaryIndexName}` : 'table';
      const [first, last] = [values[0], values[values.length - 1]];
      capacity[name] = first === last ? `${first}` : `${first} -> ${last}`;
    }
    for (const metric of await series(origin, 'AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'Sum', minutes)) {
      if (Object.keys(metric.dimensions).length !== 1) continue;
      for (const p of metric.datapoints)
        if (p.timestampMs >= from && p.timestampMs <= to) peakReadPerSecond = Math.max(peakReadPerSecond, p.value);
    }
    phases.push({
      name: start.name,
      throttles,
      peakConcurrency,
      capacity,
      alarms: inside.flatMap((e) => (e.type === 'alarm' && e.to === 'ALARM' ? [`${e.alarmName}: ${e.from} -> ${e.to}`] : [])),
      scaling: inside.flatMap((e) =>
        e.type === 'scaling' && e.activity.statusCode !== 'InProgress'
          ? [
              `${e.activity.resourceId} ${e.activity.scalableDimension.split(':').pop()}: ${e.activity.fromCapacity} -> ${e.activity.toCapacity} ${e.activity.statusCode}`,
            ]
          : [],
      ),
    });
  }
  const first = phaseEvents.find((e) => e.state === 'start');
  const capacityTimeline = first
    ? await readCapacityTimeline(origin, first.virtualAtMs, body.timeScale, ((Date.now() - first.atMs) / 60_000 + 2) * body.timeScale)
    : [];
  return { timeScale: body.timeScale, phases, capacityTimeline, advice: advise(phases, peakReadPerSecond) };
}

/** Provisioned, consumed and burst read units of each provisioned table and GSI, per second from the load's start. */
async function readCapacityTimeline(origin: string, fromMs: number, timeScale: number, minutes: number): Promise<CapacityTimeline[]> {
  const [provisioned, consumed, burst] = await Promise.all([
    series(origin, 'AWS/DynamoDB', 'ProvisionedReadCapacityUnits', 'Maximum', minutes),
    series(origin, 'AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'Sum', minutes),
    series(origin, 'TechModa/Local', 'BurstReadCapacityUnits', 'Minimum', minutes),
  ]);
  const nameOf = (d: Record<string, string>) => (d.GlobalSecondaryIndexName ? `GSI ${d.GlobalSecondaryIndexName}` : `table ${d.TableName}`);
  const byName = new Map<string, Map<number, { provisioned: number; consumed: number; burst: number }>>();
  const put = (metrics: MetricsResponse['metrics'], field: 'provisioned' | 'consumed' | 'burst') => {
    for (const metric of metrics) {
      // Per table and per GSI only: the table-wide dimension sets, not per-operation ones.
      if (!metric.dimensions.TableName || Object.keys(metric.dimensions).some((k) => k !== 'TableName' && k !== 'GlobalSecondaryIndexName'))
        continue;
      const samples = byName.get(nameOf(metric.dimensions)) ?? new Map();
      byName.set(nameOf(metric.dimensions), samples);
      for (const p of metric.datapoints) {
        if (p.timestampMs < fromMs) continue;
        const second = Math.floor((p.timestampMs - fromMs) / 1000 / timeScale);
        const sample = samples.get(second) ?? { provisioned: 0, consumed: 0, burst: 0 };
        // Consumed adds up the virtual seconds of a real one (time scale above 1); the others are levels.
        sample[field] = field === 'consumed' ? sample[field] + p.value : p.value;
        samples.set(second, sample);
      }
    }
  };
  put(provisioned, 'provisioned');
  put(consumed, 'consumed');
  put(burst, 'burst');
  return [...byName]
    .filter(([, samples]) => [...samples.values()].some((s) => s.provisioned > 0))
    .map(([name, samples]) => ({
      name,
      samples: [...samples].sort(([a], [b]) => a - b).map(([second, s]) => ({ second, ...s })),
    }));
}

async function series(origin: string, namespace: string, name: string, stat: string, minutes: number): Promise<MetricsResponse['metrics']> {
  const response = await fetch(
    `${origin}/_local/metrics?namespace=${namespace}&name=${name}&stat=${stat}&period=1&minutes=${Math.min(1_440, Math.ceil(minutes))}`,
  );
  return ((await response.json()) as MetricsResponse).metrics;
}

/** What throttled, and why, from the cloud's side (the lab's step 5); the planner says what to change. */
function advise(phases: CloudView['phases'], peakReadPerSecond: number): string[] {
  const sum = (cause: 'gateway' | 'lambda' | 'dynamodb') => phases.reduce((n, p) => n + p.throttles[cause], 0);
  const advice: string[] = [];
  if (sum('dynamodb') > 0)
    advice.push(
      `DynamoDB throttled ${sum('dynamodb')} calls (reads peaked at ${Math.round(peakReadPerSecond)} units a second): target tracking reacts in minutes, the spike in seconds, so capacity has to be there before the traffic: a higher floor, a scheduled raise, or on-demand.`,
    );
  if (sum('lambda') > 0)
    advice.push(
      `Lambda throttled ${sum('lambda')} invocations (the client saw 500s): throttled reads keep invocations waiting for the SDK's retries, so concurrency climbs to the reservation; fix DynamoDB first.`,
    );
  if (sum('gateway') > 0)
    advice.push(`API Gateway throttled ${sum('gateway')} requests (429): the stage's rate or burst is below the traffic.`);
  if (advice.length === 0) advice.push('No throttling anywhere: this configuration absorbs this profile.');
  return advice;
}
