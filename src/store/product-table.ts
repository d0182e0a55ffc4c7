import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The products table's schema, declared once: the CDK stack, the local cloud and the tests all build the table
 * from this object, so a key or index change reaches all of them.
 */
export const productTableSchema = {
  partitionKey: { name: 'id', type: 'S' },
  categoryIndex: {
    indexName: 'byCategory',
    partitionKey: { name: 'category', type: 'S' },
    /** ISO-8601 timestamps sort lexically, so the index lists a category newest first when read backwards. */
    sortKey: { name: 'createdAt', type: 'S' },
  },
} as const;

/** Provisioned throughput for a table created outside CloudFormation (tests, tools). */
export interface TableCapacity {
  readonly readCapacityUnits: number;
  readonly writeCapacityUnits: number;
}

/** A CreateTable request for the products table; on-demand when no capacity is given. */
export function productTableCreateInput(tableName: string, capacity?: TableCapacity): CreateTableCommandInput {
  const { partitionKey, categoryIndex } = productTableSchema;
  const throughput = capacity && {
    ReadCapacityUnits: capacity.readCapacityUnits,
    WriteCapacityUnits: capacity.writeCapacityUnits,
  };
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
      { AttributeName: categoryIndex.partitionKey.name, AttributeType: categoryIndex.partitionKey.type },
      { AttributeName: categoryIndex.sortKey.name, AttributeType: categoryIndex.sortKey.type },
    ],
    KeySchema: [{ AttributeName: partitionKey.name, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: categoryIndex.indexName,
        KeySchema: [
          { AttributeName: categoryIndex.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: categoryIndex.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
        ...(throughput && { ProvisionedThroughput: throughput }),
      },
    ],
    ...(throughput ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput } : { BillingMode: 'PAY_PER_REQUEST' }),
  };
}
