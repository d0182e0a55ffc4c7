import { DynamoDBClient, ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../src/common/clock.ts';
import { LocalCloud, type LocalCloudOptions, type LocalEndpoints } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { awsDynamoDb as aws } from './support/aws-cli.ts';
import { resourceOf, stackVariant } from './support/stack-variant.ts';

const templatePath = inject('stackTemplatePath');
const clouds: LocalCloud[] = [];
const clients: DynamoDBClient[] = [];

async function start(template: string, options: Partial<LocalCloudOptions> = {}): Promise<LocalEndpoints & { table: string }> {
  const model = readStackModel(template);
  const cloud = new LocalCloud({ model, port: 0, coldStartDelayMs: 0, ...options });
  clouds.push(cloud);
  return { ...(await cloud.start()), table: model.tables[0]?.tableName as string };
}

/** An SDK client on the local endpoint that does not retry, so each throttle is seen. */
function client(endpoint: string): DynamoDBDocumentClient {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  clients.push(raw);
  return DynamoDBDocumentClient.from(raw);
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(clouds.splice(0).map((cloud) => cloud.stop()));
});

const item = (id: string, padBytes = 0) => ({ id, category: 'shoes', createdAt: '2026-11-29T10:00:00.000Z', name: 'x'.repeat(padBytes) });

describe('local DynamoDB endpoint', () => {
  it('works with the AWS CLI: describe-table, update-table with its apply delay, scan, get-item', async () => {
    // Time scale 600: the 60 s UpdateTable apply delay becomes 100 ms.
    const { dynamoDbUrl, table } = await start(templatePath, { timeScale: 600 });
    await client(dynamoDbUrl).send(new PutCommand({ TableName: table, Item: item('p1') }));
    const described = await aws(dynamoDbUrl, 'describe-table', '--table-name', table);
    expect(described.Table).toMatchObject({
      TableStatus: 'ACTIVE',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5, NumberOfDecreasesToday: 0 },
    });
    expect(described.Table.GlobalSecondaryIndexes[0]).toMatchObject({
      IndexName: 'byCategory',
      ProvisionedThroughput: { ReadCapacityUnits: 5 },
    });

    const updated = await aws(
      dynamoDbUrl,
      'update-table',
      '--table-name',
      table,
      '--provisioned-throughput',
      'ReadCapacityUnits=20,WriteCapacityUnits=10',
    );
    expect(updated.TableDescription).toMatchObject({ TableStatus: 'UPDATING', ProvisionedThroughput: { ReadCapacityUnits: 5 } });
    let current = (await aws(dynamoDbUrl, 'describe-table', '--table-name', table)).Table;
    while (current.TableStatus === 'UPDATING') current = (await aws(dynamoDbUrl, 'describe-table', '--table-name', table)).Table;
    expect(current.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 20, WriteCapacityUnits: 10 });
    expect(typeof current.ProvisionedThroughput.LastIncreaseDateTime).toBe('string');

    const scanned = await aws(dynamoDbUrl, 'scan', '--table-name', table);
    expect(scanned.Items.map((i: any) => i.id.S)).toEqual(['p1']);
    const got = await aws(dynamoDbUrl, 'get-item', '--table-name', table, '--key', '{"id":{"S":"p1"}}');
    expect(got.Item.category.S).toBe('shoes');
  });

  it('refuses an UpdateTable while one is pending, as DynamoDB does', async () => {
    const { dynamoDbUrl, table } = await start(templatePath);
    await aws(dynamoDbUrl, 'update-table', '--table-name', table, '--provisioned-throughput', 'ReadCapacityUnits=6,WriteCapacityUnits=5');
    await expect(
      aws(dynamoDbUrl, 'update-table', '--table-name', table, '--provisioned-throughput', 'ReadCapacityUnits=7,WriteCapacityUnits=5'),
    ).rejects.toThrow(/ResourceInUseException.*Attempt to change a resource which is still in use: Table is being updated: /);
    // A GSI's update queues behind the table's too (one UpdateTable at a time per table, B 4.13a).
    const gsi = 'IndexName=byCategory,ProvisionedThroughput={ReadCapacityUnits=6,WriteCapacityUnits=6}';
    await expect(
      aws(dynamoDbUrl, 'update-table', '--table-name', table, '--global-secondary-index-updates', `Update={${gsi}}`),
    ).rejects.toThrow(new RegExp(`Table is being updated: ${table}`));
  });

  it('prices reads and writes from item sizes (ReturnConsumedCapacity)', async () => {
    const { dynamoDbUrl, table } = await start(templatePath);
    const db = client(dynamoDbUrl);
    // ~1.5 KB item: 2 write units on the table and 2 on the GSI that it enters.
    const put = await db.send(new PutCommand({ TableName: table, Item: item('big', 1_500), ReturnConsumedCapacity: 'TOTAL' }));
    expect(put.ConsumedCapacity?.CapacityUnits).toBe(4);
    const eventual = await db.send(new GetCommand({ TableName: table, Key: { id: 'big' }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(eventual.ConsumedCapacity?.CapacityUnits).toBe(0.5);
    const strong = await db.send(
      new GetCommand({ TableName: table, Key: { id: 'big' }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(strong.ConsumedCapacity?.CapacityUnits).toBe(1);
    const missing = await db.send(
      new GetCommand({ TableName: table, Key: { id: 'none' }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(missing.ConsumedCapacity?.CapacityUnits).toBe(1);
  });

  it('charges a failed conditional write (B 1.14) and the items a filter dropped (B 1.9)', async () => {
    const { dynamoDbUrl, table } = await start(templatePath);
    const db = client(dynamoDbUrl);
    for (const id of ['a', 'b', 'c', 'd']) await db.send(new PutCommand({ TableName: table, Item: item(id, 1_500) }));
    const consumedWrites = () =>
      clouds[0]?.controlPlane.metrics.aggregateWindow(
        { namespace: 'AWS/DynamoDB', metricName: 'ConsumedWriteCapacityUnits', dimensions: { TableName: table } },
        'Sum',
        0,
        Date.now() + 1_000,
      );
    const before = consumedWrites() as number;
    await expect(
      db.send(new PutCommand({ TableName: table, Item: item('a', 1_500), ConditionExpression: 'attribute_not_exists(id)' })),
    ).rejects.toThrow(/conditional request failed/i);
    expect((consumedWrites() as number) - before).toBe(2); // the ~1.5 KB item's 2 units, though nothing was written
    // Four ~1.5 KB items read (6 KB, 2 units strong, 1 eventual) though the filter returns one.
    const scanned = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'id = :a',
        ExpressionAttributeValues: { ':a': 'a' },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(scanned.Items).toHaveLength(1);
    expect(scanned.ScannedCount).toBe(4);
    expect(scanned.ConsumedCapacity?.CapacityUnits).toBe(1);
  });

  it('throttles table writes when the GSI runs out of write capacity (back-pressure), with the GSI message', async () => {
    const variant = stackVariant(templatePath, (resources) => {
      const gsi = resourceOf(resources, 'AWS::DynamoDB::Table').Properties.GlobalSecondaryIndexes[0];
      gsi.ProvisionedThroughput.WriteCapacityUnits = 1;
    });
    // A clock that does not move: the six writes share one second, whatever the machine's speed (CI under load once
    // spread them over enough seconds for the GSI's one unit to refill).
    const clock = new ManualClock(Date.parse('2026-06-01T00:00:00.500Z'));
    const { dynamoDbUrl, table } = await start(variant, { burstStartsFull: false, clock });
    const db = client(dynamoDbUrl);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => db.send(new PutCommand({ TableName: table, Item: item(`w${i}`) }))),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused[0]).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(refused[0].message).toContain('global secondary indexes');
    expect(refused[0].$metadata.httpStatusCode).toBe(400);
    // Items outside the index (no category) do not touch the GSI and are not held back by it.
    await expect(db.send(new PutCommand({ TableName: table, Item: { id: 'plain' } }))).resolves.toBeDefined();
  });

  it('answers on-demand reads above maximum throughput with ThrottlingException, and reports PAY_PER_REQUEST', async () => {
    const variant = stackVariant(templatePath, (resources) => {
      const properties = resourceOf(resources, 'AWS::DynamoDB::Table').Properties;
      properties.BillingMode = 'PAY_PER_REQUEST';
      delete properties.ProvisionedThroughput;
      properties.OnDemandThroughput = { MaxReadRequestUnits: 2 };
      for (const gsi of properties.GlobalSecondaryIndexes) delete gsi.ProvisionedThroughput;
    });
    // A clock that does not move: the eight reads share one second, whatever the machine's speed (2 units of 8).
    const { dynamoDbUrl, table } = await start(variant, { clock: new ManualClock(Date.parse('2026-06-01T00:00:00.500Z')) });
    const described = await aws(dynamoDbUrl, 'describe-table', '--table-name', table);
    expect(described.Table).toMatchObject({
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ProvisionedThroughput: { ReadCapacityUnits: 0 },
    });
    const db = client(dynamoDbUrl);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => db.send(new GetCommand({ TableName: table, Key: { id: 'x' }, ConsistentRead: true }))),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    expect(refused.length).toBe(6);
    expect(refused[0]).toBeInstanceOf(ThrottlingException);
  });
});
