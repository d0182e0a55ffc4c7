import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenSource } from './token-source.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenSource', () => {
  it('asks for one token at start and the next a minute before the current expires, not before', async () => {
    // A token endpoint on loopback that answers client credentials with two-minute tokens.
    const asked: string[] = [];
    const server = createServer((request, response) => {
      asked.push(request.headers.authorization ?? '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ access_token: `token-${asked.length}`, token_type: 'Bearer', expires_in: 120 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const source = new TokenSource({ tokenUrl, clientId: 'client', clientSecret: 'secret' });
    const seen: string[] = [];
    await source.start((token) => seen.push(token));
    expect(seen).toEqual(['token-1']);
    expect(asked[0]).toBe(`Basic ${Buffer.from('client:secret').toString('base64')}`);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(seen).toEqual(['token-1']);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(seen).toEqual(['token-1', 'token-2']));
    expect(source.requests).toBe(2);
    source.stop();
    server.close();
  });
});
