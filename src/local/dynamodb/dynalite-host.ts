import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { LocalTable } from '../../scaling/stack-model.ts';
import { closeDynaliteIteratorsOnReturn, openWithSmallMemtable, storeUnpooledBuffers } from './dynalite-level-fixes.ts';
import { DynaliteBackend } from './dynamodb-backend.ts';

/** Options of {@link startDynalite}. */
export interface DynaliteHostOptions {
  /** Directory for the LevelDB files; in memory when absent. */
  readonly dataDir?: string | undefined;
}

/** The embedded DynamoDB engine: a dynalite server on an ephemeral loopback port and a backend client for it. */
export interface DynaliteHost {
  readonly backend: DynaliteBackend;
  /** Creates the tables that do not exist yet (a `--data` restart finds them). Returns the names created. */
  ensureTables(tables: readonly LocalTable[]): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts dynalite; it never throttles (capacity is the front's job), and creates tables at once. */
export async function startDynalite(options: DynaliteHostOptions = {}): Promise<DynaliteHost> {
  closeDynaliteIteratorsOnReturn();
  storeUnpooledBuffers();
  openWithSmallMemtable();
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir && { path: options.dataDir }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backend = new DynaliteBackend(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    backend,
    async ensureTables(tables) {
      const created: string[] = [];
      for (const table of tables) {
        const existing = await backend.call('DescribeTable', { TableName: table.tableName });
        if (existing.statusCode === 200) continue;
        // dynalite keeps its own throughput numbers, which nothing reads: the front enforces and reports capacity.
        const throughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 };
        const result = await backend.call('CreateTable', {
          TableName: table.tableName,
          KeySchema: table.keySchema,
          AttributeDefinitions: table.attributeDefinitions,
          ProvisionedThroughput: throughput,
          ...(table.indexes.length > 0 && {
            GlobalSecondaryIndexes: table.indexes.map((index) => ({
              IndexName: index.indexName,
              KeySchema: index.keySchema,
              Projection: index.projection,
              ProvisionedThroughput: throughput,
            })),
          }),
        });
        if (result.statusCode !== 200) throw new Error(`creating table ${table.tableName} failed: ${JSON.stringify(result.output)}`);
        created.push(table.tableName);
      }
      return created;
    },
    async close() {
      await backend.close();
      // Closing the server closes dynalite's LevelDB, which flushes a --data directory to disk.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
