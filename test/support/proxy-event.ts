import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Options of {@link proxyEvent}. */
export interface ProxyEventOptions {
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

let requestCounter = 0;

/** An API Gateway REST proxy (v1) event as the gateway sends it for `method path`. */
export function proxyEvent(method: string, path: string, options: ProxyEventOptions = {}): APIGatewayProxyEvent {
  requestCounter += 1;
  const segments = path.split('/').filter(Boolean);
  const resource = segments.length === 2 ? '/products/{id}' : '/products';
  const query = options.query;
  const headers = options.headers ?? {};
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: segments.length === 2 ? { id: decodeURIComponent(segments[1] as string) } : null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: { sourceIp: '127.0.0.1', userAgent: 'vitest' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/prod${path}`,
      stage: 'prod',
      requestId: `req-${requestCounter}`,
      requestTimeEpoch: 0,
      resourceId: 'local',
      resourcePath: resource,
    },
  };
}

/** A JSON-bodied event. */
export function jsonEvent(method: string, path: string, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEvent {
  return proxyEvent(method, path, { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
}
