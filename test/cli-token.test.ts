import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { LocalCloud } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { runCli } from './support/cli-process.ts';
import { productBody } from './support/product-fixtures.ts';

const templatePath = inject('stackTemplatePath');
const clouds: LocalCloud[] = [];

async function start(dataDir?: string, port = 0) {
  const cloud = new LocalCloud({ model: readStackModel(templatePath), port, coldStartDelayMs: 0, dataDir });
  clouds.push(cloud);
  return { cloud, ...(await cloud.start()) };
}

afterEach(async () => {
  await Promise.all(clouds.splice(0).map((cloud) => cloud.stop()));
});

const create = (apiUrl: string, authorization: string) =>
  fetch(`${apiUrl}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(productBody(7)),
  });

describe('techmoda token', () => {
  it('prints one line, a products/write access token that the stage takes; --scope asks for one scope', async () => {
    const { apiUrl } = await start();
    const printed = await runCli(['token', '--api', apiUrl]);
    expect(printed.code).toBe(0);
    const lines = printed.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const claims = decodeJwt(lines[0] as string);
    expect(claims.token_use).toBe('access');
    expect(String(claims.scope).split(' ')).toContain('products/write');
    expect((await create(apiUrl, lines[0] as string)).status).toBe(201);

    const scoped = await runCli(['token', '--api', apiUrl, '--scope', 'products/write']);
    expect(decodeJwt(scoped.stdout.trim()).scope).toBe('products/write');
    const unknownScope = await runCli(['token', '--api', apiUrl, '--scope', 'products/everything']);
    expect(unknownScope.code).toBe(3);
    expect(unknownScope.stdout).toBe('');
    expect(unknownScope.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 with one line for a bad --api, and 3 when no local cloud answers', async () => {
    const bad = await runCli(['token', '--api', 'not a url']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--api must be a URL');
    const missing = await runCli(['token']);
    expect(missing.code).toBe(2);
    const nobody = await runCli(['token', '--api', 'http://127.0.0.1:9/prod']);
    expect(nobody.code).toBe(3);
    expect(nobody.stdout).toBe('');
    expect(nobody.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('keeps the pool keys and the client with --data: a token from before a restart still writes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'techmoda-pool-keys-'));
    const first = await start(dataDir);
    const token = (await runCli(['token', '--api', first.apiUrl])).stdout.trim();
    const clientId = decodeJwt(token).client_id;
    await first.cloud.stop();
    clouds.splice(clouds.indexOf(first.cloud), 1);
    // The same port: the issuer names it, as AWS's names the region and pool.
    const second = await start(dataDir, Number(new URL(first.apiUrl).port));
    expect(second.apiUrl).toBe(first.apiUrl);
    expect(decodeJwt((await runCli(['token', '--api', second.apiUrl])).stdout.trim()).client_id).toBe(clientId);
    expect((await create(second.apiUrl, token)).status).toBe(201);
  });
});
