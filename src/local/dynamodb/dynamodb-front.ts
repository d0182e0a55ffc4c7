import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import type { Clock } from '../../common/clock.ts';
import type { CapacityKind, DynamoDbThrottle } from '../../scaling/dynamodb-throttle.ts';
import type { Item } from '../../scaling/item-size.ts';
import {
  batchGetPrice,
  batchWritePrice,
  getItemPrice,
  minimumReadPrice,
  readPagePrice,
  totalUnits,
  updateSurcharge,
  writePrice,
} from '../../scaling/request-pricing.ts';
import type { LocalTable } from '../../scaling/stack-model.ts';
import { type TableCapacity, ThroughputUpdateRefusedError } from '../../scaling/table-capacity.ts';
import type { SideRoute } from '../gateway/side-route.ts';
import type { DynaliteBackend } from './dynamodb-backend.ts';
import {
  type BatchGetAnswer,
  type BatchGetRequest,
  type BatchWriteRequest,
  batchGetRequest,
  batchWriteRequest,
  type DescribeTableAnswer,
  describeTableRequest,
  type ReadAnswer,
  type ReadRequest,
  readRequest,
  type TableDescription,
  type UpdateTableRequest,
  updateTableRequest,
  type WriteRequest,
  writeRequest,
} from './dynamodb-requests.ts';
import { type WireResponse, wireError, wireResponse } from './dynamodb-wire.ts';

/** What the front reports as it prices and throttles requests (the control plane turns it into metrics). */
export interface CapacityObserver {
  consumed(event: { tableName: string; indexName: string | undefined; kind: CapacityKind; units: number; atMs: number }): void;
  throttled(event: { tableName: string; operation: string; throttle: DynamoDbThrottle; atMs: number }): void;
}

/** A table the front enforces capacity on. */
export interface EnforcedTable {
  readonly table: LocalTable;
  readonly capacity: TableCapacity;
}

/** Options of {@link DynamoDbFront}. */
export interface DynamoDbFrontOptions {
  readonly backend: DynaliteBackend;
  readonly tables: ReadonlyMap<string, EnforcedTable>;
  readonly clock: Clock;
  readonly observer?: CapacityObserver;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

interface RawRequest {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * An operation the front prices: its answer, or undefined when the front should not price the request (not of the
 * operation's shape, so dynalite words the error, or on a table the template does not declare).
 */
type PricedOperation = (json: unknown, raw: RawRequest) => Promise<WireResponse> | undefined;

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'expect']);

/**
 * The DynamoDB endpoint of the local cloud: answers like DynamoDB, in front of dynalite, and enforces capacity the way
 * DynamoDB does: units from real item sizes, per-second and burst buckets, GSI back-pressure, on-demand's doubling,
 * UpdateTable with its apply delay. Throttles are byte-compatible, so the AWS SDK's real retries run against them.
 */
export class DynamoDbFront {
  private server: Server | undefined;
  private readonly operations: Record<string, PricedOperation>;

  constructor(private readonly options: DynamoDbFrontOptions) {
    const priced =
      <T extends { TableName?: string; RequestItems?: unknown }>(
        request: z.ZodType<T>,
        answer: (input: T, raw: RawRequest) => Promise<WireResponse>,
      ): PricedOperation =>
      (json, raw) => {
        const parsed = request.safeParse(json);
        if (!parsed.success) return undefined;
        const enforced = parsed.data.RequestItems !== undefined || options.tables.has(parsed.data.TableName ?? '');
        return enforced ? answer(parsed.data, raw) : undefined;
      };
    this.operations = {
      GetItem: priced(readRequest, (input, raw) => this.read('GetItem', input, raw, input.ConsistentRead === true)),
      Query: priced(readRequest, (input, raw) => this.read('Query', input, raw, input.ConsistentRead === true && !input.IndexName)),
      Scan: priced(readRequest, (input, raw) => this.read('Scan', input, raw, input.ConsistentRead === true && !input.IndexName)),
      PutItem: priced(writeRequest, (input, raw) => this.write('PutItem', input, raw)),
      DeleteItem: priced(writeRequest, (input, raw) => this.write('DeleteItem', input, raw)),
      UpdateItem: priced(writeRequest, (input, raw) => this.write('UpdateItem', input, raw)),
      BatchGetItem: priced(batchGetRequest, (input, raw) => this.batchGet(input, raw)),
      BatchWriteItem: priced(batchWriteRequest, (input, raw) => this.batchWrite(input, raw)),
      DescribeTable: priced(describeTableRequest, (input, raw) => this.describeTable(input.TableName, raw)),
      UpdateTable: priced(updateTableRequest, (input) => this.updateTable(input)),
    };
  }

  /** Starts listening; resolves to the endpoint URL. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => this.serve(request, response));
    this.server.keepAliveTimeout = 30_000;
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve));
    const address = server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** Stops accepting connections and waits for open requests. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers one DynamoDB request (on the front's own port, or on the local cloud's AWS endpoint). */
  serve(request: IncomingMessage, response: ServerResponse): void {
    this.handle(request, response).catch((error: unknown) => {
      const failure = wireError('InternalServerError', `techmoda local: ${(error as Error).message}`, {}, 500);
      if (!response.headersSent) response.writeHead(failure.statusCode, failure.headers);
      response.end(failure.body);
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string' && !hopByHop.has(name)) headers[name] = value;
    const operation = this.operations[(headers['x-amz-target'] ?? '').split('.')[1] ?? ''];
    const result = operation?.(parseJson(body), { headers, body }) ?? this.options.backend.forward(headers, body);
    const answer = await result;
    response.writeHead(answer.statusCode, answer.headers);
    response.end(answer.body);
  }

  private enforced(tableName: string): EnforcedTable {
    const enforced = this.options.tables.get(tableName);
    if (!enforced) throw new Error(`table ${tableName} is not enforced`); // priced() lets only enforced tables through
    return enforced;
  }

  private throttle(tableName: string, operation: string, throttle: DynamoDbThrottle): WireResponse {
    this.options.observer?.throttled({ tableName, operation, throttle, atMs: this.options.clock.nowMs() });
    return wireError(throttle.exception, throttle.message, {
      ThrottlingReasons: [
        {
          reason: throttle.reason,
          resource: `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}${throttle.indexName ? `/index/${throttle.indexName}` : ''}`,
        },
      ],
    });
  }

  private consumed(tableName: string, indexName: string | undefined, kind: CapacityKind, units: number): void {
    if (units > 0) this.options.observer?.consumed({ tableName, indexName, kind, units, atMs: this.options.clock.nowMs() });
  }

  /** GetItem, Query, Scan: admitted on the minimum price, charged on the items actually read. */
  private async read(operation: string, input: ReadRequest, raw: RawRequest, consistent: boolean): Promise<WireResponse> {
    const { capacity } = this.enforced(input.TableName);
    const indexName = input.IndexName;
    const minimum = minimumReadPrice(consistent);
    const refused = capacity.admitRead(indexName, minimum, this.options.clock.nowMs());
    if (refused) return this.throttle(input.TableName, operation, refused);
    // Reserve the minimum now, so concurrent requests see each other; the rest is charged once the size is known.
    capacity.chargeRead(indexName, minimum, this.options.clock.nowMs());
    const response = await this.options.backend.forward(raw.headers, raw.body);
    if (response.statusCode !== 200) return response;
    const output = backendAnswer<ReadAnswer>(response);
    const items = output.Items ?? [];
    const units =
      operation === 'GetItem'
        ? getItemPrice(output.Item, consistent)
        : readPagePrice({ items, scannedCount: output.ScannedCount ?? items.length }, consistent);
    capacity.chargeRead(indexName, units - minimum, this.options.clock.nowMs());
    this.consumed(input.TableName, indexName, 'read', units);
    return this.withConsumedCapacity(response, output, input, units, indexName);
  }

  /** PutItem, DeleteItem, UpdateItem: table and GSI units from the item before and after; back-pressure from GSIs. */
  private async write(operation: string, input: WriteRequest, raw: RawRequest): Promise<WireResponse> {
    const { table, capacity } = this.enforced(input.TableName);
    const key: Item = operation === 'PutItem' ? pickKey(input.Item ?? {}, table) : (input.Key ?? {});
    const before = await this.options.backend.getItem(table.tableName, key);
    // An update's result is unknown until applied: admit on the item as it is, charge the difference after.
    const expected = operation === 'PutItem' ? input.Item : operation === 'DeleteItem' ? undefined : (before ?? key);
    const admitted = writePrice(table, before, expected);
    const refused = capacity.admitWrite(admitted.table, admitted.indexes, this.options.clock.nowMs());
    if (refused) return this.throttle(table.tableName, operation, refused);
    const response = await this.options.backend.forward(raw.headers, raw.body);
    let charged = admitted;
    if (operation === 'UpdateItem' && response.statusCode === 200) {
      charged = writePrice(table, before, await this.options.backend.getItem(table.tableName, key));
      const surcharge = updateSurcharge(admitted, charged);
      const now = this.options.clock.nowMs();
      if (surcharge.table > 0) capacity.chargeWrite(undefined, surcharge.table, now);
      for (const [name, units] of Object.entries(surcharge.indexes)) if (units > 0) capacity.chargeWrite(name, units, now);
    }
    this.consumed(table.tableName, undefined, 'write', charged.table);
    for (const [name, units] of Object.entries(charged.indexes)) this.consumed(table.tableName, name, 'write', units);
    if (response.statusCode !== 200) return response;
    return this.withConsumedCapacity(response, JSON.parse(response.body.toString('utf8')), input, totalUnits(charged));
  }

  /** BatchGetItem: each key priced as its own GetItem (B 1.7); admitted or throttled as a whole. */
  private async batchGet(input: BatchGetRequest, raw: RawRequest): Promise<WireResponse> {
    const now = this.options.clock.nowMs();
    const reserved = new Map<string, number>();
    for (const [tableName, request] of Object.entries(input.RequestItems)) {
      const enforced = this.options.tables.get(tableName);
      const minimum = request.Keys.length * minimumReadPrice(request.ConsistentRead === true);
      const refused = enforced?.capacity.admitRead(undefined, minimum, now);
      if (refused) return this.throttle(tableName, 'BatchGetItem', refused);
      reserved.set(tableName, minimum);
    }
    for (const [tableName, minimum] of reserved) this.options.tables.get(tableName)?.capacity.chargeRead(undefined, minimum, now);
    const response = await this.options.backend.forward(raw.headers, raw.body);
    if (response.statusCode !== 200) return response;
    const output = backendAnswer<BatchGetAnswer>(response);
    for (const [tableName, items] of Object.entries(output.Responses ?? {})) {
      const enforced = this.options.tables.get(tableName);
      const request = input.RequestItems[tableName];
      if (!enforced || !request) continue;
      const units = batchGetPrice(items, request.Keys.length, request.ConsistentRead === true);
      enforced.capacity.chargeRead(undefined, units - (reserved.get(tableName) ?? 0), this.options.clock.nowMs());
      this.consumed(tableName, undefined, 'read', units);
    }
    return response;
  }

  /** BatchWriteItem: each request priced on its own (B 1.15); admitted or throttled as a whole. */
  private async batchWrite(input: BatchWriteRequest, raw: RawRequest): Promise<WireResponse> {
    const now = this.options.clock.nowMs();
    for (const [tableName, requests] of Object.entries(input.RequestItems)) {
      const enforced = this.options.tables.get(tableName);
      if (!enforced) continue;
      const puts = requests.flatMap((request) => (request.PutRequest ? [request.PutRequest.Item] : []));
      const price = batchWritePrice(enforced.table, puts, requests.length - puts.length);
      const refused = enforced.capacity.admitWrite(price.table, price.indexes, now);
      if (refused) return this.throttle(tableName, 'BatchWriteItem', refused);
      this.consumed(tableName, undefined, 'write', price.table);
      for (const [name, units] of Object.entries(price.indexes)) this.consumed(tableName, name, 'write', units);
    }
    return this.options.backend.forward(raw.headers, raw.body);
  }

  /** DescribeTable from dynalite, with the throughput, status and billing mode the model enforces. */
  private async describeTable(tableName: string, raw: RawRequest): Promise<WireResponse> {
    const response = await this.options.backend.forward(raw.headers, raw.body);
    if (response.statusCode !== 200) return response;
    const output = backendAnswer<DescribeTableAnswer>(response);
    return wireResponse(200, { Table: this.describe(tableName, output.Table) });
  }

  private describe(tableName: string, description: TableDescription): TableDescription {
    const { table, capacity } = this.enforced(tableName);
    const now = this.options.clock.nowMs();
    const throughput = (indexName: string | undefined) => {
      const d = capacity.describe(indexName, now);
      return {
        ReadCapacityUnits: d.readUnitsPerSecond,
        WriteCapacityUnits: d.writeUnitsPerSecond,
        NumberOfDecreasesToday: d.numberOfDecreasesToday,
        ...(d.lastIncreaseMs !== undefined && { LastIncreaseDateTime: d.lastIncreaseMs / 1000 }),
        ...(d.lastDecreaseMs !== undefined && { LastDecreaseDateTime: d.lastDecreaseMs / 1000 }),
      };
    };
    const status = capacity.status(now);
    const onDemand = table.billingMode === 'PAY_PER_REQUEST';
    return {
      ...description,
      TableStatus: status,
      ProvisionedThroughput: throughput(undefined),
      ...(onDemand && { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } }),
      ...(onDemand &&
        table.maxOnDemand && {
          OnDemandThroughput: {
            MaxReadRequestUnits: table.maxOnDemand.readUnitsPerSecond ?? -1,
            MaxWriteRequestUnits: table.maxOnDemand.writeUnitsPerSecond ?? -1,
          },
        }),
      GlobalSecondaryIndexes: (description.GlobalSecondaryIndexes ?? []).map((gsi) => ({
        ...gsi,
        IndexStatus: status,
        ProvisionedThroughput: throughput(gsi.IndexName),
      })),
    };
  }

  /** UpdateTable of provisioned throughput (table and GSIs): accepted now, applied after the delay. */
  private async updateTable(input: UpdateTableRequest): Promise<WireResponse> {
    const { TableName, ProvisionedThroughput, GlobalSecondaryIndexUpdates, BillingMode, ...rest } = input;
    const { table, capacity } = this.enforced(TableName);
    const unsupported = Object.keys(rest).filter((name) => name !== 'ReturnConsumedCapacity');
    const gsiOther = (GlobalSecondaryIndexUpdates ?? []).some((u) => !u.Update);
    if (unsupported.length > 0 || gsiOther || (BillingMode !== undefined && BillingMode !== table.billingMode)) {
      return wireError(
        'ValidationException',
        `techmoda local emulates UpdateTable of provisioned throughput only; not: ${[...unsupported, ...(gsiOther ? ['GSI create/delete'] : []), ...(BillingMode ? ['BillingMode'] : [])].join(', ')}`,
      );
    }
    const toThroughput = (p: { ReadCapacityUnits: number; WriteCapacityUnits: number }) => ({
      readUnitsPerSecond: p.ReadCapacityUnits,
      writeUnitsPerSecond: p.WriteCapacityUnits,
    });
    try {
      capacity.requestUpdate(
        {
          table: ProvisionedThroughput ? toThroughput(ProvisionedThroughput) : undefined,
          indexes: Object.fromEntries(
            (GlobalSecondaryIndexUpdates ?? []).flatMap((u) =>
              u.Update ? [[u.Update.IndexName, toThroughput(u.Update.ProvisionedThroughput)]] : [],
            ),
          ),
        },
        this.options.clock.nowMs(),
      );
    } catch (error) {
      if (error instanceof ThroughputUpdateRefusedError) return wireError(error.exception, error.message);
      throw error;
    }
    const current = await this.options.backend.call('DescribeTable', { TableName });
    return wireResponse(200, { TableDescription: this.describe(TableName, (current.output as DescribeTableAnswer).Table) });
  }

  private withConsumedCapacity(
    response: WireResponse,
    output: Record<string, unknown>,
    input: { TableName: string; ReturnConsumedCapacity?: string | undefined },
    units: number,
    indexName?: string,
  ): WireResponse {
    if (input.ReturnConsumedCapacity !== 'TOTAL' && input.ReturnConsumedCapacity !== 'INDEXES') return response;
    output.ConsumedCapacity = {
      TableName: input.TableName,
      CapacityUnits: units,
      ...(input.ReturnConsumedCapacity === 'INDEXES' &&
        (indexName ? { GlobalSecondaryIndexes: { [indexName]: { CapacityUnits: units } } } : { Table: { CapacityUnits: units } })),
    };
    return wireResponse(response.statusCode, output, response.headers['x-amzn-requestid'] ?? randomUUID());
  }
}

/**
 * A 200 answer of dynalite, our own backend, as its declared shape: trusted, so not validated again on the hot path
 * (a Scan answer would otherwise be walked attribute by attribute on every request).
 */
function backendAnswer<T>(response: WireResponse): T {
  return JSON.parse(response.body.toString('utf8')) as T;
}

/** The body as JSON, or undefined when it is not JSON (dynalite then words the serialization error). */
function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function pickKey(item: Item, table: LocalTable): Item {
  return Object.fromEntries(table.keySchema.map((k) => [k.AttributeName, item[k.AttributeName]])) as Item;
}

/** DynamoDB on the local cloud's AWS endpoint too: requests with `X-Amz-Target: DynamoDB_20120810.<Op>` (B 4). */
export function dynamoDbRoute(front: DynamoDbFront | undefined): SideRoute {
  return (request, response) => {
    const target = request.headers['x-amz-target'];
    if (!front || typeof target !== 'string' || !target.startsWith('DynamoDB_20120810.')) return false;
    front.serve(request, response);
    return true;
  };
}
