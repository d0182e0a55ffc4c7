import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { indexWriteUnits, readUnits, writeUnits } from '../scaling/capacity-units.ts';
import type { CapacityKind, DynamoDbThrottle } from '../scaling/dynamodb-throttle.ts';
import { type Item, itemSizeBytes } from '../scaling/item-size.ts';
import { type TableCapacity, ThroughputUpdateRefused } from '../scaling/table-capacity.ts';
import type { Clock } from '../shared/clock.ts';
import type { DynaliteBackend } from './dynamodb-backend.ts';
import { type WireResponse, wireError, wireResponse } from './dynamodb-wire.ts';
import { indexEntry } from './index-entry.ts';
import type { LocalTable } from './stack-model.ts';

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

type Handler = (input: any, raw: RawRequest) => Promise<WireResponse>;
interface RawRequest {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'expect']);

/**
 * The DynamoDB endpoint of the local cloud: answers like DynamoDB, in front of dynalite, and enforces capacity the way
 * DynamoDB does: units from real item sizes, per-second and burst buckets, GSI back-pressure, on-demand's doubling,
 * UpdateTable with its apply delay. Throttles are byte-compatible, so the AWS SDK's real retries run against them.
 */
export class DynamoDbFront {
  private server: Server | undefined;
  private readonly handlers: Record<string, Handler>;

  constructor(private readonly options: DynamoDbFrontOptions) {
    this.handlers = {
      GetItem: (input, raw) => this.read('GetItem', input, raw, input.ConsistentRead === true),
      Query: (input, raw) => this.read('Query', input, raw, input.ConsistentRead === true && !input.IndexName),
      Scan: (input, raw) => this.read('Scan', input, raw, input.ConsistentRead === true && !input.IndexName),
      PutItem: (input, raw) => this.write('PutItem', input, raw),
      DeleteItem: (input, raw) => this.write('DeleteItem', input, raw),
      UpdateItem: (input, raw) => this.write('UpdateItem', input, raw),
      BatchGetItem: (input, raw) => this.batchGet(input, raw),
      BatchWriteItem: (input, raw) => this.batchWrite(input, raw),
      DescribeTable: (input, raw) => this.describeTable(input, raw),
      UpdateTable: (input, raw) => this.updateTable(input, raw),
    };
  }

  /** Starts listening; resolves to the endpoint URL. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const failure = wireError('InternalServerError', `techmoda local: ${(error as Error).message}`, {}, 500);
        if (!response.headersSent) response.writeHead(failure.statusCode, failure.headers);
        response.end(failure.body);
      });
    });
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

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string' && !hopByHop.has(name)) headers[name] = value;
    const operation = (headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const handler = this.handlers[operation];
    let result: WireResponse;
    let input: any;
    try {
      input = handler ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      input = undefined; // let dynalite word the serialization error
    }
    if (handler && input && typeof input === 'object' && this.options.tables.has(input.TableName ?? ''))
      result = await handler(input, { headers, body });
    else if (handler && (operation === 'BatchGetItem' || operation === 'BatchWriteItem') && input?.RequestItems)
      result = await handler(input, { headers, body });
    else result = await this.options.backend.forward(headers, body);
    response.writeHead(result.statusCode, result.headers);
    response.end(result.body);
  }

  private enforced(tableName: string): EnforcedTable {
    return this.options.tables.get(tableName) as EnforcedTable;
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
  private async read(operation: string, input: any, raw: RawRequest, consistent: boolean): Promise<WireResponse> {
    const { capacity } = this.enforced(input.TableName);
    const indexName: string | undefined = input.IndexName;
    const minimum = readUnits(0, consistent);
    const refused = capacity.admitRead(indexName, minimum, this.options.clock.nowMs());
    if (refused) return this.throttle(input.TableName, operation, refused);
    // Reserve the minimum now, so concurrent requests see each other; the rest is charged once the size is known.
    capacity.chargeRead(indexName, minimum, this.options.clock.nowMs());
    const response = await this.options.backend.forward(raw.headers, raw.body);
    if (response.statusCode !== 200) return response;
    const output = JSON.parse(response.body.toString('utf8'));
    let sizeBytes: number;
    if (operation === 'GetItem') sizeBytes = output.Item ? itemSizeBytes(output.Item) : 0;
    else {
      const items = (output.Items ?? []) as Item[];
      const returned = items.reduce((sum, item) => sum + itemSizeBytes(item), 0);
      // Filtered-out items are charged too (B 1.9); scale by scanned/returned when a filter dropped some.
      sizeBytes = items.length > 0 && output.ScannedCount > items.length ? (returned / items.length) * output.ScannedCount : returned;
    }
    const units = readUnits(sizeBytes, consistent);
    capacity.chargeRead(indexName, units - minimum, this.options.clock.nowMs());
    this.consumed(input.TableName, indexName, 'read', units);
    return this.withConsumedCapacity(response, output, input, units, indexName);
  }

  /** PutItem, DeleteItem, UpdateItem: table and GSI units from the item before and after; back-pressure from GSIs. */
  private async write(operation: string, input: any, raw: RawRequest): Promise<WireResponse> {
    const { table, capacity } = this.enforced(input.TableName);
    const key: Item = operation === 'PutItem' ? pickKey(input.Item ?? {}, table) : (input.Key ?? {});
    const before = await this.options.backend.getItem(table.tableName, key);
    // An update's result is unknown until applied: admit on the item as it is, charge the difference after.
    const expected: Item | undefined = operation === 'PutItem' ? input.Item : operation === 'DeleteItem' ? undefined : (before ?? key);
    const estimate = this.writePrice(table, before, expected);
    const refused = capacity.admitWrite(estimate.table, estimate.indexes, this.options.clock.nowMs());
    if (refused) return this.throttle(table.tableName, operation, refused);
    const response = await this.options.backend.forward(raw.headers, raw.body);
    let charged = estimate;
    if (operation === 'UpdateItem' && response.statusCode === 200) {
      const actual = this.writePrice(table, before, await this.options.backend.getItem(table.tableName, key));
      const now = this.options.clock.nowMs();
      if (actual.table > estimate.table) capacity.chargeWrite(undefined, actual.table - estimate.table, now);
      for (const [name, units] of Object.entries(actual.indexes)) {
        const extra = units - (estimate.indexes[name] ?? 0);
        if (extra > 0) capacity.chargeWrite(name, extra, now);
      }
      charged = actual;
    }
    this.consumed(table.tableName, undefined, 'write', charged.table);
    for (const [name, units] of Object.entries(charged.indexes)) this.consumed(table.tableName, name, 'write', units);
    if (response.statusCode !== 200) return response;
    return this.withConsumedCapacity(
      response,
      JSON.parse(response.body.toString('utf8')),
      input,
      charged.table + Object.values(charged.indexes).reduce((a, b) => a + b, 0),
    );
  }

  private writePrice(
    table: LocalTable,
    before: Item | undefined,
    after: Item | undefined,
  ): { table: number; indexes: Record<string, number> } {
    const indexes: Record<string, number> = {};
    for (const index of table.indexes)
      indexes[index.indexName] = indexWriteUnits(indexEntry(before, index, table.keySchema), indexEntry(after, index, table.keySchema));
    return { table: writeUnits(before ? itemSizeBytes(before) : 0, after ? itemSizeBytes(after) : 0), indexes };
  }

  /** BatchGetItem: each key priced as its own GetItem (B 1.7); admitted or throttled as a whole. */
  private async batchGet(input: any, raw: RawRequest): Promise<WireResponse> {
    const now = this.options.clock.nowMs();
    const reserved = new Map<string, number>();
    for (const [tableName, request] of Object.entries<any>(input.RequestItems)) {
      const enforced = this.options.tables.get(tableName);
      const minimum = (request.Keys?.length ?? 0) * readUnits(0, request.ConsistentRead === true);
      const refused = enforced?.capacity.admitRead(undefined, minimum, now);
      if (refused) return this.throttle(tableName, 'BatchGetItem', refused);
      reserved.set(tableName, minimum);
    }
    for (const [tableName, minimum] of reserved) this.options.tables.get(tableName)?.capacity.chargeRead(undefined, minimum, now);
    const response = await this.options.backend.forward(raw.headers, raw.body);
    if (response.statusCode !== 200) return response;
    const output = JSON.parse(response.body.toString('utf8'));
    for (const [tableName, items] of Object.entries<Item[]>(output.Responses ?? {})) {
      const enforced = this.options.tables.get(tableName);
      if (!enforced) continue;
      const consistent = input.RequestItems[tableName]?.ConsistentRead === true;
      const requested = input.RequestItems[tableName]?.Keys?.length ?? items.length;
      const units =
        items.reduce((sum, item) => sum + readUnits(itemSizeBytes(item), consistent), 0) +
        (requested - items.length) * readUnits(0, consistent);
      enforced.capacity.chargeRead(undefined, units - (reserved.get(tableName) ?? 0), this.options.clock.nowMs());
      this.consumed(tableName, undefined, 'read', units);
    }
    return response;
  }

  /** BatchWriteItem: each request priced on its own (B 1.15); admitted or throttled as a whole. */
  private async batchWrite(input: any, raw: RawRequest): Promise<WireResponse> {
    const now = this.options.clock.nowMs();
    for (const [tableName, requests] of Object.entries<any[]>(input.RequestItems)) {
      const enforced = this.options.tables.get(tableName);
      if (!enforced) continue;
      let tableUnits = 0;
      const indexUnits: Record<string, number> = {};
      for (const request of requests) {
        const price = this.writePrice(enforced.table, undefined, request.PutRequest?.Item);
        tableUnits += request.PutRequest ? price.table : 1;
        for (const [name, units] of Object.entries(price.indexes)) indexUnits[name] = (indexUnits[name] ?? 0) + units;
      }
      const refused = enforced.capacity.admitWrite(tableUnits, indexUnits, now);
      if (refused) return this.throttle(tableName, 'BatchWriteItem', refused);
      this.consumed(tableName, undefined, 'write', tableUnits);
      for (const [name, units] of Object.entries(indexUnits)) this.consumed(tableName, name, 'write', units);
    }
    return this.options.backend.forward(raw.headers, raw.body);
  }

  /** DescribeTable from dynalite, with the throughput, status and billing mode the model enforces. */
  private async describeTable(input: any, raw: RawRequest): Promise<WireResponse> {
    const response = await this.options.backend.forward(raw.headers, raw.body);
    if (response.statusCode !== 200) return response;
    const output = JSON.parse(response.body.toString('utf8'));
    return wireResponse(200, { Table: this.describe(input.TableName, output.Table) });
  }

  private describe(tableName: string, description: any): any {
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
      GlobalSecondaryIndexes: (description.GlobalSecondaryIndexes ?? []).map((gsi: any) => ({
        ...gsi,
        IndexStatus: status,
        ProvisionedThroughput: throughput(gsi.IndexName),
      })),
    };
  }

  /** UpdateTable of provisioned throughput (table and GSIs): accepted now, applied after the delay. */
  private async updateTable(input: any, raw: RawRequest): Promise<WireResponse> {
    const { TableName, ProvisionedThroughput, GlobalSecondaryIndexUpdates, BillingMode, ...rest } = input;
    const { table, capacity } = this.enforced(TableName);
    const unsupported = Object.keys(rest).filter((name) => !['ReturnConsumedCapacity'].includes(name));
    const gsiOther = (GlobalSecondaryIndexUpdates ?? []).some((u: any) => !u.Update?.ProvisionedThroughput);
    if (unsupported.length > 0 || gsiOther || (BillingMode !== undefined && BillingMode !== table.billingMode)) {
      return wireError(
        'ValidationException',
        `techmoda local emulates UpdateTable of provisioned throughput only; not: ${[...unsupported, ...(gsiOther ? ['GSI create/delete'] : []), ...(BillingMode ? ['BillingMode'] : [])].join(', ')}`,
      );
    }
    const toThroughput = (p: any) => ({
      readUnitsPerSecond: Number(p.ReadCapacityUnits),
      writeUnitsPerSecond: Number(p.WriteCapacityUnits),
    });
    try {
      capacity.requestUpdate(
        {
          table: ProvisionedThroughput ? toThroughput(ProvisionedThroughput) : undefined,
          indexes: Object.fromEntries(
            (GlobalSecondaryIndexUpdates ?? []).map((u: any) => [u.Update.IndexName, toThroughput(u.Update.ProvisionedThroughput)]),
          ),
        },
        this.options.clock.nowMs(),
      );
    } catch (error) {
      if (error instanceof ThroughputUpdateRefused) return wireError(error.exception, error.message);
      throw error;
    }
    const current = await this.options.backend.call('DescribeTable', { TableName });
    void raw;
    return wireResponse(200, { TableDescription: this.describe(TableName, current.output.Table) });
  }

  private withConsumedCapacity(response: WireResponse, output: any, input: any, units: number, indexName?: string): WireResponse {
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

function pickKey(item: Item, table: LocalTable): Item {
  return Object.fromEntries(table.keySchema.map((k) => [k.AttributeName, item[k.AttributeName]])) as Item;
}
