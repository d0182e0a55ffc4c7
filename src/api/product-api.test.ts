import type { APIGatewayProxyEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { productBody } from '../../test/support/product-fixtures.ts';
import { jsonEvent, proxyEvent } from '../../test/support/proxy-event.ts';
import { ManualClock } from '../common/clock.ts';
import type { Log } from '../common/log.ts';
import { InMemoryProductStore } from '../store/in-memory-product-store.ts';
import type { ProductStore } from '../store/product-store.ts';
import { StoreThrottledError } from '../store/store-errors.ts';
import { createProductApi, type ProductApi } from './product-api.ts';

let store: InMemoryProductStore;
let api: ProductApi;
let counted: string[];
let ids: number;

function build(overrides: Partial<Parameters<typeof createProductApi>[0]> = {}): ProductApi {
  return createProductApi({
    store,
    clock: new ManualClock(Date.parse('2026-11-29T10:00:00Z')),
    cursorSigningKey: 'products-test',
    newId: () => `id-${++ids}`,
    metrics: { count: (name) => counted.push(name) },
    ...overrides,
  });
}

beforeEach(() => {
  store = new InMemoryProductStore();
  counted = [];
  ids = 0;
  api = build();
});

async function call(event: APIGatewayProxyEvent) {
  const result = await api(event, { awsRequestId: 'lambda-req' });
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
}

async function create(n = 0, headers: Record<string, string> = {}) {
  return call(jsonEvent('POST', '/products', productBody(n), headers));
}

function expectError(result: { statusCode: number; json: any }, status: number, code: string) {
  expect(result.statusCode).toBe(status);
  expect(result.json.error.code).toBe(code);
  expect(typeof result.json.error.message).toBe('string');
  expect(result.json.error.requestId).toMatch(/^req-\d+$/);
}

describe('POST /products', () => {
  it('creates a product with 201, Location, ETag and server fields', async () => {
    const res = await create(1);
    expect(res.statusCode).toBe(201);
    expect(res.headers?.location).toBe('/products/id-1');
    expect(res.headers?.etag).toBe('"1"');
    expect(res.json).toMatchObject({ ...productBody(1), id: 'id-1', version: 1, createdAt: '2026-11-29T10:00:00.000Z' });
    expect(counted).toEqual(['ProductsCreated']);
  });

  it('returns the same product for a retried Idempotency-Key and creates it once', async () => {
    const first = await create(2, { 'Idempotency-Key': 'order-42' });
    const again = await create(2, { 'idempotency-key': 'order-42' });
    expect(again.statusCode).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect((await store.list({ limit: 100 })).items).toHaveLength(1);
    expect(counted).toEqual(['ProductsCreated']);
  });

  it('refuses a reused Idempotency-Key with a different body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await create(3, { 'Idempotency-Key': 'k' });
    expectError(await create(4, { 'Idempotency-Key': 'k' }), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a malformed Idempotency-Key: 400 INVALID_PARAMETER', async () => {
    expectError(await create(3, { 'Idempotency-Key': 'x'.repeat(256) }), 400, 'INVALID_PARAMETER');
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    expectError(
      await call(proxyEvent('POST', '/products', { body: '{"name": ', headers: { 'content-type': 'application/json' } })),
      400,
      'MALFORMED_JSON',
    );
    expectError(await call(proxyEvent('POST', '/products', { headers: { 'content-type': 'application/json' } })), 400, 'MALFORMED_JSON');
  });

  it('answers a non-JSON content type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    expectError(
      await call(proxyEvent('POST', '/products', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectError(await call(proxyEvent('POST', '/products', { body: '{}' })), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body over 64 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ ...productBody(1), description: 'x'.repeat(70_000) });
    expectError(
      await call(proxyEvent('POST', '/products', { body, headers: { 'content-type': 'application/json' } })),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('decodes a base64 body as API Gateway sends binary payloads', async () => {
    const body = Buffer.from(JSON.stringify(productBody(5))).toString('base64');
    const res = await call(
      proxyEvent('POST', '/products', { body, isBase64Encoded: true, headers: { 'content-type': 'application/json; charset=utf-8' } }),
    );
    expect(res.statusCode).toBe(201);
  });

  it('answers validation failures with 400 VALIDATION_FAILED and one detail per field', async () => {
    const res = await call(
      jsonEvent('POST', '/products', {
        ...productBody(1),
        name: '',
        price: { amountMinor: -1, currency: 'XXY' },
        stock: 1.5,
        colour: 'red',
      }),
    );
    expectError(res, 400, 'VALIDATION_FAILED');
    const fields = res.json.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['colour', 'name', 'price.amountMinor', 'price.currency', 'stock']);
  });

  it('refuses a body that is not an object', async () => {
    const res = await call(jsonEvent('POST', '/products', [1, 2]));
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json.error.details[0].field).toBe('(body)');
  });
});

describe('GET /products/{id}', () => {
  it('returns 200 with ETag, or 404 PRODUCT_NOT_FOUND', async () => {
    const created = await create(1);
    const res = await call(proxyEvent('GET', `/products/${created.json.id}`));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual(created.json);
    expectError(await call(proxyEvent('GET', '/products/nope')), 404, 'PRODUCT_NOT_FOUND');
  });

  it('answers an impossible id with 400 INVALID_PARAMETER', async () => {
    expectError(await call(proxyEvent('GET', '/products/has%20space')), 400, 'INVALID_PARAMETER');
  });
});

describe('PUT /products/{id}', () => {
  it('replaces at the current version and bumps it', async () => {
    const created = await create(1);
    const res = await call(jsonEvent('PUT', `/products/${created.json.id}`, productBody(9), { 'If-Match': '"1"' }));
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ ...productBody(9), id: created.json.id, version: 2, createdAt: created.json.createdAt });
    expect(res.headers?.etag).toBe('"2"');
    const viaBody = await call(jsonEvent('PUT', `/products/${created.json.id}`, { ...productBody(8), version: 2 }));
    expect(viaBody.json.version).toBe(3);
  });

  it('refuses a stale version with 412 VERSION_CONFLICT', async () => {
    const created = await create(1);
    await call(jsonEvent('PUT', `/products/${created.json.id}`, productBody(2), { 'If-Match': '1' }));
    const stale = await call(jsonEvent('PUT', `/products/${created.json.id}`, productBody(3), { 'If-Match': '1' }));
    expectError(stale, 412, 'VERSION_CONFLICT');
  });

  it('requires a version: 428 VERSION_REQUIRED', async () => {
    const created = await create(1);
    expectError(await call(jsonEvent('PUT', `/products/${created.json.id}`, productBody(2))), 428, 'VERSION_REQUIRED');
  });

  it('refuses an If-Match that disagrees with the body or is not a version', async () => {
    const created = await create(1);
    expectError(
      await call(jsonEvent('PUT', `/products/${created.json.id}`, { ...productBody(2), version: 1 }, { 'If-Match': '2' })),
      400,
      'INVALID_PARAMETER',
    );
    expectError(
      await call(jsonEvent('PUT', `/products/${created.json.id}`, productBody(2), { 'If-Match': '*' })),
      400,
      'INVALID_PARAMETER',
    );
  });

  it('answers a missing product with 404', async () => {
    expectError(await call(jsonEvent('PUT', '/products/ghost', productBody(2), { 'If-Match': '1' })), 404, 'PRODUCT_NOT_FOUND');
  });
});

describe('DELETE /products/{id}', () => {
  it('deletes with 204, then answers 404 for the missing product', async () => {
    const created = await create(1);
    const res = await call(proxyEvent('DELETE', `/products/${created.json.id}`));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectError(await call(proxyEvent('DELETE', `/products/${created.json.id}`)), 404, 'PRODUCT_NOT_FOUND');
    expect(counted).toEqual(['ProductsCreated', 'ProductsDeleted']);
  });

  it('honours If-Match: a stale version deletes nothing (412)', async () => {
    const created = await create(1);
    expectError(
      await call(proxyEvent('DELETE', `/products/${created.json.id}`, { headers: { 'If-Match': '"7"' } })),
      412,
      'VERSION_CONFLICT',
    );
    expect(await store.get(created.json.id)).toBeDefined();
  });
});

describe('GET /products', () => {
  it('walks a few hundred products through cursors, each exactly once, with and without a category', async () => {
    for (let n = 0; n < 300; n++) await create(n);
    for (const query of [{}, { category: 'bags' }] as Record<string, string>[]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(proxyEvent('GET', '/products', { query: { limit: '37', ...query, ...(cursor && { cursor }) } }));
        expect(res.statusCode).toBe(200);
        seen.push(...res.json.items.map((p: { id: string }) => p.id));
        cursor = res.json.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength('category' in query ? 75 : 300);
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('defaults to 20 items and rejects limits outside 1..100', async () => {
    for (let n = 0; n < 25; n++) await create(n);
    expect((await call(proxyEvent('GET', '/products'))).json.items).toHaveLength(20);
    for (const limit of ['0', '101', 'ten', '-1', '2.5']) {
      expectError(await call(proxyEvent('GET', '/products', { query: { limit } })), 400, 'INVALID_PARAMETER');
    }
  });

  it('rejects a tampered cursor and a cursor from another listing with 400 INVALID_CURSOR', async () => {
    for (let n = 0; n < 10; n++) await create(n);
    const first = await call(proxyEvent('GET', '/products', { query: { limit: '2' } }));
    const cursor: string = first.json.nextCursor;
    const [payload, mac] = cursor.split('.') as [string, string];
    const edited = Buffer.from(JSON.stringify({ v: 1, c: null, k: { id: 'id-9' } })).toString('base64url');
    for (const bad of [`${edited}.${mac}`, `${payload}.${mac.slice(1)}x`, 'garbage', `${payload}`]) {
      expectError(await call(proxyEvent('GET', '/products', { query: { cursor: bad } })), 400, 'INVALID_CURSOR');
    }
    expectError(await call(proxyEvent('GET', '/products', { query: { cursor, category: 'shoes' } })), 400, 'INVALID_CURSOR');
    const otherTable = build({ cursorSigningKey: 'another-table' });
    const res = await otherTable(proxyEvent('GET', '/products', { query: { cursor } }));
    expect(res.statusCode).toBe(400);
  });

  it('rejects unknown query parameters and a bad category', async () => {
    expectError(await call(proxyEvent('GET', '/products', { query: { categroy: 'shoes' } })), 400, 'INVALID_PARAMETER');
    expectError(await call(proxyEvent('GET', '/products', { query: { category: 'Shoes!' } })), 400, 'INVALID_PARAMETER');
  });
});

describe('routing and failures', () => {
  it('answers an unknown path with 404 ROUTE_NOT_FOUND and a wrong method with 405 and Allow', async () => {
    expectError(await call(proxyEvent('GET', '/orders')), 404, 'ROUTE_NOT_FOUND');
    const res = await call(proxyEvent('PATCH', '/products/x'));
    expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers?.allow).toBe('GET, PUT, DELETE');
  });

  it('serves only the routes it is given (one deployed function)', async () => {
    api = build({ routes: ['createProduct'] });
    expect((await create(1)).statusCode).toBe(201);
    expectError(await call(proxyEvent('GET', '/products')), 405, 'METHOD_NOT_ALLOWED');
  });

  it('answers throttling that outlived SDK retries with 503 CAPACITY_EXCEEDED and Retry-After', async () => {
    // dynalite never throttles, so this failure is injected (docs/design.md: mocks only for failures a real part cannot produce).
    const throttled = Object.assign(Object.create(store) as ProductStore, {
      get: async () => {
        throw new StoreThrottledError('GetItem', new Error('ProvisionedThroughputExceededException'));
      },
    });
    api = build({ store: throttled });
    const res = await call(proxyEvent('GET', '/products/abc'));
    expectError(res, 503, 'CAPACITY_EXCEEDED');
    expect(res.headers?.['retry-after']).toBe('1');
    expect(counted).toEqual(['StoreThrottles']);
  });

  it('answers an unexpected failure with 500, a generic message and the request id; details only in the log', async () => {
    const logged: unknown[] = [];
    const log: Log = { debug() {}, info() {}, warn() {}, error: (_m, ...extra) => logged.push(...extra) };
    const broken = Object.assign(Object.create(store) as ProductStore, {
      get: async () => {
        throw new Error('socket hang up at 10.0.0.7');
      },
    });
    api = build({ store: broken, log });
    const res = await call(proxyEvent('GET', '/products/abc'));
    expectError(res, 500, 'INTERNAL_ERROR');
    expect(res.body).not.toContain('10.0.0.7');
    expect(String(logged[0])).toContain('10.0.0.7');
  });

  it('falls back to the Lambda request id when the event has none', async () => {
    const event = proxyEvent('GET', '/products/nope');
    const res = await api({ ...event, requestContext: { ...event.requestContext, requestId: '' } }, { awsRequestId: 'lambda-req' });
    expect(JSON.parse(res.body).error.requestId).toBe('lambda-req');
  });
});
