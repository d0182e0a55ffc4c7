import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Shared by the emulated AWS APIs: reading a request's body and answering with AWS's request id. */

/** The request's body as text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends an answer with `x-amzn-requestid`; no body for undefined. True, as a side route that handled it returns. */
export function sendAws(response: ServerResponse, status: number, contentType: string, body: unknown): true {
  response.statusCode = status;
  response.setHeader('x-amzn-requestid', randomUUID());
  if (body === undefined) response.end();
  else {
    response.setHeader('content-type', contentType);
    response.end(JSON.stringify(body));
  }
  return true;
}
