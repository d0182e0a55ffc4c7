import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.ts';
import { LocalCloud, type LocalCloudOptions } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import type { StackModel } from '../src/scaling/stack-model.ts';
import { jsonBody } from './support/json-body.ts';
import { startLatchServer } from './support/latch-server.ts';

const fixture = new URL('./fixtures/gateway-stack/GatewayStack.template.json', import.meta.url).pathname;
const model = readStackModel(fixture);
let cloud: LocalCloud | undefined;

async function start(options: Partial<LocalCloudOptions> = {}, variant: Partial<StackModel> = {}): Promise<string> {
  cloud = new LocalCloud({ model: { ...model, ...variant }, port: 0, coldStartDelayMs: 0, ...options });
  return (await cloud.start()).apiUrl;
}

afterEach(async () => {
  await cloud?.stop();
  cloud = undefined;
});

describe('local API Gateway (docs/aws-facts.md B 5.18, 6)', () => {
  it('reads the fixture template: routes, stage, functions, and what it does not emulate', () => {
    expect(model.api?.stageName).toBe('test');
    expect(model.api?.routes.map((r) => `${r.method} ${r.resourcePath} -> ${r.functionName}`).sort()).toEqual([
      'GET /limited -> Reserved',
      'GET /things/{mode} -> Misbehaving',
      'POST /things/{mode} -> Misbehaving',
    ]);
    expect(model.functions.find((f) => f.name === 'Misbehaving')).toMatchObject({
      timeoutMs: 1_000,
      environment: { GREETING: 'hello from GatewayStack' },
    });
    expect(model.notEmulated).toEqual({ 'AWS::SNS::Topic': 1 });
  });

  it('sends a REST v1 proxy event: path and query parameters, multi-value forms, headers, body, request context', async () => {
    const api = await start();
    const response = await fetch(`${api}/things/echo?size=M&color=red&color=blue`, { headers: { 'x-trace': 'one' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const { event, env, remainingMs } = await jsonBody(response);
    expect(event).toMatchObject({
      resource: '/things/{mode}',
      path: '/things/echo',
      httpMethod: 'GET',
      pathParameters: { mode: 'echo' },
      queryStringParameters: { size: 'M', color: 'blue' },
      multiValueQueryStringParameters: { size: ['M'], color: ['red', 'blue'] },
      isBase64Encoded: false,
      body: null,
      requestContext: { stage: 'test', resourcePath: '/things/{mode}', httpMethod: 'GET', path: '/test/things/echo' },
    });
    expect(event.headers['x-trace']).toBe('one');
    expect(event.requestContext.requestId).toBe(response.headers.get('x-amzn-requestid'));
    expect(env).toBe('hello from GatewayStack');
    expect(remainingMs).toBeGreaterThan(0);
    expect(remainingMs).toBeLessThanOrEqual(1_000);
  });

  it('passes a request body through as text and decodes base64 and multi-value results', async () => {
    const api = await start();
    const echoed = await jsonBody(
      await fetch(`${api}/things/echo`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }),
    );
    expect(echoed.event.body).toBe('{"a":1}');
    const binary = await fetch(`${api}/things/binary`);
    expect([...new Uint8Array(await binary.arrayBuffer())]).toEqual([1, 2, 3]);
    const multi = await fetch(`${api}/things/multi`);
    expect(multi.status).toBe(201);
    expect(multi.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('answers an unknown route or method with 403 Missing Authentication Token', async () => {
    const api = await start();
    for (const [url, method] of [
      [`${api}/nothing`, 'GET'],
      [`${api}/things/echo`, 'DELETE'],
      [api.replace('/test', '/prod/things/echo'), 'GET'],
    ] as const) {
      const response = await fetch(url, { method });
      expect(response.status).toBe(403);
      expect(await jsonBody(response)).toEqual({ message: 'Missing Authentication Token' });
    }
  });

  it('answers 502 when the function throws or returns a malformed result', async () => {
    const api = await start();
    for (const mode of ['throw', 'malformed']) {
      const response = await fetch(`${api}/things/${mode}`);
      expect(response.status).toBe(502);
      expect(await jsonBody(response)).toEqual({ message: 'Internal server error' });
    }
  });

  it('answers 502 past the function timeout, and the environment is replaced (next call cold-starts)', async () => {
    const api = await start();
    const response = await fetch(`${api}/things/slow?ms=1500`);
    expect(response.status).toBe(502);
    const before = cloud?.summary.total.coldStarts ?? 0;
    expect((await fetch(`${api}/things/fine`)).status).toBe(200);
    expect(cloud?.summary.total.coldStarts).toBe(before + 1);
  });

  it('answers 504 past the integration timeout', async () => {
    const api = await start({ integrationTimeoutMs: 200 });
    const response = await fetch(`${api}/things/slow?ms=600`);
    expect(response.status).toBe(504);
    expect(await jsonBody(response)).toEqual({ message: 'Endpoint request timed out' });
  });

  it('answers 413 past the 10 MB payload limit', async () => {
    const api = await start();
    const response = await fetch(`${api}/things/echo`, { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(response.status).toBe(413);
  });

  it('throttles a burst above the stage default method limit with 429 Too Many Requests', async () => {
    // A clock that does not move: the stage bucket (rate 1/s, burst 5) never refills, so exactly its burst passes.
    const api = await start(
      { clock: new ManualClock(Date.now()) },
      { api: { ...(model.api as NonNullable<StackModel['api']>), defaultThrottle: { ratePerSecond: 1, burst: 5 } } },
    );
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${api}/things/fast`)));
    const throttled = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    expect(throttled).toHaveLength(15);
    expect(await jsonBody(throttled[0])).toEqual({ message: 'Too Many Requests' });
    expect(cloud?.summary.total.gatewayThrottles).toBe(15);
  });

  it('answers 500 when the function is at its reserved concurrency (Lambda throttled the invoke)', async () => {
    // The two environments reserved concurrency allows stay busy on the latch until the other eight are answered.
    const latch = await startLatchServer();
    try {
      const api = await start();
      let answered = 0;
      const requests = Array.from({ length: 10 }, () =>
        fetch(`${api}/limited?latch=${encodeURIComponent(latch.url)}`).then((response) => {
          answered += 1;
          if (answered === 8) latch.release();
          return response;
        }),
      );
      const responses = await Promise.all(requests);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(2);
      const refused = responses.filter((r) => r.status === 500);
      expect(refused).toHaveLength(8);
      expect(await jsonBody(refused[0])).toEqual({ message: 'Internal server error' });
      expect(cloud?.summary.total).toMatchObject({ lambdaThrottles: 8, coldStarts: 2, peakConcurrency: { Reserved: 2 } });
    } finally {
      latch.release();
      await latch.close();
    }
  });
});
