import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** A response in DynamoDB's JSON 1.0 protocol. */
export interface WireResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * A DynamoDB-shaped answer: `application/x-amz-json-1.0`, a request id, and the CRC32 of the body that the SDK may
 * verify (docs/aws-facts.md B 2.7).
 */
export function wireResponse(statusCode: number, payload: unknown, requestId: string = randomUUID()): WireResponse {
  const body = Buffer.from(JSON.stringify(payload));
  return {
    statusCode,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId, 'x-amz-crc32': String(crc32(body)) },
    body,
  };
}

/** A DynamoDB error: HTTP 400 (or given status) with `__type` and `message`, plus any extra fields. */
export function wireError(exception: string, message: string, extra: Record<string, unknown> = {}, statusCode = 400): WireResponse {
  return wireResponse(statusCode, { __type: `com.amazonaws.dynamodb.v20120810#${exception}`, message, ...extra });
}
