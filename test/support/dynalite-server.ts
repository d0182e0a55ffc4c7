import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { productTableCreateInput, type TableCapacity } from '../../src/store/product-table.ts';

/** A dynalite server on 127.0.0.1, an ephemeral port, for one test file. */
export interface DynaliteServer {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  /** Creates a products table (schema from src/store/product-table.ts) and returns its name. */
  createProductTable(capacity?: TableCapacity): Promise<string>;
  close(): Promise<void>;
}

let tableCounter = 0;

/** Starts dynalite in memory with instant table creation. */
export async function startDynalite(): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    client,
    documentClient,
    async createProductTable(capacity) {
      tableCounter += 1;
      const name = `products-${process.pid}-${tableCounter}`;
      await client.send(new CreateTableCommand(productTableCreateInput(name, capacity ?? { readCapacityUnits: 5, writeCapacityUnits: 5 })));
      return name;
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
