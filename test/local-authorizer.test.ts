import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dashboardRoutes } from '../src/dashboard/dashboard-routes.ts';
import { LocalCloud, type LocalEndpoints } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { backOfficeToken } from './support/back-office-token.ts';
import { jsonBody } from './support/json-body.ts';
import { productBody } from './support/product-fixtures.ts';

const templatePath = inject('stackTemplatePath');
const clouds: LocalCloud[] = [];
const functionLines: string[] = [];

async function start(scopeMissStatus?: 401 | 403): Promise<LocalEndpoints> {
  const cloud = new LocalCloud({
    model: readStackModel(templatePath),
    port: 0,
    coldStartDelayMs: 0,
    scopeMissStatus,
    functionLog: (_fn, line) => functionLines.push(line),
    controlPlaneRoutes: dashboardRoutes,
  });
  clouds.push(cloud);
  return cloud.start();
}

afterAll(async () => {
  await Promise.all(clouds.splice(0).map((cloud) => cloud.stop()));
});

const write = (url: string, method: string, headers: Record<string, string>, body: unknown = productBody(1)) =>
  fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the Cognito authorizer on the write routes of the local cloud', () => {
  let cloud: LocalEndpoints;
  let token: string;
  let product: { id: string; version: number; name: string };
  /** Every product the API lists: a refused write must leave this unchanged. */
  const catalogue = async () => JSON.stringify((await jsonBody(await fetch(`${cloud.apiUrl}/products?limit=100`))).items);

  beforeAll(async () => {
    cloud = await start();
    token = await backOfficeToken(cloud.apiUrl);
    const created = await write(`${cloud.apiUrl}/products`, 'POST', { authorization: token });
    expect(created.status).toBe(201);
    product = await jsonBody(created);
  });

  it('lets reads through without a token', async () => {
    expect((await fetch(`${cloud.apiUrl}/products`)).status).toBe(200);
    expect((await fetch(`${cloud.apiUrl}/products/${product.id}`)).status).toBe(200);
  });

  it('passes a back-office token to the function, whose log names the client, never the token', async () => {
    const [pool] = cloud.userPools.pools;
    const clientId = Object.values(pool?.identity.clients ?? {})[0]?.clientId as string;
    const updated = await write(`${cloud.apiUrl}/products/${product.id}`, 'PUT', {
      authorization: `Bearer ${token}`,
      'if-match': `"${product.version}"`,
    });
    expect(updated.status).toBe(200);
    product = await jsonBody(updated);
    const lines = functionLines.filter((l) => l.includes(`"caller":"${clientId}"`));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(functionLines.some((l) => l.includes(token))).toBe(false);
  });

  /** Each way a write can be refused: the request, and the answer API Gateway gives (docs/aws-facts.md B 11.3). */
  const refusals: { name: string; authorization: () => Promise<string | undefined>; message?: string }[] = [
    { name: 'no Authorization header', authorization: async () => undefined },
    { name: 'an empty header', authorization: async () => '  ' },
    { name: 'a malformed token', authorization: async () => 'not-a-jwt' },
    { name: 'a bad signature', authorization: async () => `${token.slice(0, -6)}AAAAAA` },
    {
      name: 'an expired token',
      authorization: async () => signWith('access', { token_use: 'access', scope: 'products/write', client_id: 'c' }, -60),
      message: 'The incoming token has expired',
    },
    {
      name: 'the wrong issuer',
      authorization: async () => {
        const key = cloud.userPools.pools[0]?.identity.accessKey;
        if (!key) throw new Error('no pool');
        return new SignJWT({ token_use: 'access', scope: 'products/write' })
          .setProtectedHeader({ alg: 'RS256', kid: key.kid })
          .setIssuer('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other')
          .setExpirationTime('1h')
          .sign(key.privateKey);
      },
    },
    { name: 'an ID token where the method asks for scopes', authorization: async () => idToken() },
    { name: 'an access token without products/write', authorization: async () => signWith('access', accessClaims('products/read'), 600) },
    {
      name: 'an unknown kid',
      authorization: async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(accessClaims('products/write'))
          .setProtectedHeader({ alg: 'RS256', kid: 'not-in-the-jwks' })
          .setIssuer(cloud.userPools.issuer(cloud.userPools.pools[0] as never))
          .setExpirationTime('1h')
          .sign(privateKey);
      },
    },
  ];

  for (const refusal of refusals) {
    it(`refuses ${refusal.name} with 401 on every write, reaching no function and changing nothing`, async () => {
      const before = await catalogue();
      const invocationsBefore = functionLines.length;
      const authorization = await refusal.authorization();
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      for (const [method, url] of [
        ['POST', `${cloud.apiUrl}/products`],
        ['PUT', `${cloud.apiUrl}/products/${product.id}`],
        ['DELETE', `${cloud.apiUrl}/products/${product.id}`],
      ] as const) {
        const response = await write(url, method, { ...headers, 'if-match': `"${product.version}"` });
        expect(response.status, `${method} ${refusal.name}`).toBe(401);
        expect(response.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
        expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
        expect(await response.json()).toEqual({ message: refusal.message ?? 'Unauthorized' });
      }
      expect(functionLines.length).toBe(invocationsBefore);
      expect(await catalogue()).toBe(before);
    });
  }

  it('refuses a token from another pool (another key), and counts refusals as 4XXError', async () => {
    const other = await start();
    const foreign = await backOfficeToken(other.apiUrl);
    const before = await catalogue();
    const refused = await write(`${cloud.apiUrl}/products`, 'POST', { authorization: foreign });
    expect(refused.status).toBe(401);
    expect(await catalogue()).toBe(before);
    const query = 'namespace=AWS/ApiGateway&name=4XXError&dimension=Stage=prod';
    const { metrics } = await jsonBody(await fetch(`${new URL(cloud.apiUrl).origin}/_local/metrics?${query}`));
    const refusedSoFar = metrics[0].datapoints.reduce((sum: number, p: { value: number }) => sum + p.value, 0);
    // Every refusal above (3 per case) and this one: none is a function's own 4xx, as no function ran.
    expect(refusedSoFar).toBeGreaterThanOrEqual(refusals.length * 3 + 1);
  });

  it("shows refused writes on the dashboard as the stage's 4xx, from the same 4XXError metric", async () => {
    const origin = new URL(cloud.apiUrl).origin;
    const stream = await fetch(`${origin}/_local/dashboard/stream`);
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    expect((await write(`${cloud.apiUrl}/products`, 'POST', {})).status).toBe(401);
    // Frames come once a second; read until one counts the refusal (the test's timeout bounds the wait).
    let buffered = '';
    let shown = 0;
    while (shown === 0) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      const frames = buffered.split('\n\n');
      buffered = frames.pop() ?? '';
      for (const frame of frames) {
        const data = frame.split('\n').find((line) => line.startsWith('data: '));
        if (data) shown += (JSON.parse(data.slice('data: '.length)) as { api: { '4xx': number } }).api['4xx'];
      }
    }
    await reader.cancel();
    expect(shown).toBeGreaterThanOrEqual(1);
  }, 30_000);

  /** A token of this cloud's pool, signed with its access or ID key; `exp` `expiresIn` seconds from now. */
  function signWith(key: 'access' | 'id', claims: Record<string, unknown>, expiresIn: number): Promise<string> {
    const pool = cloud.userPools.pools[0];
    if (!pool) throw new Error('no pool');
    return cloud.userPools.sign(pool, key, claims, expiresIn);
  }
  function idToken(): Promise<string> {
    const pool = cloud.userPools.pools[0];
    if (!pool) throw new Error('no pool');
    return cloud.userPools.idToken(pool, { 'cognito:username': 'backoffice-user' });
  }
  function accessClaims(scope: string) {
    return { token_use: 'access', scope, client_id: 'c', sub: 'c' };
  }
});

describe('the token endpoint and the scope-miss option', () => {
  it('answers OAuth errors for bad clients, grants and scopes', async () => {
    const cloud = await start();
    const info = await jsonBody(await fetch(`${new URL(cloud.apiUrl).origin}/_local/user-pools`));
    const client = info.userPools[0].clients[0];
    const token = (basic: string, body: string) =>
      fetch(info.tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(basic).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const good = `${client.clientId}:${client.clientSecret}`;
    expect(await (await token(`${client.clientId}:wrong`, 'grant_type=client_credentials')).json()).toEqual({ error: 'invalid_client' });
    expect(await (await token(good, 'grant_type=password')).json()).toEqual({ error: 'unsupported_grant_type' });
    expect(await (await token(good, 'grant_type=client_credentials&scope=products/admin')).json()).toEqual({ error: 'invalid_scope' });
    const granted = await token(good, 'grant_type=client_credentials&scope=products/write');
    expect(granted.status).toBe(200);
    const body = (await granted.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const [header, payload] = (body.access_token as string)
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(payload).toMatchObject({ token_use: 'access', scope: 'products/write', client_id: client.clientId, sub: client.clientId });
    const jwks = await jsonBody(await fetch(`${info.userPools[0].issuer}/.well-known/jwks.json`));
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
  });

  it('answers 403 to a token without the scope when told to (--scope-miss 403)', async () => {
    const cloud = await start(403);
    const pool = cloud.userPools.pools[0];
    if (!pool) throw new Error('no pool');
    const readOnly = await cloud.userPools.sign(pool, 'access', { token_use: 'access', scope: 'products/read' }, 600);
    const response = await write(`${cloud.apiUrl}/products`, 'POST', { authorization: readOnly });
    expect(response.status).toBe(403);
    expect((await fetch(`${cloud.apiUrl}/products`)).status).toBe(200);
  });
});
