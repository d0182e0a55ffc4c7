import { z } from 'zod';
import type { Item } from '../../scaling/item-size.ts';

// The fields of DynamoDB's JSON requests and answers that the front reads to price, throttle and describe. Other
// fields pass through untouched (loose objects): dynalite validates the whole request and words its own errors, so a
// request these schemas refuse is forwarded to it unpriced rather than answered here.

const item = z.record(z.string(), z.record(z.string(), z.unknown())) as z.ZodType<Item>;
const returnConsumedCapacity = z.enum(['TOTAL', 'INDEXES', 'NONE']).optional();

/** GetItem, Query, Scan. */
export const readRequest = z.looseObject({
  TableName: z.string(),
  IndexName: z.string().optional(),
  ConsistentRead: z.boolean().optional(),
  ReturnConsumedCapacity: returnConsumedCapacity,
});
export type ReadRequest = z.infer<typeof readRequest>;

/** PutItem, UpdateItem, DeleteItem. */
export const writeRequest = z.looseObject({
  TableName: z.string(),
  Item: item.optional(),
  Key: item.optional(),
  ReturnConsumedCapacity: returnConsumedCapacity,
});
export type WriteRequest = z.infer<typeof writeRequest>;

export const batchGetRequest = z.looseObject({
  RequestItems: z.record(z.string(), z.looseObject({ Keys: z.array(item), ConsistentRead: z.boolean().optional() })),
});
export type BatchGetRequest = z.infer<typeof batchGetRequest>;

export const batchWriteRequest = z.looseObject({
  RequestItems: z.record(
    z.string(),
    z.array(z.looseObject({ PutRequest: z.object({ Item: item }).optional(), DeleteRequest: z.object({ Key: item }).optional() })),
  ),
});
export type BatchWriteRequest = z.infer<typeof batchWriteRequest>;

const throughput = z.object({ ReadCapacityUnits: z.number(), WriteCapacityUnits: z.number() });

export const describeTableRequest = z.looseObject({ TableName: z.string() });

/** UpdateTable: only provisioned throughput is emulated; the rest is named in the refusal. */
export const updateTableRequest = z.looseObject({
  TableName: z.string(),
  ProvisionedThroughput: throughput.optional(),
  BillingMode: z.string().optional(),
  GlobalSecondaryIndexUpdates: z
    .array(z.looseObject({ Update: z.object({ IndexName: z.string(), ProvisionedThroughput: throughput }).optional() }))
    .optional(),
});
export type UpdateTableRequest = z.infer<typeof updateTableRequest>;

// The parts of dynalite's answers the front reads back. dynalite is our own backend, so these are types only:
// validating its answers again would cost every request a walk over every item.

/** GetItem, Query and Scan answers. */
export interface ReadAnswer {
  readonly Item?: Item;
  readonly Items?: Item[];
  readonly ScannedCount?: number;
  readonly [field: string]: unknown;
}

/** BatchGetItem answers. */
export interface BatchGetAnswer {
  readonly Responses?: Record<string, Item[]>;
}

/** A table as DescribeTable describes it (the fields the front rewrites, and the rest passed through). */
export interface TableDescription {
  readonly GlobalSecondaryIndexes?: readonly { readonly IndexName: string; readonly [field: string]: unknown }[];
  readonly [field: string]: unknown;
}

/** DescribeTable answers. */
export interface DescribeTableAnswer {
  readonly Table: TableDescription;
}
