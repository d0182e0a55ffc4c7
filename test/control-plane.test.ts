import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../src/common/clock.ts';
import type { LocalEvent } from '../src/local/control-plane/event-log.ts';
import { LocalCloud } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { awsDynamoDb } from './support/aws-cli.ts';
import { backOfficeToken } from './support/back-office-token.ts';
import { jsonBody } from './support/json-body.ts';
import { productBody } from './support/product-fixtures.ts';
import { resourceOf, stackVariant, withoutScheduledActions } from './support/stack-variant.ts';

// Time scale 60 on a clock the test moves: one virtual minute (a CloudWatch period) is one second of the cloud's
// clock, and the test sends each tenth of a second's requests before moving the clock on. Nothing depends on how
// fast this machine is: every request of a period lands in it, however long it takes to send.
const timeScale = 60;
const stepMs = 100;
const clouds: LocalCloud[] = [];

afterEach(async () => {
  await Promise.all(clouds.splice(0).map((cloud) => cloud.stop()));
});

async function startCloud() {
  // No scheduled sales (the example sale would fire within minutes of virtual time at this scale).
  const variant = stackVariant(inject('stackTemplatePath'), (resources) => {
    withoutScheduledActions(resources);
    resourceOf(resources, 'AWS::Lambda::Function', 'FunctionsGetProducts').Properties.ReservedConcurrentExecutions = 200;
  });
  const model = readStackModel(variant);
  const clock = new ManualClock(Date.parse('2026-06-01T00:00:00Z'));
  const printed: string[] = [];
  const cloud = new LocalCloud({
    model,
    port: 0,
    timeScale,
    clock,
    coldStartDelayMs: 0,
    burstStartsFull: false,
    print: (line) => printed.push(line),
  });
  clouds.push(cloud);
  const endpoints = await cloud.start();
  const table = model.tables[0]?.tableName as string;
  // The SDK without retries: a throttled read is answered at once (a retry would wait in real time, not the clock's).
  const dynamoDb = new DynamoDBClient({ endpoint: endpoints.dynamoDbUrl, maxAttempts: 1 });
  return { cloud, model, clock, printed, table, dynamoDb, ...endpoints, base: new URL(endpoints.apiUrl).origin };
}

type Cloud = Awaited<ReturnType<typeof startCloud>>;

/** Strongly consistent reads of one item at `ratePerSecond` of the cloud's clock, until `until` finds an event. */
async function readUntil<T>(
  c: Cloud,
  ratePerSecond: number,
  what: string,
  until: (events: LocalEvent[]) => T | undefined,
  maxVirtualMinutes = 60,
): Promise<T> {
  for (let step = 0; step < (maxVirtualMinutes * 60_000) / timeScale / stepMs; step++) {
    const reads = Array.from({ length: (ratePerSecond * stepMs) / 1000 }, () =>
      c.dynamoDb.send(new GetItemCommand({ TableName: c.table, Key: { id: { S: 'hot' } }, ConsistentRead: true })).catch(() => undefined),
    );
    await Promise.all(reads);
    c.clock.advance(stepMs);
    c.cloud.controlPlane.tick();
    const found = until(c.cloud.controlPlane.events.since(0));
    if (found !== undefined) return found;
  }
  throw new Error(`no ${what} within ${maxVirtualMinutes} virtual minutes`);
}

const isReadScaling = (e: LocalEvent): e is Extract<LocalEvent, { type: 'scaling' }> =>
  e.type === 'scaling' && e.activity.scalableDimension === 'dynamodb:table:ReadCapacityUnits' && e.activity.statusCode === 'Successful';

describe('control plane end to end (time scale 60, a clock the test moves)', () => {
  it('closes the loop: throttles -> AlarmHigh -> scale-out -> throttles stop; light traffic -> AlarmLow -> scale-in', async () => {
    const c = await startCloud();
    await c.dynamoDb.send(new PutItemCommand({ TableName: c.table, Item: { id: { S: 'hot' }, name: { S: 'linen dress' } } }));
    // 40 strongly consistent reads per second against 5 read units. Target tracking settles near 40 / 0.7 = 58 (steps
    // are capped by what throttled reads could consume, as in AWS).
    const scaledOut = await readUntil(c, 40, 'read scale-out that covers the load', (events) =>
      events.filter(isReadScaling).find((e) => e.activity.toCapacity >= 45),
    );
    const before = c.cloud.controlPlane.events.since(0);
    expect(before.some((e) => e.type === 'throttle' && e.cause === 'dynamodb')).toBe(true);
    const alarmHigh = before.find(
      (e) => e.type === 'alarm' && e.to === 'ALARM' && /^TargetTracking-table\/.*-ProductsTable-AlarmHigh-/.test(e.alarmName),
    );
    expect(alarmHigh?.seq).toBeLessThan(scaledOut.seq);
    // The new capacity is enforced and reported: describe-table through the AWS CLI.
    const described = (await awsDynamoDb(c.dynamoDbUrl, 'describe-table', '--table-name', c.table)).Table;
    expect(described.ProvisionedThroughput.ReadCapacityUnits).toBeGreaterThanOrEqual(45);

    // Throttles stop: five virtual minutes of the same load with no DynamoDB throttle event.
    const quietFrom = c.cloud.controlPlane.events.lastSeq;
    const quietUntil = c.cloud.controlPlane.virtualNow() + 5 * 60_000;
    await readUntil(c, 40, 'five quiet minutes', () => (c.cloud.controlPlane.virtualNow() >= quietUntil ? true : undefined));
    expect(c.cloud.controlPlane.events.since(quietFrom).filter((e) => e.type === 'throttle' && e.cause === 'dynamodb')).toEqual([]);

    // Light traffic: 10 reads per second is below capacity x (70% - 20 points) (>= 22/s at >= 45 units), and every
    // virtual minute has data (DynamoDB alarms ignore empty periods, B 4.16), so AlarmLow sees 15 low datapoints.
    const scaledIn = await readUntil(c, 10, 'read scale-in', (events) =>
      events.filter(isReadScaling).find((e) => e.seq > scaledOut.seq && e.activity.toCapacity < e.activity.fromCapacity),
    );
    const lowAlarm = c.cloud.controlPlane.events
      .since(scaledOut.seq)
      .find((e) => e.type === 'alarm' && /AlarmLow/.test(e.alarmName) && e.to === 'ALARM');
    expect(lowAlarm?.seq).toBeLessThan(scaledIn.seq);
    expect(scaledIn.activity.cause).toMatch(/AlarmLow.*in state ALARM triggered policy/);
    expect(
      (await awsDynamoDb(c.dynamoDbUrl, 'describe-table', '--table-name', c.table)).Table.ProvisionedThroughput.NumberOfDecreasesToday,
    ).toBe(1);
    expect(c.printed.some((line) => line.startsWith('SCALING table/') && line.includes('Successful'))).toBe(true);
    expect(c.printed.some((line) => /^ALARM .*AlarmHigh.* -> ALARM \(Threshold Crossed: 2 out of the last 2 datapoints/.test(line))).toBe(
      true,
    );
  });

  it('serves metrics with AWS names, dimensions and statistics', async () => {
    const c = await startCloud();
    const { id } = await jsonBody(
      await fetch(`${c.apiUrl}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await backOfficeToken(c.apiUrl) },
        body: JSON.stringify(productBody(1)),
      }),
    );
    // One read through the API in each of six virtual minutes.
    for (let minute = 0; minute < 6; minute++) {
      expect((await fetch(`${c.apiUrl}/products/${id}`)).status).toBe(200);
      c.clock.advance(60_000 / timeScale);
    }
    const query = `namespace=AWS/DynamoDB&name=ConsumedReadCapacityUnits&dimension=TableName=${c.table}&period=60&stat=Sum&stat=SampleCount&minutes=120`;
    const body = await jsonBody(await fetch(`${c.base}/_local/metrics?${query}`));
    expect(body.timeScale).toBe(timeScale);
    expect(body.metrics.map((m: { statistic: string }) => m.statistic)).toEqual(['Sum', 'SampleCount']);
    expect(body.metrics[0].dimensions).toEqual({ TableName: c.table });
    expect(body.metrics[1].datapoints.map((p: { value: number }) => p.value)).toEqual([
      timeScale,
      timeScale,
      timeScale,
      timeScale,
      timeScale,
      timeScale,
    ]);
    const lambda = await jsonBody(
      await fetch(`${c.base}/_local/metrics?namespace=AWS/Lambda&name=Duration&dimension=FunctionName=GetProducts&stat=p99`),
    );
    expect(lambda.metrics[0].datapoints).toHaveLength(6);
    const apiMetrics = await jsonBody(await fetch(`${c.base}/_local/metrics?namespace=AWS/ApiGateway&name=Count`));
    expect(apiMetrics.metrics.map((m: { dimensions: unknown }) => m.dimensions)).toEqual([
      { ApiName: 'techmoda-products' },
      { ApiName: 'techmoda-products', Stage: 'prod' },
    ]);
    expect((await fetch(`${c.base}/_local/metrics?stat=p101`)).status).toBe(400);
    expect((await fetch(`${c.base}/_local/metrics?period=0`)).status).toBe(400);
  });

  it('lists alarm states and accepts phase announcements into the event log', async () => {
    const c = await startCloud();
    const alarms = await jsonBody(await fetch(`${c.base}/_local/alarms`));
    expect(alarms.alarms.length).toBe(15 + 10);
    expect(alarms.alarms.some((a: { alarmName: string }) => a.alarmName.includes('AlarmsTableReadThrottles'))).toBe(true);
    const posted = await fetch(`${c.base}/_local/phases`, {
      method: 'POST',
      body: JSON.stringify({ name: 'spike', state: 'start', targetRatePerSecond: 100 }),
    });
    expect(posted.status).toBe(202);
    const { seq } = await jsonBody(posted);
    expect(c.cloud.controlPlane.events.since(seq - 1)[0]).toMatchObject({
      type: 'phase',
      name: 'spike',
      state: 'start',
      targetRatePerSecond: 100,
    });
    expect((await fetch(`${c.base}/_local/phases`, { method: 'POST', body: '{"name": 3}' })).status).toBe(400);
  });

  it('reports where memory sits: the RSS, its own heap and the heap of every function worker', async () => {
    const c = await startCloud();
    const memory = await jsonBody(await fetch(`${c.base}/_local/memory`));
    const functionNames = c.model.functions.map((fn) => fn.name);
    expect(Object.keys(memory.functionHeaps).sort()).toEqual([...functionNames].sort());
    for (const heap of [memory.cloudHeap, ...Object.values(memory.functionHeaps)] as { usedBytes: number; totalBytes: number }[]) {
      expect(heap.usedBytes).toBeGreaterThan(0);
      expect(heap.totalBytes).toBeGreaterThanOrEqual(heap.usedBytes);
    }
    const heaps = [memory.cloudHeap, ...Object.values(memory.functionHeaps)] as { totalBytes: number }[];
    expect(memory.rssBytes).toBeGreaterThan(heaps.reduce((sum, heap) => sum + heap.totalBytes, 0) / 2);
    // Its own heap per space: what each holds, and how much of it is resident.
    const spaces = memory.cloudSpaces as Record<string, { usedBytes: number; committedBytes: number; residentBytes: number }>;
    expect(Object.keys(spaces)).toEqual(expect.arrayContaining(['new_space', 'old_space', 'code_space']));
    expect(spaces.old_space?.usedBytes).toBeGreaterThan(0);
    expect(spaces.old_space?.residentBytes).toBeGreaterThanOrEqual(spaces.old_space?.usedBytes ?? Number.POSITIVE_INFINITY);
    // gc=1 collects first, which needs --expose-gc (bench/create-memory.ts runs with it; the tests do not).
    const collected = await fetch(`${c.base}/_local/memory?gc=1`);
    expect(collected.status).toBe(400);
    expect((await jsonBody(collected)).error.message).toBe('gc=1 needs the local cloud to run with node --expose-gc');
  });
});
