import { marshall } from '@aws-sdk/util-dynamodb';
import { listLimits } from '../api/product-routes.ts';
import { sampleProducts } from '../catalog/sample-products.ts';
import { UsageError } from '../common/usage-error.ts';
import type { Item } from '../scaling/item-size.ts';
import { getItemPrice, type PricedTable, readPagePrice, writePrice } from '../scaling/request-pricing.ts';
import type { LocalTable } from '../scaling/stack-model.ts';
import { productTableSchema } from '../store/product-table.ts';
import type { RequestDemand } from './request-demand.ts';

/** Bytes of the request fingerprint a create with an Idempotency-Key stores beside the product (a SHA-256 in hex). */
const fingerprintBytes = 64;
/** Products the demand is priced on at most: 250 per category of the sample catalogue, ten pages each. */
const pricingSample = 2_000;

/**
 * What each kind of `techmoda load`'s mix does to DynamoDB, priced on the catalogue the lab seeds: the product API's
 * calls (src/store/dynamodb-product-store.ts) with the units of scaling/request-pricing. Listings read a page of
 * `listLimits.defaultLimit` items (eventually consistent), a get reads one item strongly consistent, a create puts
 * one with its fingerprint, an update reads the item and then updates it (its category may move in the GSI), a delete
 * removes one (DeleteItem is charged on the deleted item's size, and the GSI loses its entry).
 */
export function productApiDemand(tables: readonly LocalTable[], catalogueSize: number): RequestDemand[] {
  const table = tables.find((t) => t.keySchema.some((k) => k.AttributeName === productTableSchema.partitionKey.name));
  if (!table) throw new UsageError(`the stack has no products table (a table keyed on "${productTableSchema.partitionKey.name}")`);
  const indexName = productTableSchema.categoryIndex.indexName;
  const priced: PricedTable = { keySchema: table.keySchema, indexes: table.indexes };
  // Priced on at most `pricingSample` products: beyond it every category's first page is full and the per-item
  // means are the generator's (marshalling and sizing a day's 100,000 creates took 8 s of `techmoda plan`).
  const products = sampleProducts(Math.max(1, Math.min(catalogueSize, pricingSample)), 1, 0);
  const wire = (value: object): Item => marshall(value, { removeUndefinedValues: true }) as unknown as Item;
  const catalogue = products.map(wire);
  const page = listLimits.defaultLimit;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const categories = [...new Set(products.map((p) => p.category))];
  // Each product marshalled once per shape it is priced in: as stored by a create (with its fingerprint), and as read.
  const stored = products.map((p) => wire({ ...p, requestFingerprint: 'f'.repeat(fingerprintBytes) }));
  const writes = stored.map((item) => writePrice(priced, undefined, item));
  const updates = products.map((p, i) => {
    const other = products[(i + 1) % products.length] as typeof p;
    return writePrice(priced, catalogue[i], wire({ ...p, category: other.category, version: p.version + 1 }));
  });
  const deletes = stored.map((item) => writePrice(priced, item, undefined));
  const indexUnits = (prices: { indexes: Readonly<Record<string, number>> }[]) =>
    Object.fromEntries(table.indexes.map((i) => [i.indexName, mean(prices.map((p) => p.indexes[i.indexName] ?? 0))]));
  const read = (operation: string, units: number, index?: string) =>
    ({ operation, tableName: table.tableName, indexName: index, kind: 'read', units }) as const;
  const getItem = read('GetItem', mean(catalogue.map((p) => getItemPrice(p, true))));
  return [
    {
      kind: 'list',
      method: 'GET',
      resourcePath: '/products',
      operations: [read('Scan', readPagePrice({ items: catalogue.slice(0, page), scannedCount: Math.min(page, catalogue.length) }, false))],
    },
    {
      kind: 'listByCategory',
      method: 'GET',
      resourcePath: '/products',
      operations: [
        read(
          'Query',
          mean(
            categories.map((c) => {
              const items = catalogue.filter((_, i) => products[i]?.category === c).slice(0, page);
              return readPagePrice({ items, scannedCount: items.length }, false);
            }),
          ),
          indexName,
        ),
      ],
    },
    { kind: 'get', method: 'GET', resourcePath: '/products/{id}', operations: [getItem] },
    {
      kind: 'create',
      method: 'POST',
      resourcePath: '/products',
      operations: [
        {
          operation: 'PutItem',
          tableName: table.tableName,
          kind: 'write',
          units: mean(writes.map((w) => w.table)),
          indexUnits: indexUnits(writes),
        },
      ],
    },
    {
      kind: 'update',
      method: 'PUT',
      resourcePath: '/products/{id}',
      operations: [
        getItem,
        {
          operation: 'UpdateItem',
          tableName: table.tableName,
          kind: 'write',
          units: mean(updates.map((w) => w.table)),
          indexUnits: indexUnits(updates),
        },
      ],
    },
    {
      kind: 'delete',
      method: 'DELETE',
      resourcePath: '/products/{id}',
      operations: [
        {
          operation: 'DeleteItem',
          tableName: table.tableName,
          kind: 'write',
          units: mean(deletes.map((w) => w.table)),
          indexUnits: indexUnits(deletes),
        },
      ],
    },
  ];
}
