import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalEvent } from '../src/local/event-log.ts';
import { LocalCloud } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template-reader.ts';
import { awsDynamoDb } from './support/aws-cli.ts';
import { jsonBody } from './support/json-body.ts';
import { pacedRequests, waitFor } from './support/paced-requests.ts';
import { productBody } from './support/product-fixtures.ts';
import { resourceOf, stackVariant, withoutScheduledActions } from './support/stack-variant.ts';

// 600x: a one-minute period lasts 100 ms, the 60 s UpdateTable delay 100 ms, 15 minutes 1.5 s.
const timeScale = 600;
let cloud: LocalCloud;
let api: string;
let base: string;
let dynamoDbUrl: string;
let table: string;
const printed: string[] = [];

beforeAll(async () => {
  // No scheduled sales (the example sale would fire within minutes of virtual time at this scale).
  const variant = stackVariant(inject('stackTemplatePath'), (resources) => {
    withoutScheduledActions(resources);
    resourceOf(resources, 'AWS::Lambda::Function', 'FunctionsGetProducts').Properties.ReservedConcurrentExecutions = 200;
  });
  const model = readStackModel(variant);
  table = model.tables[0]?.tableName as string;
  cloud = new LocalCloud({ model, port: 0, timeScale, coldStartDelayMs: 0, burstStartsFull: false, print: (line) => printed.push(line) });
  const endpoints = await cloud.start();
  api = endpoints.apiUrl;
  base = new URL(api).origin;
  dynamoDbUrl = endpoints.dynamoDbUrl;
});
afterAll(async () => {
  if (process.env.DEBUG_CP) console.log(printed.join('\n'));
  await cloud.stop();
});

async function eventsSince(since: number): Promise<LocalEvent[]> {
  return (await jsonBody(await fetch(`${base}/_local/events?since=${since}`))).events;
}

async function describeTable(): Promise<any> {
  return (await awsDynamoDb(dynamoDbUrl, 'describe-table', '--table-name', table)).Table;
}

describe('control plane end to end (time scale 600)', () => {
  it('closes the loop: throttles -> AlarmHigh -> scale-out -> throttles stop; light traffic -> AlarmLow -> scale-in', async () => {
    const { id } = await jsonBody(
      await fetch(`${api}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(productBody(1)),
      }),
    );
    // 40 strongly consistent reads per second against 5 read units.
    const load = pacedRequests(40, () => fetch(`${api}/products/${id}`).then((r) => r.arrayBuffer()));
    // Capacity above the 40/s load by a margin: target tracking settles near 40 / 0.7 = 58 (steps are capped by what
    // throttled reads could consume, as in AWS).
    const scaledOut = await waitFor('a read scale-out that covers the load', async () => {
      const events = await eventsSince(0);
      return events.find(
        (e) =>
          e.type === 'scaling' &&
          e.activity.scalableDimension === 'dynamodb:table:ReadCapacityUnits' &&
          e.activity.statusCode === 'Successful' &&
          e.activity.toCapacity >= 45,
      );
    });
    const before = await eventsSince(0);
    expect(before.some((e) => e.type === 'throttle' && e.cause === 'dynamodb')).toBe(true);
    const alarmHigh = before.find(
      (e) => e.type === 'alarm' && e.to === 'ALARM' && /^TargetTracking-table\/.*-ProductsTable-AlarmHigh-/.test(e.alarmName),
    );
    expect(alarmHigh).toBeDefined();
    expect(alarmHigh?.seq).toBeLessThan(scaledOut.seq);
    // The new capacity is enforced and reported: describe-table through the AWS CLI.
    const described = await describeTable();
    expect(described.ProvisionedThroughput.ReadCapacityUnits).toBeGreaterThanOrEqual(45);
    // Throttles stop: a stretch of the same load (several virtual minutes) with no DynamoDB throttle event.
    const quietFrom = (await jsonBody(await fetch(`${base}/_local/events`))).lastSeq;
    await waitFor('five virtual minutes of load after scale-out', async () =>
      (await jsonBody(await fetch(`${base}/_local/events?since=${quietFrom}`))).virtualNowMs - scaledOut.virtualAtMs > 5 * 60_000
        ? true
        : undefined,
    );
    const after = await eventsSince(quietFrom);
    expect(after.filter((e) => e.type === 'throttle' && e.cause === 'dynamodb')).toEqual([]);

    // Light traffic: 12 reads per second is below capacity x (70% - 20 points) (>= 22/s at >= 45 units), yet still puts a
    // request in every 100 ms virtual minute (DynamoDB alarms ignore empty periods, B 4.16), so AlarmLow sees 15.
    load.setRate(12);
    const scaledIn = await waitFor('a read scale-in', async () =>
      (await eventsSince(scaledOut.seq)).find(
        (e) =>
          e.type === 'scaling' &&
          e.activity.scalableDimension === 'dynamodb:table:ReadCapacityUnits' &&
          e.activity.toCapacity < e.activity.fromCapacity &&
          e.activity.statusCode === 'Successful',
      ),
    );
    await load.stop();
    const lowAlarm = (await eventsSince(scaledOut.seq)).find((e) => e.type === 'alarm' && /AlarmLow/.test(e.alarmName) && e.to === 'ALARM');
    expect(lowAlarm?.seq).toBeLessThan(scaledIn.seq);
    expect(scaledIn.type === 'scaling' && scaledIn.activity.cause).toMatch(/AlarmLow.*in state ALARM triggered policy/);
    expect((await describeTable()).ProvisionedThroughput.NumberOfDecreasesToday).toBe(1);
    expect(printed.some((line) => line.startsWith('SCALING table/') && line.includes('Successful'))).toBe(true);
    expect(printed.some((line) => /^ALARM .*AlarmHigh.* -> ALARM \(Threshold Crossed: 2 out of the last 2 datapoints/.test(line))).toBe(
      true,
    );
  });

  it('serves metrics with AWS names, dimensions and statistics', async () => {
    const query = `namespace=AWS/DynamoDB&name=ConsumedReadCapacityUnits&dimension=TableName=${table}&period=60&stat=Sum&stat=SampleCount&minutes=120`;
    const body = await jsonBody(await fetch(`${base}/_local/metrics?${query}`));
    expect(body.timeScale).toBe(timeScale);
    expect(body.metrics.map((m: any) => m.statistic)).toEqual(['Sum', 'SampleCount']);
    expect(body.metrics[0].dimensions).toEqual({ TableName: table });
    expect(body.metrics[0].datapoints.length).toBeGreaterThan(5);
    const lambda = await jsonBody(
      await fetch(`${base}/_local/metrics?namespace=AWS/Lambda&name=Duration&dimension=FunctionName=GetProducts&stat=p99`),
    );
    expect(lambda.metrics[0].datapoints[0].value).toBeGreaterThan(0);
    const apiMetrics = await jsonBody(await fetch(`${base}/_local/metrics?namespace=AWS/ApiGateway&name=Count`));
    expect(apiMetrics.metrics.map((m: any) => m.dimensions)).toEqual([
      { ApiName: 'techmoda-products' },
      { ApiName: 'techmoda-products', Stage: 'prod' },
    ]);
    expect((await fetch(`${base}/_local/metrics?stat=p101`)).status).toBe(400);
    expect((await fetch(`${base}/_local/metrics?period=0`)).status).toBe(400);
  });

  it('lists alarm states and accepts phase announcements into the event log', async () => {
    const alarms = await jsonBody(await fetch(`${base}/_local/alarms`));
    expect(alarms.alarms.length).toBe(15 + 10);
    expect(alarms.alarms.some((a: any) => a.alarmName.includes('AlarmsTableReadThrottles'))).toBe(true);
    const posted = await fetch(`${base}/_local/phases`, {
      method: 'POST',
      body: JSON.stringify({ name: 'spike', state: 'start', targetRatePerSecond: 100 }),
    });
    expect(posted.status).toBe(202);
    const { seq } = await jsonBody(posted);
    expect((await eventsSince(seq - 1))[0]).toMatchObject({ type: 'phase', name: 'spike', state: 'start', targetRatePerSecond: 100 });
    expect((await fetch(`${base}/_local/phases`, { method: 'POST', body: '{"name": 3}' })).status).toBe(400);
  });
});
