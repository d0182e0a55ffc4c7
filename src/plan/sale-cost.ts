import { initialOnDemandPeak } from '../scaling/on-demand-capacity.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import { cognitoLines } from './cognito-cost.ts';
import type { CostLine } from './cost-line.ts';
import type { Prediction } from './prediction.ts';
import type { PriceTable } from './prices.ts';
import { type RequestDemand, steadyDemand } from './request-demand.ts';
import type { PlanTimings } from './sale-simulation.ts';
import { steadyCapacity } from './steady-capacity.ts';
import { mixShares, type TrafficProfile } from './traffic-profile.ts';

export type { CostLine } from './cost-line.ts';

/** What a configuration costs: the event (the profile itself) and a 30-day month around it. */
export interface SaleCost {
  readonly perEventUsd: number;
  readonly perMonthUsd: number;
  /** The event's lines. */
  readonly lines: CostLine[];
  /** The month's lines: the event plus the rest of the month at the baseline rate. */
  readonly monthLines: CostLine[];
}

/** Options of {@link costOfSale}. */
export interface SaleCostOptions {
  readonly model: StackModel;
  readonly profile: TrafficProfile;
  readonly demand: readonly RequestDemand[];
  readonly prediction: Prediction;
  readonly prices: PriceTable;
  readonly timings: PlanTimings;
  /** Requests per second for the rest of the month. */
  readonly baselineRatePerSecond: number;
  /** Seconds the simulation ran (the profile and its drain). */
  readonly simulatedSeconds: number;
}

const hoursPerMonth = 720;
/** Provisioned concurrency is billed in 5-minute blocks (docs/planner.md, prices). */
const provisionedBlockSeconds = 300;

/**
 * Bills a simulated event as AWS bills it, then adds the rest of a 30-day month at the baseline rate. DynamoDB
 * provisioned capacity is billed per clock hour at the highest capacity of that hour; on-demand per request unit
 * consumed. Lambda per request, per GB-second of duration (retry waits included: the function is running), and
 * provisioned concurrency per GB-second allocated (5-minute blocks) plus its lower duration rate. API Gateway per
 * request it answered other than with 429. CloudWatch per alarm-month, prorated by the hour, target tracking's
 * alarms included.
 */
export function costOfSale(options: SaleCostOptions): SaleCost {
  const lines = eventLines(options);
  const rest = restOfMonthLines(options, hoursPerMonth - Math.ceil(options.simulatedSeconds / 3600));
  const monthLines = combine([...lines, ...rest]);
  const sum = (list: CostLine[]) => list.reduce((total, line) => total + line.usd, 0);
  return { perEventUsd: sum(lines), perMonthUsd: sum(monthLines), lines, monthLines };
}

function eventLines(options: SaleCostOptions): CostLine[] {
  const { model, prediction, prices, simulatedSeconds } = options;
  const { usage } = prediction;
  const lines: CostLine[] = [];
  for (const table of model.tables) {
    if (table.billingMode === 'PROVISIONED') {
      let read = 0;
      let write = 0;
      for (const [name, hours] of Object.entries(usage.hourlyPeaks)) {
        if (name !== table.tableName && !name.startsWith(`${table.tableName}/`)) continue;
        for (const hour of hours) {
          read += (hour?.read ?? 0) * prices.dynamodb.readCapacityUnitHour;
          write += (hour?.write ?? 0) * prices.dynamodb.writeCapacityUnitHour;
        }
      }
      lines.push({ service: 'DynamoDB', item: 'provisioned read capacity (RCU-hours, table and GSIs)', usd: read });
      lines.push({ service: 'DynamoDB', item: 'provisioned write capacity (WCU-hours, table and GSIs)', usd: write });
    } else {
      let read = 0;
      let write = 0;
      for (const [name, consumed] of Object.entries(usage.consumed)) {
        if (name !== table.tableName && !name.startsWith(`${table.tableName}/`)) continue;
        read += consumed.read;
        write += consumed.write;
      }
      lines.push({
        service: 'DynamoDB',
        item: 'on-demand read request units',
        usd: (read * prices.dynamodb.readRequestUnitsPerMillion) / 1e6,
      });
      lines.push({
        service: 'DynamoDB',
        item: 'on-demand write request units',
        usd: (write * prices.dynamodb.writeRequestUnitsPerMillion) / 1e6,
      });
    }
  }
  lines.push(...warmThroughputLines(model, prices));
  let requests = 0;
  let duration = 0;
  let provisionedAllocation = 0;
  let provisionedDuration = 0;
  const blocks = (Math.ceil(simulatedSeconds / provisionedBlockSeconds) * provisionedBlockSeconds) / simulatedSeconds;
  for (const fn of model.functions) {
    const used = usage.functions[fn.name];
    if (!used) continue;
    const gb = fn.memoryMb / 1024;
    requests += used.invocations;
    duration += (used.busySeconds - used.provisionedBusySeconds) * gb * prices.lambda.gbSecond[fn.architecture];
    provisionedDuration += used.provisionedBusySeconds * gb * prices.lambda.provisionedDurationGbSecond[fn.architecture];
    provisionedAllocation += (usage.provisionedSeconds[fn.name] ?? 0) * blocks * gb * prices.lambda.provisionedGbSecond[fn.architecture];
  }
  lines.push(...lambdaLines(requests, duration, provisionedAllocation, provisionedDuration, prices));
  lines.push({
    service: 'API Gateway',
    item: 'REST API requests',
    usd: (usage.gatewayRequests * prices.apiGateway.restRequestsPerMillion) / 1e6,
  });
  lines.push(alarmLine(usage.alarms, Math.ceil(simulatedSeconds / 3600), prices));
  lines.push(...cognitoLines(model, simulatedSeconds, prices));
  return lines;
}

/** The rest of the month at the baseline rate, in the steady state the configuration settles in. */
function restOfMonthLines(options: SaleCostOptions, hours: number): CostLine[] {
  const { model, profile, demand, prices, timings, baselineRatePerSecond: rate } = options;
  const seconds = hours * 3600;
  const lines: CostLine[] = [];
  const steady = steadyDemand(mixShares(profile), demand, rate);
  const unitsPerSecond = steady.units;
  const invocationsPerSecond = new Map<string, number>();
  for (const { demand: what, perSecond } of steady.kinds) {
    const route = model.api?.routes.find((r) => r.method === what.method && r.resourcePath === what.resourcePath);
    if (route) invocationsPerSecond.set(route.functionName, (invocationsPerSecond.get(route.functionName) ?? 0) + perSecond);
  }
  for (const table of model.tables) {
    const names = [table.tableName, ...table.indexes.map((i) => `${table.tableName}/${i.indexName}`)];
    let read = 0;
    let write = 0;
    for (const name of names) {
      const units = unitsPerSecond.get(name) ?? { read: 0, write: 0 };
      if (table.billingMode === 'PROVISIONED') {
        read += steadyCapacity(model, name, 'Read', units.read) * prices.dynamodb.readCapacityUnitHour * hours;
        write += steadyCapacity(model, name, 'Write', units.write) * prices.dynamodb.writeCapacityUnitHour * hours;
      } else {
        read += (units.read * seconds * prices.dynamodb.readRequestUnitsPerMillion) / 1e6;
        write += (units.write * seconds * prices.dynamodb.writeRequestUnitsPerMillion) / 1e6;
      }
    }
    const mode = table.billingMode === 'PROVISIONED';
    lines.push({
      service: 'DynamoDB',
      item: mode ? 'provisioned read capacity (RCU-hours, table and GSIs)' : 'on-demand read request units',
      usd: read,
    });
    lines.push({
      service: 'DynamoDB',
      item: mode ? 'provisioned write capacity (WCU-hours, table and GSIs)' : 'on-demand write request units',
      usd: write,
    });
  }
  let requests = 0;
  let duration = 0;
  let provisionedAllocation = 0;
  let provisionedDuration = 0;
  for (const fn of model.functions) {
    const gb = fn.memoryMb / 1024;
    const perSecond = invocationsPerSecond.get(fn.name) ?? 0;
    const busy = (perSecond * timings.invocationMs) / 1000;
    const provisioned = Object.values(fn.provisioned).reduce((a, b) => a + b, 0);
    const onProvisioned = Math.min(busy, provisioned);
    requests += perSecond * seconds;
    duration += (busy - onProvisioned) * seconds * gb * prices.lambda.gbSecond[fn.architecture];
    provisionedDuration += onProvisioned * seconds * gb * prices.lambda.provisionedDurationGbSecond[fn.architecture];
    provisionedAllocation += provisioned * seconds * gb * prices.lambda.provisionedGbSecond[fn.architecture];
  }
  lines.push(...lambdaLines(requests, duration, provisionedAllocation, provisionedDuration, prices));
  lines.push({ service: 'API Gateway', item: 'REST API requests', usd: (rate * seconds * prices.apiGateway.restRequestsPerMillion) / 1e6 });
  lines.push(alarmLine(options.prediction.usage.alarms, hours, prices));
  lines.push(...cognitoLines(model, seconds, prices));
  return lines;
}

/**
 * Pre-warming, once per event: the warm throughput raised above a new on-demand table's (B 3.3, 3.8) on the table
 * and each GSI, at `warmThroughputUnit` when the price is known.
 */
function warmThroughputLines(model: StackModel, prices: PriceTable): CostLine[] {
  let raised = 0;
  for (const table of model.tables)
    for (const warm of [table.warmThroughput, ...table.indexes.map((i) => i.warmThroughput)]) {
      raised += Math.max(0, (warm?.readUnitsPerSecond ?? 0) - 2 * initialOnDemandPeak.read);
      raised += Math.max(0, (warm?.writeUnitsPerSecond ?? 0) - 2 * initialOnDemandPeak.write);
    }
  if (raised === 0) return [];
  const price = prices.dynamodb.warmThroughputUnit;
  return [
    {
      service: 'DynamoDB',
      item: `warm throughput raised by ${raised} units/s (pre-warm, once${price === undefined ? '; price not published in our sources: $0 until --prices gives dynamodb.warmThroughputUnit' : ''})`,
      usd: raised * (price ?? 0),
    },
  ];
}

function lambdaLines(requests: number, duration: number, allocation: number, provisionedDuration: number, prices: PriceTable): CostLine[] {
  return [
    { service: 'Lambda', item: 'requests', usd: (requests * prices.lambda.requestsPerMillion) / 1e6 },
    { service: 'Lambda', item: 'duration (GB-seconds, retry waits included)', usd: duration },
    { service: 'Lambda', item: 'provisioned concurrency (allocated GB-seconds)', usd: allocation },
    { service: 'Lambda', item: 'duration on provisioned concurrency', usd: provisionedDuration },
  ];
}

function alarmLine(alarms: number, hours: number, prices: PriceTable): CostLine {
  return {
    service: 'CloudWatch',
    item: `alarms (${alarms}, target tracking's included)`,
    usd: (alarms * prices.cloudWatch.alarmMonth * hours) / hoursPerMonth,
  };
}

/** Lines of the same service and item added up, in first-seen order. */
function combine(lines: CostLine[]): CostLine[] {
  const combined = new Map<string, CostLine>();
  for (const line of lines) {
    const key = `${line.service}|${line.item}`;
    const existing = combined.get(key);
    combined.set(key, existing ? { ...existing, usd: existing.usd + line.usd } : line);
  }
  return [...combined.values()];
}
