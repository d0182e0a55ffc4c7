import type { IncomingHttpHeaders } from 'node:http';

/** Inputs of a REST API Lambda proxy (v1) event. */
export interface ProxyEventInput {
  readonly method: string;
  /** Path without the stage ("/products/abc"). */
  readonly path: string;
  readonly resourcePath: string;
  readonly pathParameters: Readonly<Record<string, string>> | null;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly stage: string;
  readonly requestId: string;
  readonly sourceIp: string;
  readonly nowMs: number;
  /** The Cognito authorizer's verified claims, every value a string (B 11.8). */
  readonly claims?: Readonly<Record<string, string>> | undefined;
}

/**
 * The event API Gateway sends a Lambda proxy integration (payload 1.0): single- and multi-value headers and query
 * strings (the single form keeps the last value), path parameters, the body as text, and the request context.
 */
export function buildProxyEvent(input: ProxyEventInput): Record<string, unknown> {
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < input.rawHeaders.length; i += 2) {
    const name = input.rawHeaders[i] as string;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), input.rawHeaders[i + 1] as string];
  }
  const headers = Object.fromEntries(
    Object.entries(multiValueHeaders).map(([name, values]) => [name, values[values.length - 1] as string]),
  );
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of input.url.searchParams) multiValueQuery[name] = [...(multiValueQuery[name] ?? []), value];
  const hasQuery = Object.keys(multiValueQuery).length > 0;
  const hasHeaders = Object.keys(headers).length > 0;
  return {
    resource: input.resourcePath,
    path: input.path,
    httpMethod: input.method,
    headers: hasHeaders ? headers : null,
    multiValueHeaders: hasHeaders ? multiValueHeaders : null,
    queryStringParameters: hasQuery ? Object.fromEntries(Object.entries(multiValueQuery).map(([k, v]) => [k, v[v.length - 1]])) : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: input.pathParameters,
    stageVariables: null,
    // Without binary media types configured, REST APIs pass the body through as text.
    body: input.body.length > 0 ? input.body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      ...(input.claims && { authorizer: { claims: input.claims } }),
      domainName: input.headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      extendedRequestId: input.requestId,
      httpMethod: input.method,
      identity: {
        sourceIp: input.sourceIp,
        userAgent: input.headers['user-agent'] ?? null,
        accessKey: null,
        accountId: null,
        caller: null,
        user: null,
        userArn: null,
      },
      path: `/${input.stage}${input.path}`,
      protocol: 'HTTP/1.1',
      requestId: input.requestId,
      requestTime: new Date(input.nowMs).toUTCString(),
      requestTimeEpoch: input.nowMs,
      resourceId: 'local',
      resourcePath: input.resourcePath,
      stage: input.stage,
    },
  };
}
