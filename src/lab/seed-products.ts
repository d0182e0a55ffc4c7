import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sampleProducts } from '../catalog/sample-products.ts';
import type { LocalEndpoints } from '../local/local-cloud.ts';
import type { StackModel } from '../scaling/stack-model.ts';

/** Writes sample products straight into dynalite: seeding is set-up, not traffic, so it costs no capacity. */
export async function seedProducts(endpoints: LocalEndpoints, model: StackModel, count: number): Promise<void> {
  const table = model.tables.find((t) => t.keySchema.some((k) => k.AttributeName === 'id'));
  if (!table) return;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.backendUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const products = sampleProducts(count, 1, Date.now());
  for (let i = 0; i < products.length; i += 25) {
    const batch = products.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await client.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch } }));
  }
  client.destroy();
}
