import type { APIGatewayProxyResult } from 'aws-lambda';
import { ProductNotFoundError, VersionConflictError } from '../catalog/catalog-errors.ts';
import { parseProductInput, parseProductReplacement } from '../catalog/parse-product-input.ts';
import { categorySchema, type Product, productIdSchema } from '../catalog/product.ts';
import { newProduct, productIdForIdempotencyKey, replacedProduct, requestFingerprint } from '../catalog/product-rules.ts';
import type { Clock } from '../common/clock.ts';
import type { ProductStore } from '../store/product-store.ts';
import { type ApiRequest, readJsonBody, rejectUnknownQuery, singleQueryValue } from './api-request.ts';
import { InvalidParameterError, VersionRequiredError } from './http-errors.ts';
import type { ListCursorCodec } from './list-cursor.ts';
import { emptyResponse, jsonResponse } from './responses.ts';

/** Counters the routes report; the Lambda roots send them as EMF metrics. */
export interface ApiMetrics {
  count(metricName: 'ProductsCreated' | 'ProductsUpdated' | 'ProductsDeleted' | 'StoreThrottles'): void;
}

/** What every route handler receives. */
export interface RouteContext {
  readonly store: ProductStore;
  readonly clock: Clock;
  readonly cursors: ListCursorCodec;
  readonly newId: () => string;
  readonly maxBodyBytes: number;
  readonly metrics: ApiMetrics;
}

/** Name of a route; each deployed function serves a subset. */
export type RouteName = 'listProducts' | 'getProduct' | 'createProduct' | 'replaceProduct' | 'deleteProduct';

/** A route: method, path pattern (`{id}` for the one path parameter) and handler. */
export interface Route {
  readonly name: RouteName;
  readonly method: string;
  readonly resource: '/products' | '/products/{id}';
  readonly handle: (request: ApiRequest, id: string | undefined, context: RouteContext) => Promise<APIGatewayProxyResult>;
}

/** Listing page size: default and maximum. */
export const listLimits = { defaultLimit: 20, maxLimit: 100 } as const;

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/** Every route of the product API. */
export const productRoutes: readonly Route[] = [
  { name: 'listProducts', method: 'GET', resource: '/products', handle: listProducts },
  { name: 'createProduct', method: 'POST', resource: '/products', handle: createProduct },
  { name: 'getProduct', method: 'GET', resource: '/products/{id}', handle: getProduct },
  { name: 'replaceProduct', method: 'PUT', resource: '/products/{id}', handle: replaceProduct },
  { name: 'deleteProduct', method: 'DELETE', resource: '/products/{id}', handle: deleteProduct },
];

async function listProducts(request: ApiRequest, _id: string | undefined, ctx: RouteContext): Promise<APIGatewayProxyResult> {
  rejectUnknownQuery(request, ['limit', 'cursor', 'category']);
  const limit = parseLimit(singleQueryValue(request, 'limit'));
  const category = parseCategory(singleQueryValue(request, 'category'));
  const cursor = singleQueryValue(request, 'cursor');
  const startKey = cursor === undefined ? undefined : ctx.cursors.decode(cursor, category);
  const page = await ctx.store.list({ limit, startKey, category });
  return jsonResponse(200, { items: page.items, nextCursor: page.nextKey ? ctx.cursors.encode(page.nextKey, category) : null });
}

async function getProduct(request: ApiRequest, id: string | undefined, ctx: RouteContext): Promise<APIGatewayProxyResult> {
  rejectUnknownQuery(request, []);
  const productId = parseId(id);
  const product = await ctx.store.get(productId);
  if (!product) throw new ProductNotFoundError(productId);
  return jsonResponse(200, product, { etag: etagOf(product) });
}

async function createProduct(request: ApiRequest, _id: string | undefined, ctx: RouteContext): Promise<APIGatewayProxyResult> {
  rejectUnknownQuery(request, []);
  const idempotencyKey = request.headers.get('idempotency-key');
  if (idempotencyKey !== undefined && !idempotencyKeyPattern.test(idempotencyKey)) {
    throw new InvalidParameterError([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
  }
  const input = parseProductInput(readJsonBody(request, ctx.maxBodyBytes));
  const id = idempotencyKey === undefined ? ctx.newId() : productIdForIdempotencyKey(idempotencyKey);
  const fingerprint = idempotencyKey === undefined ? undefined : requestFingerprint(input);
  const outcome = await ctx.store.create(newProduct(id, input, new Date(ctx.clock.nowMs()).toISOString()), fingerprint);
  if (outcome.created) ctx.metrics.count('ProductsCreated');
  return jsonResponse(201, outcome.product, {
    location: `/products/${encodeURIComponent(outcome.product.id)}`,
    etag: etagOf(outcome.product),
    ...(!outcome.created && { 'idempotent-replayed': 'true' }),
  });
}

async function replaceProduct(request: ApiRequest, id: string | undefined, ctx: RouteContext): Promise<APIGatewayProxyResult> {
  rejectUnknownQuery(request, []);
  const productId = parseId(id);
  const { version: bodyVersion, ...input } = parseProductReplacement(readJsonBody(request, ctx.maxBodyBytes));
  const expectedVersion = expectedVersionOf(request, bodyVersion);
  if (expectedVersion === undefined) throw new VersionRequiredError();
  const current = await ctx.store.get(productId);
  if (!current) throw new ProductNotFoundError(productId);
  // The store re-checks the version atomically; checking here too answers a stale client without a write.
  if (current.version !== expectedVersion) throw new VersionConflictError(productId, expectedVersion, current.version);
  const replacement = replacedProduct(current, input, new Date(ctx.clock.nowMs()).toISOString());
  const saved = await ctx.store.replace(replacement, expectedVersion);
  ctx.metrics.count('ProductsUpdated');
  return jsonResponse(200, saved, { etag: etagOf(saved) });
}

async function deleteProduct(request: ApiRequest, id: string | undefined, ctx: RouteContext): Promise<APIGatewayProxyResult> {
  rejectUnknownQuery(request, []);
  const productId = parseId(id);
  const deleted = await ctx.store.delete(productId, expectedVersionOf(request, undefined));
  if (!deleted) throw new ProductNotFoundError(productId);
  ctx.metrics.count('ProductsDeleted');
  return emptyResponse(204);
}

function parseId(id: string | undefined): string {
  const parsed = productIdSchema.safeParse(id);
  if (!parsed.success) throw new InvalidParameterError([{ field: 'id', message: parsed.error.issues[0]?.message ?? 'is invalid' }]);
  return parsed.data;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return listLimits.defaultLimit;
  const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= listLimits.maxLimit)) {
    throw new InvalidParameterError([{ field: 'limit', message: `must be a whole number from 1 to ${listLimits.maxLimit}` }]);
  }
  return limit;
}

function parseCategory(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const parsed = categorySchema.safeParse(raw);
  if (!parsed.success) throw new InvalidParameterError([{ field: 'category', message: parsed.error.issues[0]?.message ?? 'is invalid' }]);
  return parsed.data;
}

/** The version from If-Match ("3", W/"3" or 3) or the body; both given must agree. */
function expectedVersionOf(request: ApiRequest, bodyVersion: number | undefined): number | undefined {
  const ifMatch = request.headers.get('if-match');
  if (ifMatch === undefined) return bodyVersion;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  const headerVersion = match ? Number(match[1]) : Number.NaN;
  if (!(headerVersion >= 1)) throw new InvalidParameterError([{ field: 'If-Match', message: 'must be a product version such as "3"' }]);
  if (bodyVersion !== undefined && bodyVersion !== headerVersion) {
    throw new InvalidParameterError([{ field: 'If-Match', message: `says version ${headerVersion} but the body says ${bodyVersion}` }]);
  }
  return headerVersion;
}

function etagOf(product: Product): string {
  return `"${product.version}"`;
}
