import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { IdempotencyKeyReusedError, ProductNotFoundError, VersionConflictError } from '../catalog/catalog-errors.ts';
import type { Product } from '../catalog/product.ts';
import type { CreateOutcome, ListPage, ListQuery, ProductStore, StoreKey } from './product-store.ts';
import { productTableSchema } from './product-table.ts';
import { StoreThrottledError } from './store-errors.ts';

/** Options of {@link DynamoDbProductStore}. */
export interface DynamoDbProductStoreOptions {
  /** A document client built once per process (keep-alive, removeUndefinedValues). */
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

// Errors DynamoDB returns when a request is throttled (provisioned, on-demand, account); the SDK has already
// retried them when they reach us.
const throttleErrorNames = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

// Attributes we store that are not part of the public Product.
const fingerprintAttribute = 'requestFingerprint';

/** ProductStore on a DynamoDB table through the AWS SDK v3 document client. No transactions (dynalite lacks them). */
export class DynamoDbProductStore implements ProductStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbProductStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get(id: string): Promise<Product | undefined> {
    const out = await this.attempt('GetItem', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true })),
    );
    return out.Item && toProduct(out.Item);
  }

  async create(product: Product, requestFingerprint?: string): Promise<CreateOutcome> {
    try {
      await this.attempt('PutItem', () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...product, [fingerprintAttribute]: requestFingerprint },
            ConditionExpression: 'attribute_not_exists(#id)',
            ExpressionAttributeNames: { '#id': 'id' },
          }),
        ),
      );
      return { product, created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The id exists: an idempotent retry (same fingerprint) gets the stored product; anything else is a reuse.
      const existing = await this.attempt('GetItem', () =>
        this.client.send(new GetCommand({ TableName: this.tableName, Key: { id: product.id }, ConsistentRead: true })),
      );
      if (requestFingerprint !== undefined && existing.Item?.[fingerprintAttribute] === requestFingerprint) {
        return { product: toProduct(existing.Item), created: false };
      }
      throw new IdempotencyKeyReusedError();
    }
  }

  async replace(product: Product, expectedVersion: number): Promise<Product> {
    // UpdateItem, not PutItem, so attributes outside the Product (the create fingerprint) survive a replace.
    const fields = Object.entries(product).filter(([name]) => name !== 'id');
    const removable = ['imageUrl'].filter((name) => !(name in product) || product[name as keyof Product] === undefined);
    const setList = fields.filter(([, v]) => v !== undefined).map(([name]) => `#${name} = :${name}`);
    try {
      await this.attempt('UpdateItem', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { id: product.id },
            UpdateExpression: `SET ${setList.join(', ')}${removable.length ? ` REMOVE ${removable.map((n) => `#${n}`).join(', ')}` : ''}`,
            ConditionExpression: 'attribute_exists(#id) AND #version = :expectedVersion',
            ExpressionAttributeNames: Object.fromEntries([
              ['#id', 'id'],
              ...fields.map(([name]) => [`#${name}`, name]),
              ...removable.map((name) => [`#${name}`, name]),
            ]),
            ExpressionAttributeValues: {
              ':expectedVersion': expectedVersion,
              ...Object.fromEntries(fields.filter(([, v]) => v !== undefined).map(([name, v]) => [`:${name}`, v])),
            },
          }),
        ),
      );
      return product;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.get(product.id);
      if (!current) throw new ProductNotFoundError(product.id);
      throw new VersionConflictError(product.id, expectedVersion, current.version);
    }
  }

  async delete(id: string, expectedVersion?: number): Promise<Product | undefined> {
    try {
      const out = await this.attempt('DeleteItem', () =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { id },
            ReturnValues: 'ALL_OLD',
            ...(expectedVersion !== undefined && {
              ConditionExpression: 'attribute_not_exists(#id) OR #version = :expectedVersion',
              ExpressionAttributeNames: { '#id': 'id', '#version': 'version' },
              ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
            }),
          }),
        ),
      );
      return out.Attributes && toProduct(out.Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || expectedVersion === undefined) throw error;
      const current = await this.get(id);
      throw new VersionConflictError(id, expectedVersion, current?.version);
    }
  }

  async list(query: ListQuery): Promise<ListPage> {
    const { categoryIndex } = productTableSchema;
    const page =
      query.category === undefined
        ? await this.attempt('Scan', () =>
            this.client.send(new ScanCommand({ TableName: this.tableName, Limit: query.limit, ExclusiveStartKey: query.startKey })),
          )
        : await this.attempt('Query', () =>
            this.client.send(
              new QueryCommand({
                TableName: this.tableName,
                IndexName: categoryIndex.indexName,
                KeyConditionExpression: '#category = :category',
                ExpressionAttributeNames: { '#category': categoryIndex.partitionKey.name },
                ExpressionAttributeValues: { ':category': query.category },
                ScanIndexForward: false,
                Limit: query.limit,
                ExclusiveStartKey: query.startKey,
              }),
            ),
          );
    return { items: (page.Items ?? []).map(toProduct), nextKey: page.LastEvaluatedKey as StoreKey | undefined };
  }

  /** Runs one SDK call; throttling that outlived the SDK's retries becomes StoreThrottledError. */
  private async attempt<Output>(operation: string, call: () => Promise<Output>): Promise<Output> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof Error && throttleErrorNames.has(error.name)) throw new StoreThrottledError(operation, error);
      throw error;
    }
  }
}

function toProduct(item: Record<string, unknown>): Product {
  const { [fingerprintAttribute]: _fingerprint, ...product } = item;
  return product as unknown as Product;
}
