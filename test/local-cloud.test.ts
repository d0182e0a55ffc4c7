import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../src/common/clock.ts';
import { LocalCloud, type LocalCloudOptions, type LocalEndpoints } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { backOfficeToken } from './support/back-office-token.ts';
import { jsonBody } from './support/json-body.ts';
import { productBody } from './support/product-fixtures.ts';
import { resourceOf, stackVariant } from './support/stack-variant.ts';

const templatePath = inject('stackTemplatePath');
const clouds: LocalCloud[] = [];

async function start(template: string, options: Partial<LocalCloudOptions> = {}): Promise<LocalEndpoints & { cloud: LocalCloud }> {
  const cloud = new LocalCloud({ model: readStackModel(template), port: 0, ...options });
  clouds.push(cloud);
  return { ...(await cloud.start()), cloud };
}

afterEach(async () => {
  await Promise.all(clouds.splice(0).map((cloud) => cloud.stop()));
});

// Writes carry the back-office token the stack's authorizer asks for.
const post = async (api: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${api}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await backOfficeToken(api), ...headers },
    body: JSON.stringify(body),
  });

describe('techmoda local running the synthesized stack', () => {
  it('serves the product API from the deployable bundles; provisioned CreateProduct does not cold-start', async () => {
    const { apiUrl, cloud } = await start(templatePath, { coldStartDelayMs: 0 });
    const created = await post(apiUrl, productBody(1), { 'idempotency-key': 'k-1' });
    expect(created.status).toBe(201);
    const product = await jsonBody(created);
    expect(created.headers.get('location')).toBe(`/products/${product.id}`);
    const read = await fetch(`${apiUrl}/products/${product.id}`);
    expect(await jsonBody(read)).toEqual(product);
    const listed = await jsonBody(await fetch(`${apiUrl}/products?category=${product.category}`));
    expect(listed.items.map((p: { id: string }) => p.id)).toEqual([product.id]);
    expect(cloud.summary.total.coldStarts).toBe(1); // GetProducts' first environment; CreateProduct ran on a provisioned one
  });

  it('throttles a table at 1 RCU: the SDK retries each read, then the API answers 503 with Retry-After', async () => {
    const variant = stackVariant(templatePath, (resources) => {
      resourceOf(resources, 'AWS::DynamoDB::Table').Properties.ProvisionedThroughput.ReadCapacityUnits = 1;
    });
    // A clock that does not move: the read bucket never refills, whatever the SDK's real backoff waits.
    const clock = new ManualClock(Date.now());
    const { apiUrl, cloud } = await start(variant, { coldStartDelayMs: 0, burstStartsFull: false, clock });
    const { id } = await jsonBody(await post(apiUrl, productBody(3)));
    const responses = await Promise.all(Array.from({ length: 30 }, () => fetch(`${apiUrl}/products/${id}`)));
    const unavailable = responses.filter((r) => r.status === 503);
    // The bucket holds one read unit: one strongly consistent read of a small item; every later read is throttled.
    expect(unavailable).toHaveLength(29);
    expect(unavailable[0]?.headers.get('retry-after')).toBe('1');
    expect((await jsonBody(unavailable[0])).error.code).toBe('CAPACITY_EXCEEDED');
    // The DynamoDB client makes 4 attempts by default (3.1169, 2026 retry defaults): each 503 stands for 4 throttles.
    expect(cloud.summary.total.dynamoThrottles).toBeGreaterThanOrEqual(unavailable.length * 4);
    expect(responses.filter((r) => r.status === 200).length + unavailable.length).toBe(30);
  });

  it('spends the SDK retry quota as B 8.4/8.7a say: one per execution environment, with or without --isolate-environments', async () => {
    const variant = stackVariant(templatePath, (resources) => {
      resourceOf(resources, 'AWS::DynamoDB::Table').Properties.ProvisionedThroughput.ReadCapacityUnits = 1;
      // Forty module instances load at once on a busy CI machine: no read may end in a function timeout instead.
      for (const resource of Object.values(resources) as { Type: string; Properties: { Timeout?: number } }[])
        if (resource.Type === 'AWS::Lambda::Function') resource.Properties.Timeout = 28;
    });
    /** 40 reads at once of a table with one read unit that never refills (the clock does not move): the throttles. */
    const storm = async (isolateEnvironments: boolean) => {
      const clock = new ManualClock(Date.now());
      const { apiUrl, cloud } = await start(variant, { coldStartDelayMs: 0, burstStartsFull: false, clock, isolateEnvironments });
      const { id } = await jsonBody(await post(apiUrl, productBody(4)));
      const responses = await Promise.all(Array.from({ length: 40 }, () => fetch(`${apiUrl}/products/${id}`)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((status) => status === 503).length, `statuses ${statuses.join(' ')}`).toBe(39);
      expect(cloud.summary.total.peakConcurrency.GetProducts).toBeGreaterThan(1);
      expect(cloud.retryQuotaScopes().GetProducts).toBe('environment');
      return cloud.summary.total.dynamoThrottles;
    };
    // By hand: a client's quota is 500 tokens and a throttling retry costs 5, so one quota pays for 500 / 5 = 100
    // retries. The 39 throttled reads need 39 x 3 = 117 (4 attempts each), more than one quota holds. One quota per
    // environment, as on AWS (a module instance, so a client, each): every read makes its 4 attempts, 39 x 4 = 156
    // throttles, each environment spending 15 of its 500 tokens. The default shares one module instance (decision
    // 0002) but keeps a quota per environment inside it (decision 0005): the same 156. One quota for the function
    // would give 39 first attempts + 100 retries = 139, the rest failing at once.
    expect(await storm(true)).toBe(39 * 4);
    expect(await storm(false)).toBe(39 * 4);
  }, 120_000);

  it('keeps the products across a restart with --data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'techmoda-data-'));
    const first = await start(templatePath, { dataDir, coldStartDelayMs: 0 });
    expect(first.createdTables).toHaveLength(1);
    const product = await jsonBody(await post(first.apiUrl, productBody(5)));
    await first.cloud.stop();
    clouds.splice(clouds.indexOf(first.cloud), 1);
    const second = await start(templatePath, { dataDir, coldStartDelayMs: 0 });
    expect(second.createdTables).toEqual([]);
    const read = await fetch(`${second.apiUrl}/products/${product.id}`);
    expect(read.status).toBe(200);
    expect(await jsonBody(read)).toEqual(product);
  });
});
