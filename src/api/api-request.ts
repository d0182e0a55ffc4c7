import type { APIGatewayProxyEvent } from 'aws-lambda';
import { InvalidParameterError, MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors.ts';

/** The parts of a REST proxy event the routes use, normalised: lower-case headers, decoded body. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly headers: ReadonlyMap<string, string>;
  readonly query: ReadonlyMap<string, readonly string[]>;
  readonly body: Buffer | undefined;
  readonly requestId: string;
}

/** Normalises a REST proxy event (v1). Single- and multi-value forms are merged; header names lower-cased. */
export function toApiRequest(event: APIGatewayProxyEvent, fallbackRequestId: string): ApiRequest {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name.toLowerCase(), value);
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values?.length && !headers.has(name.toLowerCase())) headers.set(name.toLowerCase(), values.join(', '));
  }
  const query = new Map<string, string[]>();
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) if (values) query.set(name, [...values]);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !query.has(name)) query.set(name, [value]);
  }
  const body =
    event.body === null || event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    pathParameters: Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >,
    headers,
    query,
    body,
    requestId: event.requestContext?.requestId || fallbackRequestId,
  };
}

/** The single value of a query parameter; repeating it is an error. */
export function singleQueryValue(request: ApiRequest, name: string): string | undefined {
  const values = request.query.get(name);
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidParameterError([{ field: name, message: 'must be given once' }]);
  return values[0];
}

/** Rejects query parameters outside `known`, so a typo ("categroy") does not silently list everything. */
export function rejectUnknownQuery(request: ApiRequest, known: readonly string[]): void {
  const unknown = [...request.query.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new InvalidParameterError(
      unknown.map((name) => ({ field: name, message: `is not a known query parameter (known: ${known.join(', ') || 'none'})` })),
    );
  }
}

/** Checks content type and size, then parses the JSON body. */
export function readJsonBody(request: ApiRequest, maxBodyBytes: number): unknown {
  const contentType = request.headers.get('content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json' && !mediaType?.endsWith('+json')) throw new UnsupportedMediaTypeError(contentType);
  const body = request.body ?? Buffer.alloc(0);
  if (body.length > maxBodyBytes) throw new PayloadTooLargeError(body.length, maxBodyBytes);
  if (body.length === 0) throw new MalformedJsonError('the body is empty');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MalformedJsonError((error as Error).message);
  }
}
