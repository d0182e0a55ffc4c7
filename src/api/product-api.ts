import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AppError } from '../common/app-error.ts';
import type { Clock } from '../common/clock.ts';
import { type Log, silentLog } from '../common/log.ts';
import type { ProductStore } from '../store/product-store.ts';
import { type ApiRequest, toApiRequest } from './api-request.ts';
import { errorStatuses, isApiErrorCode } from './error-statuses.ts';
import { MethodNotAllowedError, RouteNotFoundError } from './http-errors.ts';
import { ListCursorCodec } from './list-cursor.ts';
import { type ApiMetrics, productRoutes, type Route, type RouteContext, type RouteName } from './product-routes.ts';
import { errorResponse } from './responses.ts';

/** Options of {@link createProductApi}. */
export interface ProductApiOptions {
  readonly store: ProductStore;
  readonly clock: Clock;
  /** Key of the cursors' integrity check; the table name binds cursors to one table. */
  readonly cursorSigningKey: string;
  /** Which routes this deployment serves. @default every route */
  readonly routes?: readonly RouteName[];
  /** Largest accepted request body. @default 65_536 (64 KiB: a product is well under 8 KiB) */
  readonly maxBodyBytes?: number;
  /** New product ids. @default 16 random bytes, base64url (22 URL-safe characters) */
  readonly newId?: () => string;
  /** @default silentLog */
  readonly log?: Log;
  /** @default counters dropped */
  readonly metrics?: ApiMetrics;
}

/** The minimal Lambda context the API reads. */
export interface InvocationContext {
  readonly awsRequestId: string;
}

/** A REST proxy handler for the product API. */
export type ProductApi = (event: APIGatewayProxyEvent, context?: InvocationContext) => Promise<APIGatewayProxyResult>;

/** Seconds a throttled client is told to wait; DynamoDB refills capacity every second. */
const throttledRetryAfterSeconds = 1;

/** Builds the product API over a store. Routing, parsing and error mapping live here, once. */
export function createProductApi(options: ProductApiOptions): ProductApi {
  const enabled = new Set(options.routes ?? productRoutes.map((route) => route.name));
  const routes = productRoutes.filter((route) => enabled.has(route.name));
  const log = options.log ?? silentLog;
  const metrics = options.metrics ?? { count: () => {} };
  const context: RouteContext = {
    store: options.store,
    clock: options.clock,
    cursors: new ListCursorCodec(options.cursorSigningKey),
    newId: options.newId ?? (() => randomBytes(16).toString('base64url')),
    maxBodyBytes: options.maxBodyBytes ?? 65_536,
    metrics,
  };

  return async (event, invocation) => {
    let request: ApiRequest | undefined;
    try {
      request = toApiRequest(event, invocation?.awsRequestId ?? 'unknown');
      const { route, id } = match(routes, request);
      return await route.handle(request, id, context);
    } catch (error) {
      return toErrorResponse(error, request?.requestId ?? invocation?.awsRequestId ?? 'unknown', log, metrics);
    }
  };
}

function match(routes: readonly Route[], request: ApiRequest): { route: Route; id: string | undefined } {
  const segments = request.path.split('/').filter(Boolean);
  const resource =
    segments.length === 1 && segments[0] === 'products'
      ? '/products'
      : segments.length === 2 && segments[0] === 'products'
        ? '/products/{id}'
        : undefined;
  const candidates = routes.filter((route) => route.resource === resource);
  if (candidates.length === 0) throw new RouteNotFoundError(request.method, request.path);
  const route = candidates.find((candidate) => candidate.method === request.method);
  if (!route)
    throw new MethodNotAllowedError(
      request.method,
      request.path,
      candidates.map((c) => c.method),
    );
  const id = resource === '/products/{id}' ? (request.pathParameters.id ?? safeDecode(segments[1] as string)) : undefined;
  return { route, id };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes: the id validation rejects it with a 400
  }
}

function toErrorResponse(error: unknown, requestId: string, log: Log, metrics: ApiMetrics): APIGatewayProxyResult {
  if (error instanceof AppError && isApiErrorCode(error.code) && error.code !== 'INTERNAL_ERROR') {
    const status = errorStatuses[error.code];
    const headers: Record<string, string> = {};
    if (error.code === 'CAPACITY_EXCEEDED') {
      metrics.count('StoreThrottles');
      headers['retry-after'] = String(throttledRetryAfterSeconds);
      log.warn('store throttled after SDK retries', { code: error.code, cause: String((error as Error).cause) });
    } else if (error instanceof MethodNotAllowedError) {
      headers.allow = error.allowedMethods.join(', ');
    }
    return errorResponse(status, error, requestId, headers);
  }
  // Internals go to the log only; the client gets the request id to quote.
  if (error instanceof Error) log.error('unexpected error', error);
  else log.error('unexpected error', { error: String(error) });
  return errorResponse(
    500,
    { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred; quote the request id if you report it' },
    requestId,
  );
}
