import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DynaliteHost, startDynalite } from '../src/local/dynamodb/dynalite-host.ts';
import {
  dataDirWriteBufferBytes,
  dynaliteLevelIterators,
  dynaliteMemoryLevel,
  storeUnpooledBuffers,
} from '../src/local/dynamodb/dynalite-level-fixes.ts';
import type { LocalTable } from '../src/scaling/stack-model.ts';

const table: LocalTable = {
  logicalId: 'Items',
  tableName: 'items',
  keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  attributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'category', AttributeType: 'S' },
  ],
  indexes: [
    { indexName: 'byCategory', keySchema: [{ AttributeName: 'category', KeyType: 'HASH' }], projection: { ProjectionType: 'ALL' } },
  ],
  billingMode: 'PROVISIONED',
  readUnits: 5,
  writeUnits: 5,
  maxOnDemand: undefined,
};

let host: DynaliteHost | undefined;
const restore: (() => void)[] = [];
afterEach(async () => {
  for (const undo of restore.splice(0)) undo();
  await host?.close();
  host = undefined;
});

describe('embedded dynalite', () => {
  it('closes the iterator of every Scan and Query, also when a Limit stops it early (no memory held per read)', async () => {
    // Track iterators that read and were not closed, on the abstract-level instance dynalite itself uses.
    const open = new Set<object>();
    for (const iterator of dynaliteLevelIterators()) {
      const prototype = iterator.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
      const next = prototype.next;
      const close = prototype.close;
      if (!next || !close) continue;
      prototype.next = function (this: object, ...args: unknown[]) {
        open.add(this);
        return next.apply(this, args);
      };
      prototype.close = function (this: object, ...args: unknown[]) {
        open.delete(this);
        return close.apply(this, args);
      };
      restore.push(() => {
        prototype.next = next;
        prototype.close = close;
      });
    }
    host = await startDynalite();
    await host.ensureTables([table]);
    for (let i = 0; i < 20; i++)
      await host.backend.call('PutItem', { TableName: 'items', Item: { id: { S: `p${i}` }, category: { S: i % 2 ? 'shoes' : 'bags' } } });
    for (let i = 0; i < 50; i++) {
      expect((await host.backend.call('Scan', { TableName: 'items', Limit: 2 })).statusCode).toBe(200);
      expect((await host.backend.call('Scan', { TableName: 'items' })).statusCode).toBe(200);
      const query = { TableName: 'items', IndexName: 'byCategory', KeyConditionExpression: 'category = :c', Limit: 3 };
      expect((await host.backend.call('Query', { ...query, ExpressionAttributeValues: { ':c': { S: 'shoes' } } })).statusCode).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // closing is asynchronous
    expect(open.size).toBe(0);
  });

  it('stores each key and value in a buffer of its own size, not a slice pinning an 8 KB pool slab', async () => {
    storeUnpooledBuffers();
    const db = new (dynaliteMemoryLevel())({ valueEncoding: 'json' }) as {
      put(key: string, value: unknown): Promise<void>;
      batch(ops: { type: 'put'; key: string; value: unknown }[]): Promise<void>;
      get(key: string, options: { valueEncoding: 'buffer'; keyEncoding?: 'utf8' }): Promise<Buffer>;
      close(): Promise<void>;
    };
    await db.put('product#1', { name: 'linen dress' });
    await db.batch([{ type: 'put', key: 'product#2', value: { name: 'wool coat' } }]);
    for (const key of ['product#1', 'product#2']) {
      const stored = await db.get(key, { valueEncoding: 'buffer' });
      expect(stored.byteLength).toBeLessThan(100);
      expect(stored.buffer.byteLength).toBe(stored.byteLength); // without the fix: 8,192 (Node's Buffer pool)
    }
    await db.close();
  });

  it('opens a --data table with a 1 MB memtable: 1.5 MB of writes reach a table file before close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dynalite-memtable-'));
    host = await startDynalite({ dataDir });
    await host.ensureTables([table]);
    const description = 'x'.repeat(1000);
    const written = 1.5 * dataDirWriteBufferBytes;
    for (let i = 0; i < written / description.length; i++)
      await host.backend.call('PutItem', { TableName: 'items', Item: { id: { S: `p${i}` }, description: { S: `${i}${description}` } } });
    // LevelDB writes a full memtable to a .ldb table file in the background; with its 4 MB default nothing is full yet.
    await expect.poll(() => readdirSync(dataDir).filter((name) => name.endsWith('.ldb')).length, { timeout: 5000 }).toBeGreaterThan(0);
  });
});
