import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductFunction, type ProductHandler } from '../src/lambda/product-function.ts';
import { type DynaliteServer, startDynalite } from './support/dynalite-server.ts';
import { productBody } from './support/product-fixtures.ts';
import { jsonEvent, proxyEvent } from './support/proxy-event.ts';

// The four deployed functions, as src/lambda/*.ts build them, on one dynalite table.
let dynamo: DynaliteServer;
let getProducts: ProductHandler;
let createProduct: ProductHandler;
let updateProduct: ProductHandler;
let deleteProduct: ProductHandler;

const context = { awsRequestId: 'lambda-1', functionName: 'test', getRemainingTimeInMillis: () => 3000 } as unknown as Context;

beforeAll(async () => {
  dynamo = await startDynalite();
  const env = {
    PRODUCTS_TABLE_NAME: await dynamo.createProductTable(),
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  };
  getProducts = createProductFunction({ routes: ['listProducts', 'getProduct'], env });
  createProduct = createProductFunction({ routes: ['createProduct'], env });
  updateProduct = createProductFunction({ routes: ['replaceProduct'], env });
  deleteProduct = createProductFunction({ routes: ['deleteProduct'], env });
});
afterAll(async () => dynamo.close());

describe('product functions on dynalite', () => {
  it('names every missing environment variable at start-up', () => {
    expect(() => createProductFunction({ routes: ['getProduct'], env: {} })).toThrow(
      /Missing required environment variables: PRODUCTS_TABLE_NAME/,
    );
  });

  it('creates, reads, replaces and deletes a product; every acknowledged write is readable', async () => {
    const created = await createProduct(jsonEvent('POST', '/products', productBody(1)), context);
    expect(created.statusCode).toBe(201);
    const { id } = JSON.parse(created.body);
    const read = await getProducts(proxyEvent('GET', `/products/${id}`), context);
    expect(JSON.parse(read.body)).toEqual(JSON.parse(created.body));
    const replaced = await updateProduct(jsonEvent('PUT', `/products/${id}`, productBody(2), { 'If-Match': '"1"' }), context);
    expect(replaced.statusCode).toBe(200);
    expect(JSON.parse((await getProducts(proxyEvent('GET', `/products/${id}`), context)).body).version).toBe(2);
    const stale = await updateProduct(jsonEvent('PUT', `/products/${id}`, productBody(3), { 'If-Match': '"1"' }), context);
    expect(stale.statusCode).toBe(412);
    expect((await deleteProduct(proxyEvent('DELETE', `/products/${id}`), context)).statusCode).toBe(204);
    expect((await getProducts(proxyEvent('GET', `/products/${id}`), context)).statusCode).toBe(404);
    expect((await deleteProduct(proxyEvent('DELETE', `/products/${id}`), context)).statusCode).toBe(404);
  });

  it('creates one product when retries with one Idempotency-Key arrive at the same time', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () =>
        createProduct(jsonEvent('POST', '/products', productBody(77), { 'Idempotency-Key': 'flash-sale-77' }), context),
      ),
    );
    expect(attempts.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    const ids = new Set(attempts.map((r) => JSON.parse(r.body).id));
    expect(ids.size).toBe(1);
    const listed = await getProducts(
      proxyEvent('GET', '/products', { query: { category: productBody(77).category, limit: '100' } }),
      context,
    );
    const matching = JSON.parse(listed.body).items.filter((p: { name: string }) => p.name === productBody(77).name);
    expect(matching).toHaveLength(1);
    expect(attempts.filter((r) => r.headers?.['idempotent-replayed'] === 'true')).toHaveLength(11);
  });

  it('walks a category on the GSI newest first through cursors', async () => {
    for (let n = 0; n < 40; n++)
      expect((await createProduct(jsonEvent('POST', '/products', productBody(n * 4, { category: 'coats' })), context)).statusCode).toBe(
        201,
      );
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await getProducts(
        proxyEvent('GET', '/products', { query: { category: 'coats', limit: '6', ...(cursor && { cursor }) } }),
        context,
      );
      const page = JSON.parse(res.body);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((p) => p.id)).size).toBe(40);
    expect(seen.map((p) => p.createdAt)).toEqual(
      seen
        .map((p) => p.createdAt)
        .sort()
        .reverse(),
    );
  });

  it('keeps each function to its own routes', async () => {
    const res = await createProduct(proxyEvent('GET', '/products'), context);
    expect(res.statusCode).toBe(405);
  });
});
