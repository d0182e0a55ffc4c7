import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyKeyReusedError, ProductNotFoundError, VersionConflictError } from '../src/catalog/catalog-errors.ts';
import type { Product } from '../src/catalog/product.ts';
import { newProduct, replacedProduct } from '../src/catalog/product-rules.ts';
import { DynamoDbProductStore } from '../src/store/dynamodb-product-store.ts';
import { InMemoryProductStore } from '../src/store/in-memory-product-store.ts';
import type { ProductStore, StoreKey } from '../src/store/product-store.ts';
import { type DynaliteServer, startDynalite } from './support/dynalite-server.ts';
import { productBody } from './support/product-fixtures.ts';

let dynamo: DynaliteServer;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => dynamo.close());

const adapters: [string, () => Promise<ProductStore>][] = [
  ['InMemoryProductStore', async () => new InMemoryProductStore()],
  [
    'DynamoDbProductStore on dynalite',
    async () => new DynamoDbProductStore({ client: dynamo.documentClient, tableName: await dynamo.createProductTable() }),
  ],
];

function product(n: number, at = `2026-11-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`): Product {
  return newProduct(`p-${String(n).padStart(4, '0')}`, productBody(n), at);
}

async function walk(store: ProductStore, category?: string, limit = 7): Promise<Product[]> {
  const seen: Product[] = [];
  let startKey: StoreKey | undefined;
  do {
    const page = await store.list({ limit, startKey, category });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    startKey = page.nextKey;
  } while (startKey);
  return seen;
}

describe.each(adapters)('ProductStore contract: %s', (_name, makeStore) => {
  it('returns undefined for an absent product and the stored product after create', async () => {
    const store = await makeStore();
    expect(await store.get('absent')).toBeUndefined();
    const created = await store.create(product(1));
    expect(created.created).toBe(true);
    expect(await store.get('p-0001')).toEqual(product(1));
  });

  it('keeps optional fields absent rather than null', async () => {
    const store = await makeStore();
    const { imageUrl: _dropped, ...withoutImage } = product(2);
    await store.create(withoutImage as Product);
    expect(await store.get('p-0002')).not.toHaveProperty('imageUrl');
  });

  it('returns the existing product for a create retried with the same fingerprint', async () => {
    const store = await makeStore();
    await store.create(product(3), 'fp-a');
    const retried = await store.create({ ...product(3), name: 'different timestamp irrelevant' }, 'fp-a');
    expect(retried).toEqual({ product: product(3), created: false });
  });

  it('refuses a create whose id exists with another fingerprint, or without one', async () => {
    const store = await makeStore();
    await store.create(product(4), 'fp-a');
    await expect(store.create(product(4), 'fp-b')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(store.create(product(4))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('replaces only at the expected version', async () => {
    const store = await makeStore();
    await store.create(product(5), 'fp');
    const next = replacedProduct(product(5), productBody(50), '2026-11-02T00:00:00.000Z');
    expect(await store.replace(next, 1)).toEqual(next);
    expect(await store.get('p-0005')).toEqual(next);
    await expect(store.replace(next, 1)).rejects.toBeInstanceOf(VersionConflictError);
    // The create fingerprint survives a replace, so a late retry of the create is still recognised.
    expect((await store.create(product(5), 'fp')).created).toBe(false);
  });

  it('reports a replace of an absent product as not found', async () => {
    const store = await makeStore();
    await expect(store.replace(product(6), 1)).rejects.toBeInstanceOf(ProductNotFoundError);
  });

  it('removes an optional field on replace when the replacement lacks it', async () => {
    const store = await makeStore();
    await store.create(product(7));
    const { imageUrl: _dropped, ...rest } = replacedProduct(product(7), productBody(7), '2026-11-02T00:00:00.000Z');
    await store.replace(rest as Product, 1);
    expect(await store.get('p-0007')).not.toHaveProperty('imageUrl');
  });

  it('deletes and returns the product once; a version mismatch deletes nothing', async () => {
    const store = await makeStore();
    await store.create(product(8));
    await expect(store.delete('p-0008', 2)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.delete('p-0008', 1)).toEqual(product(8));
    expect(await store.delete('p-0008')).toBeUndefined();
    expect(await store.get('p-0008')).toBeUndefined();
  });

  it('walks every product exactly once with and without a category', async () => {
    const store = await makeStore();
    const all = Array.from({ length: 240 }, (_, n) => product(n));
    for (const p of all) await store.create(p);
    const walked = await walk(store);
    expect(walked).toHaveLength(240);
    expect(new Set(walked.map((p) => p.id)).size).toBe(240);
    const shoes = await walk(store, 'shoes', 9);
    expect(shoes.map((p) => p.id).sort()).toEqual(
      all
        .filter((p) => p.category === 'shoes')
        .map((p) => p.id)
        .sort(),
    );
    const createdAt = shoes.map((p) => p.createdAt);
    expect(createdAt).toEqual([...createdAt].sort().reverse());
  });
});
