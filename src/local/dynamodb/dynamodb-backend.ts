import { Pool } from 'undici';
import type { Item } from '../../scaling/item-size.ts';
import type { WireResponse } from './dynamodb-wire.ts';

// dynalite checks that a request is signed but not the signature; internal calls carry a well-formed dummy.
const internalHeaders = {
  'content-type': 'application/x-amz-json-1.0',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
  'x-amz-date': '20260101T000000Z',
};

/** dynalite behind the front: forwards client requests and answers the front's own look-ups, over keep-alive. */
export class DynaliteBackend {
  private readonly pool: Pool;

  constructor(readonly url: string) {
    this.pool = new Pool(url, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  /** Sends a request as the client sent it. */
  async forward(headers: Record<string, string>, body: Buffer): Promise<WireResponse> {
    const response = await this.pool.request({ path: '/', method: 'POST', headers, body });
    const responseBody = Buffer.from(await response.body.arrayBuffer());
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') responseHeaders[name] = value;
    return { statusCode: response.statusCode, headers: responseHeaders, body: responseBody };
  }

  /** Calls an operation for the front's own purposes (never charged, never throttled). */
  async call(operation: string, input: unknown): Promise<{ statusCode: number; output: unknown }> {
    const response = await this.forward(
      { ...internalHeaders, 'x-amz-target': `DynamoDB_20120810.${operation}` },
      Buffer.from(JSON.stringify(input)),
    );
    return { statusCode: response.statusCode, output: JSON.parse(response.body.toString('utf8') || '{}') };
  }

  /** The item stored under `key`, read consistently, or undefined. */
  async getItem(tableName: string, key: Item): Promise<Item | undefined> {
    const { statusCode, output } = await this.call('GetItem', { TableName: tableName, Key: key, ConsistentRead: true });
    return statusCode === 200 ? (output as { Item?: Item }).Item : undefined;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
