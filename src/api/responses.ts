import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ErrorDetail } from '../common/app-error.ts';

/** A JSON response with the given status and extra headers. */
export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** A body-less response (204). */
export function emptyResponse(statusCode: number, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers, body: '' };
}

/** The error body every failure uses: {"error": {"code", "message", "details"?, "requestId"}}. */
export function errorResponse(
  statusCode: number,
  error: { code: string; message: string; details?: readonly ErrorDetail[] | undefined },
  requestId: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return jsonResponse(
    statusCode,
    { error: { code: error.code, message: error.message, ...(error.details && { details: error.details }), requestId } },
    headers,
  );
}
